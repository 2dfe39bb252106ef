#include "hotline/routing/config_json.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/routing/router.hpp"

namespace hotline::routing {

using nlohmann::json;

namespace {

Error bad(std::string_view path, std::string_view what) {
  return make_error(Errc::kInvalidArgument, fmt::format("{}: {}", path, what));
}

std::string child(std::string_view path, std::string_view key) {
  return fmt::format("{}.{}", path, key);
}

std::string item(std::string_view path, std::size_t i) { return fmt::format("{}[{}]", path, i); }

// Readers for optional fields: absent leaves `out` as it is.
Status read_string(const json& obj, const char* key, std::string_view path, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (!it->is_string()) return bad(child(path, key), "expected a string");
  out = it->get<std::string>();
  return {};
}

Status read_int(const json& obj, const char* key, std::string_view path, int& out, int min,
                int max) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (!it->is_number_integer()) return bad(child(path, key), "expected an integer");
  const auto v = it->get<std::int64_t>();
  if (v < min || v > max) {
    return bad(child(path, key), fmt::format("must be between {} and {}", min, max));
  }
  out = static_cast<int>(v);
  return {};
}

// Durations are given in seconds (fractions allowed) and kept in milliseconds.
Status read_seconds(const json& obj, const char* key, std::string_view path, DurationMs& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_null()) {
    out = kNever;
    return {};
  }
  if (!it->is_number()) return bad(child(path, key), "expected a number of seconds");
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < 0 || v > 1e9) {
    return bad(child(path, key), "expected a non-negative number of seconds");
  }
  out = static_cast<DurationMs>(std::llround(v * 1000));
  return {};
}

Status read_skills(const json& obj, const char* key, std::string_view path,
                   std::vector<std::pair<std::string, int>>& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  const std::string p = child(path, key);
  out.clear();
  if (it->is_array()) {  // ["billing", "french"]: level 1 each
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return bad(item(p, i), "expected a skill name");
      out.emplace_back((*it)[i].get<std::string>(), 1);
    }
    return {};
  }
  if (!it->is_object()) return bad(p, "expected an object of skill levels");
  for (const auto& [name, level] : it->items()) {
    if (!level.is_number_integer() || level.get<std::int64_t>() < 0 ||
        level.get<std::int64_t>() > 1000) {
      return bad(child(p, name), "expected a skill level between 0 and 1000");
    }
    out.emplace_back(name, static_cast<int>(level.get<std::int64_t>()));
  }
  return {};
}

Status read_channel(const json& obj, std::string_view path, Channel& out) {
  std::string name;
  if (auto st = read_string(obj, "channel", path, name); !st) return st;
  if (name.empty()) return {};
  auto c = parse_channel(name);
  if (!c) return bad(child(path, "channel"), "expected voice, chat or email, found '" + name + "'");
  out = *c;
  return {};
}

Status check_keys(const json& obj, std::string_view path,
                  std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == key;
    if (!ok) return bad(child(path, key), "unknown field");
  }
  return {};
}

#define HL_TRY(expr)               \
  do {                             \
    if (auto st_ = (expr); !st_) { \
      return std::move(st_).error(); \
    }                              \
  } while (0)

}  // namespace

Result<QueueConfig> queue_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected a queue object");
  HL_TRY(check_keys(j, path,
                    {"id", "name", "priority", "channel", "strategy", "rings", "skills", "members",
                     "max_length", "max_wait_seconds", "wrap_up_seconds", "offer_timeout_seconds",
                     "max_no_answer", "service_level_seconds", "resume_window_seconds"}));
  QueueConfig q;
  HL_TRY(read_string(j, "id", path, q.id));
  if (q.id.empty()) return bad(child(path, "id"), "a queue needs a non-empty id");
  q.name = q.id;
  HL_TRY(read_string(j, "name", path, q.name));
  HL_TRY(read_int(j, "priority", path, q.priority, -1000000, 1000000));
  HL_TRY(read_channel(j, path, q.channel));
  std::string strategy;
  HL_TRY(read_string(j, "strategy", path, strategy));
  if (!strategy.empty()) {
    auto s = parse_strategy(strategy);
    if (!s) return bad(child(path, "strategy"), "unknown strategy '" + strategy + "'");
    q.strategy = *s;
  }
  HL_TRY(read_skills(j, "skills", path, q.skills));
  if (auto it = j.find("rings"); it != j.end()) {
    const std::string rp = child(path, "rings");
    if (!it->is_array()) return bad(rp, "expected an array of rings");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      const std::string p = item(rp, i);
      if (!r.is_object()) return bad(p, "expected a ring object");
      HL_TRY(check_keys(r, p, {"target", "min_level", "timeout_seconds"}));
      Ring ring;
      std::string target;
      HL_TRY(read_string(r, "target", p, target));
      if (!target.empty()) {
        auto e = expr::Expression::compile(target);
        if (!e) return bad(child(p, "target"), e.error().message);
        ring.target = std::move(e).value();
      }
      HL_TRY(read_int(r, "min_level", p, ring.min_level, 0, 1000));
      HL_TRY(read_seconds(r, "timeout_seconds", p, ring.timeout_ms));
      if (ring.timeout_ms == 0) return bad(child(p, "timeout_seconds"), "must be positive");
      q.rings.push_back(std::move(ring));
    }
  }
  if (auto it = j.find("members"); it != j.end()) {
    const std::string mp = child(path, "members");
    if (!it->is_array()) return bad(mp, "expected an array of members");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& m = (*it)[i];
      QueueMember member;
      if (m.is_string()) {
        member.agent_id = m.get<std::string>();
      } else if (m.is_object()) {
        const std::string p = item(mp, i);
        HL_TRY(check_keys(m, p, {"agent", "position", "weight"}));
        HL_TRY(read_string(m, "agent", p, member.agent_id));
        HL_TRY(read_int(m, "position", p, member.position, 0, 1000000));
        HL_TRY(read_int(m, "weight", p, member.weight, 0, 1000000));
      } else {
        return bad(item(mp, i), "expected an agent id or a member object");
      }
      if (member.agent_id.empty()) return bad(item(mp, i), "a member needs an agent id");
      q.members.push_back(std::move(member));
    }
  }
  HL_TRY(read_int(j, "max_length", path, q.max_length, 0, INT32_MAX));
  HL_TRY(read_seconds(j, "max_wait_seconds", path, q.max_wait_ms));
  if (q.max_wait_ms == 0) return bad(child(path, "max_wait_seconds"), "must be positive");
  HL_TRY(read_seconds(j, "wrap_up_seconds", path, q.wrap_up_ms));
  HL_TRY(read_seconds(j, "offer_timeout_seconds", path, q.offer_timeout_ms));
  HL_TRY(read_int(j, "max_no_answer", path, q.max_no_answer, 0, 1000));
  HL_TRY(read_seconds(j, "service_level_seconds", path, q.service_level_ms));
  HL_TRY(read_seconds(j, "resume_window_seconds", path, q.resume_window_ms));
  return q;
}

