#include "call_control.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <initializer_list>
#include <set>
#include <string_view>

namespace hotline::sim {
namespace {

using nlohmann::json;

Error bad(const std::string& path, const std::string& what) {
  return make_error(Errc::kInvalidArgument, path + ": " + what);
}

// The project's one format for unknown keys, the accepted ones in the
// order they are read below.
Status check_keys(const json& obj, const std::string& path,
                  std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : obj.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    return bad(path + "." + key,
               fmt::format("unknown field (expected one of: {})", fmt::join(known, ", ")));
  }
  return {};
}

Status read_probability(const json& obj, const char* key, const std::string& path,
                        double& out) {
  if (!obj.contains(key)) return {};
  const json& v = obj[key];
  if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() <= 1)) {
    return bad(path + "." + key, "expected a probability from 0 to 1");
  }
  out = v.get<double>();
  return {};
}

Status read_seconds(const json& obj, const char* key, const std::string& path,
                    Distribution& out) {
  if (!obj.contains(key)) return {};
  const std::string at = path + "." + key;
  auto d = distribution_from_json(obj[key], at);
  if (!d) return std::move(d).error();
  if (d->mean_seconds > 86'400) return bad(at, "the mean is more than a day (86400 s)");
  out = *d;
  return {};
}

Status read_text(const json& obj, const char* key, const std::string& path, std::string& out) {
  const std::string at = path + "." + key;
  if (!obj.contains(key)) return bad(at, "required");
  if (!obj[key].is_string() || obj[key].get<std::string>().empty()) {
    return bad(at, "expected a non-empty string");
  }
  out = obj[key].get<std::string>();
  return {};
}

Status require_object(const json& j, const std::string& path) {
  return j.is_object() ? Status{} : Status{bad(path, "expected an object")};
}

#define HL_SIM_TRY(expr)             \
  do {                               \
    if (auto st_ = (expr); !st_) {   \
      return std::move(st_).error(); \
    }                                \
  } while (0)

Result<CallControlModel> model_from_json(const json& j, const std::string& path,
                                         const std::string& queue,
                                         const std::set<std::string>& queues) {
  CallControlModel m;
  m.queue = queue;
  HL_SIM_TRY(require_object(j, path));
  HL_SIM_TRY(check_keys(j, path, {"hold", "consult", "transfer"}));
  if (j.contains("hold")) {
    const std::string p = path + ".hold";
    const json& h = j["hold"];
    HL_SIM_TRY(require_object(h, p));
    HL_SIM_TRY(check_keys(h, p, {"probability", "count", "seconds"}));
    HL_SIM_TRY(read_probability(h, "probability", p, m.hold_probability));
    if (h.contains("count")) {
      const json& c = h["count"];
      if (!c.is_number() || !(c.get<double>() >= 1 && c.get<double>() <= 100)) {
        return bad(p + ".count", "expected the mean number of holds of a held call, 1 to 100");
      }
      m.holds_per_held_call = c.get<double>();
    }
    HL_SIM_TRY(read_seconds(h, "seconds", p, m.hold));
  }
  if (j.contains("consult")) {
    const std::string p = path + ".consult";
    const json& c = j["consult"];
    HL_SIM_TRY(require_object(c, p));
    HL_SIM_TRY(check_keys(c, p, {"probability", "seconds", "target"}));
    HL_SIM_TRY(read_probability(c, "probability", p, m.consult_probability));
    HL_SIM_TRY(read_seconds(c, "seconds", p, m.consult));
    HL_SIM_TRY(read_text(c, "target", p, m.consult_target));
  }
  if (j.contains("transfer")) {
    const std::string p = path + ".transfer";
    const json& t = j["transfer"];
    HL_SIM_TRY(require_object(t, p));
    HL_SIM_TRY(check_keys(t, p, {"probability", "queue"}));
    HL_SIM_TRY(read_probability(t, "probability", p, m.transfer_probability));
    HL_SIM_TRY(read_text(t, "queue", p, m.transfer_queue));
    if (!queues.count(m.transfer_queue)) {
      return bad(p + ".queue", fmt::format("no queue '{}' in $.queues", m.transfer_queue));
    }
    if (m.transfer_queue == queue) return bad(p + ".queue", "the queue itself");
  }
  return m;
}

}  // namespace

Result<std::vector<CallControlModel>> call_control_from_json(const json& j,
                                                             const json& engine_config) {
  const std::string path = "$.simulation.call_control";
  HL_SIM_TRY(require_object(j, path));
  std::set<std::string> queues;
  if (engine_config.contains("queues") && engine_config["queues"].is_array()) {
    for (const json& q : engine_config["queues"]) {
      if (q.is_object() && q.contains("id") && q["id"].is_string()) {
        queues.insert(q["id"].get<std::string>());
      }
    }
  }
  std::vector<CallControlModel> models;
  for (const auto& [queue, model] : j.items()) {
    const std::string p = path + "." + queue;
    if (!queues.count(queue)) return bad(p, fmt::format("no queue '{}' in $.queues", queue));
    auto m = model_from_json(model, p, queue, queues);
    if (!m) return std::move(m).error();
    if (m->any()) models.push_back(std::move(*m));
  }
  return models;
}

ConversationPlan plan_conversation(const CallControlModel& m, DurationMs talk,
                                   std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  const auto within_talk = [&] {
    return static_cast<DurationMs>(unit(rng) * static_cast<double>(talk));
  };
  const auto ms = [&](const Distribution& d) {
    return std::max<DurationMs>(1, static_cast<DurationMs>(d.sample(rng) * 1000));
  };
  // Interruptions at points of the talk, each with its length.
  struct Interruption {
    DurationMs at;
    DurationMs length;
    bool consult;
  };
  std::vector<Interruption> breaks;
  if (m.hold_probability > 0 && unit(rng) < m.hold_probability) {
    int holds = 1;
    if (m.holds_per_held_call > 1) {
      holds += std::poisson_distribution<int>(m.holds_per_held_call - 1)(rng);
    }
    for (int i = 0; i < holds; ++i) breaks.push_back({within_talk(), ms(m.hold), false});
  }
  if (m.consult_probability > 0 && unit(rng) < m.consult_probability) {
    breaks.push_back({within_talk(), ms(m.consult), true});
  }
  std::sort(breaks.begin(), breaks.end(),
            [](const Interruption& a, const Interruption& b) { return a.at < b.at; });
  ConversationPlan plan;
  DurationMs talk_end = talk;
  if (m.transfer_probability > 0 && unit(rng) < m.transfer_probability) {
    plan.transfers = true;
    talk_end = within_talk();
  }
  DurationMs added = 0;  // hold and consultation time before the current point
  for (const Interruption& b : breaks) {
    if (plan.transfers && b.at >= talk_end) break;
    const DurationMs start = b.at + added;
    using K = CallControlStep::Kind;
    plan.steps.push_back({start, b.consult ? K::kConsult : K::kHold});
    // A consultation ends with the caller held again, then taken back.
    if (b.consult) plan.steps.push_back({start + b.length, K::kConsultCancel});
    plan.steps.push_back({start + b.length, K::kResume});
    added += b.length;
  }
  plan.end = talk_end + added;
  if (plan.transfers) plan.steps.push_back({plan.end, CallControlStep::kTransfer});
  return plan;
}

}  // namespace hotline::sim