Result<AgentConfig> agent_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected an agent object");
  HL_TRY(check_keys(j, path, {"id", "name", "skills", "attributes", "capacity", "queues"}));
  AgentConfig a;
  HL_TRY(read_string(j, "id", path, a.id));
  if (a.id.empty()) return bad(child(path, "id"), "an agent needs a non-empty id");
  a.name = a.id;
  HL_TRY(read_string(j, "name", path, a.name));
  HL_TRY(read_skills(j, "skills", path, a.skills));
  if (auto it = j.find("attributes"); it != j.end()) {
    auto attrs = expr::Attributes::from_json(*it, child(path, "attributes"));
    if (!attrs) return std::move(attrs).error();
    a.attributes = std::move(attrs).value();
  }
  if (auto it = j.find("capacity"); it != j.end()) {
    const std::string cp = child(path, "capacity");
    if (!it->is_object()) return bad(cp, "expected an object such as {\"voice\": 1, \"chat\": 3}");
    for (const auto& [name, n] : it->items()) {
      auto ch = parse_channel(name);
      if (!ch) return bad(child(cp, name), "unknown channel");
      if (!n.is_number_integer() || n.get<std::int64_t>() < 0 || n.get<std::int64_t>() > 1000) {
        return bad(child(cp, name), "expected a capacity between 0 and 1000");
      }
      a.capacity[static_cast<int>(*ch)] = static_cast<int>(n.get<std::int64_t>());
    }
  }
  if (auto it = j.find("queues"); it != j.end()) {
    const std::string qp = child(path, "queues");
    if (!it->is_array()) return bad(qp, "expected an array of queue ids");
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return bad(item(qp, i), "expected a queue id");
      a.queues.push_back((*it)[i].get<std::string>());
    }
  }
  return a;
}

Result<ContactSpec> contact_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) return bad(path, "expected a contact object");
  HL_TRY(check_keys(j, path,
                    {"id", "queue", "channel", "priority", "caller", "attributes", "skills",
                     "preferred_agent", "preferred_wait_seconds"}));
  ContactSpec c;
  HL_TRY(read_string(j, "id", path, c.external_id));
  HL_TRY(read_string(j, "queue", path, c.queue_id));
  if (c.queue_id.empty()) return bad(child(path, "queue"), "a contact needs a queue");
  HL_TRY(read_channel(j, path, c.channel));
  HL_TRY(read_int(j, "priority", path, c.priority, -1000000, 1000000));
  HL_TRY(read_string(j, "caller", path, c.caller));
  if (auto it = j.find("attributes"); it != j.end()) {
    auto attrs = expr::Attributes::from_json(*it, child(path, "attributes"));
    if (!attrs) return std::move(attrs).error();
    c.attributes = std::move(attrs).value();
  }
  HL_TRY(read_skills(j, "skills", path, c.skills));
  HL_TRY(read_string(j, "preferred_agent", path, c.preferred_agent));
  HL_TRY(read_seconds(j, "preferred_wait_seconds", path, c.preferred_wait_ms));
  return c;
}

Status load_routing_config(Router& router, const json& config) {
  if (!config.is_object()) return bad("$", "expected an object with queues and agents");
  for (const char* key : {"queues", "agents"}) {
    if (config.contains(key) && !config[key].is_array()) {
      return bad(child("$", key), "expected an array");
    }
  }
  if (auto it = config.find("queues"); it != config.end()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string p = item("$.queues", i);
      auto q = queue_from_json((*it)[i], p);
      if (!q) return std::move(q).error();
      auto added = router.add_queue(std::move(q).value());
      if (!added) return bad(p, added.error().message);
    }
  }
  if (auto it = config.find("agents"); it != config.end()) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string p = item("$.agents", i);
      auto a = agent_from_json((*it)[i], p);
      if (!a) return std::move(a).error();
      auto added = router.add_agent(std::move(a).value());
      if (!added) return bad(p, added.error().message);
    }
  }
  return {};
}

}  // namespace hotline::routing
