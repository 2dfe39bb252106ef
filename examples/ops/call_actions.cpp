// The call actions and the forced agent states of the operations API
// (docs/ops-server.md, "Call actions"): each request becomes one engine
// call-control event, checked for the caller's right to it first.
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ops_api.hpp"
#include "hotline/util/json_input.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::ops {

using nlohmann::json;

namespace {

enum class Who { kOwner, kSupervisor };

struct ActionSpec {
  std::string_view name;
  Who who;
  std::vector<std::string_view> fields;  // besides "action", in the order they are listed
};

const std::vector<ActionSpec>& action_specs() {
  static const std::vector<ActionSpec> specs = {
      {"answer", Who::kOwner, {}},
      {"hangup", Who::kOwner, {}},
      {"hold", Who::kOwner, {}},
      {"resume", Who::kOwner, {}},
      {"transfer", Who::kOwner, {"queue_id", "agent_id", "target"}},
      {"consult", Who::kOwner, {"agent_id", "target"}},
      {"consult_cancel", Who::kOwner, {}},
      {"transfer_complete", Who::kOwner, {}},
      {"conference", Who::kOwner, {}},
      {"wrapup", Who::kOwner, {"code", "done"}},
      {"monitor", Who::kSupervisor, {"leg"}},
      {"whisper", Who::kSupervisor, {"leg"}},
      {"barge", Who::kSupervisor, {"leg"}},
      {"take_over", Who::kSupervisor, {"leg"}},
      {"force_release", Who::kSupervisor, {}},
  };
  return specs;
}

std::string action_names() {
  std::vector<std::string_view> names;
  for (const auto& spec : action_specs()) names.push_back(spec.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

HttpResponse bad(std::string message) {
  return error_response_of(Error{Errc::kInvalidArgument, std::move(message)});
}

// A request's text field: absent is empty; present, a non-empty UTF-8 string.
Result<std::string> text_of(const json& request, std::string_view key) {
  auto found = request.find(std::string(key));
  if (found == request.end()) return std::string();
  const std::string path = fmt::format("$.{}", key);
  if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
    return make_error(Errc::kInvalidArgument, path + ": must be a non-empty string");
  }
  if (Status s = require_utf8(found->get_ref<const std::string&>(), path); !s) {
    return std::move(s).error();
  }
  return found->get<std::string>();
}

// The one party of a transfer or a consultation: exactly one of the keys given.
Result<engine::Engine::Party> party_of(const json& request, bool queue_allowed,
                                       std::string* queue_id) {
  auto agent = text_of(request, "agent_id");
  if (!agent) return std::move(agent).error();
  auto target = text_of(request, "target");
  if (!target) return std::move(target).error();
  std::string queue;
  if (queue_allowed) {
    auto q = text_of(request, "queue_id");
    if (!q) return std::move(q).error();
    queue = std::move(*q);
  }
  const int given = !agent->empty() + !target->empty() + !queue.empty();
  if (given != 1) {
    return make_error(Errc::kInvalidArgument,
                      queue_allowed ? "$: give exactly one of queue_id, agent_id, target"
                                    : "$: give exactly one of agent_id, target");
  }
  if (queue_id) *queue_id = std::move(queue);
  return engine::Engine::Party{std::move(*agent), std::move(*target)};
}

}  // namespace

HttpResponse OpsApi::call_action(const Principal& who, std::string_view call_id,
                                 const std::string& body) {
  auto parsed = parse_json(body, "$", 8);
  if (!parsed) return error_response_of(parsed.error());
  const json& request = *parsed;
  if (!request.is_object()) return bad("$: must be an object");
  auto action_field = request.find("action");
  if (action_field == request.end() || !action_field->is_string()) {
    return bad(fmt::format("$.action: required, one of {}", action_names()));
  }
  const std::string& action = action_field->get_ref<const std::string&>();
  auto spec = std::find_if(action_specs().begin(), action_specs().end(),
                           [&](const ActionSpec& s) { return s.name == action; });
  if (spec == action_specs().end()) {
    return bad(fmt::format("$.action: must be one of {}", action_names()));
  }
  for (const auto& [key, value] : request.items()) {
    if (key == "action") continue;
    if (std::find(spec->fields.begin(), spec->fields.end(), key) == spec->fields.end()) {
      std::vector<std::string_view> accepted{"action"};
      accepted.insert(accepted.end(), spec->fields.begin(), spec->fields.end());
      return bad(fmt::format("$.{}: unknown field (expected one of: {})", key,
                             fmt::join(accepted, ", ")));
    }
  }
  if (Status s = require_utf8(call_id, "the call id"); !s) return error_response_of(s.error());

  // Who may: an agent acts on a call they own (or, to answer, one ringing
  // them); supervisor actions need a supervisor token naming a supervisor.
  if (spec->who == Who::kSupervisor) {
    if (who.role != Role::kSupervisor) {
      return error_response(403, fmt::format("{} is a supervisor's action", action));
    }
    if (who.agent_id.empty()) {
      return error_response(403, "this supervisor token names no supervisor agent "
                                 "(agent_id in the server's tokens)");
    }
  }
  engine::Command* ring = nullptr;
  if (action == "answer") {
    for (engine::Command& c : driver_.waiting_commands()) {
      if (c.kind == engine::Command::Kind::kRingAgent && c.call_id == call_id &&
          (who.role != Role::kAgent || c.agent_id == who.agent_id)) {
        ring = &c;
      }
    }
  }
  if (who.role == Role::kAgent) {
    if (action == "answer") {
      if (ring == nullptr) {
        return error_response(404, fmt::format("no call {} is ringing agent {}", call_id,
                                               who.agent_id));
      }
    } else {
      const auto owner = calls_.owner(call_id);
      if (!owner) return error_response(404, fmt::format("no call {} is answered", call_id));
      if (*owner != who.agent_id) {
        return error_response(403, fmt::format("call {} is not agent {}'s", call_id,
                                               who.agent_id));
      }
    }
  }

  const TimeMs now = now_();
  Status done;
  if (action == "answer") {
    if (ring == nullptr) return error_response(404, fmt::format("no call {} is ringing", call_id));
    const std::uint64_t reservation = ring->reservation;
    done = engine_.agent_answered(reservation, now);
    // The server is the phone here: an answered ring is consumed, not left waiting. It is
    // found again by its reservation because answering may queue commands behind it; a
    // refused answer keeps the ring so it can still be answered or time out.
    if (done.ok()) {
      auto& waiting = driver_.waiting_commands();
      const auto answered =
          std::find_if(waiting.begin(), waiting.end(), [&](const engine::Command& c) {
            return c.kind == engine::Command::Kind::kRingAgent && c.call_id == call_id &&
                   c.reservation == reservation;
          });
      if (answered != waiting.end()) waiting.erase(answered);
    }
  } else if (action == "hangup") {
    done = engine_.agent_hung_up(call_id, now);
  } else if (action == "hold") {
    done = engine_.hold(call_id, now);
  } else if (action == "resume") {
    done = engine_.resume(call_id, now);
  } else if (action == "transfer") {
    std::string queue;
    auto party = party_of(request, true, &queue);
    if (!party) return error_response_of(party.error());
    done = queue.empty() ? engine_.blind_transfer(call_id, *party, now)
                         : engine_.transfer_to_queue(call_id, queue, now);
  } else if (action == "consult") {
    auto party = party_of(request, false, nullptr);
    if (!party) return error_response_of(party.error());
    done = engine_.consult(call_id, *party, now);
  } else if (action == "consult_cancel") {
    done = engine_.consult_cancel(call_id, now);
  } else if (action == "transfer_complete") {
    done = engine_.transfer_complete(call_id, now);
  } else if (action == "conference") {
    done = engine_.conference(call_id, now);
  } else if (action == "wrapup") {
    auto code = text_of(request, "code");
    if (!code) return error_response_of(code.error());
    if (code->empty()) return bad("$.code: required, the disposition");
    bool finish = false;
    if (auto flag = request.find("done"); flag != request.end()) {
      if (!flag->is_boolean()) return bad("$.done: must be true or false");
      finish = flag->get<bool>();
    }
    done = engine_.wrap_up_code(call_id, *code, now);
    if (done && finish) done = engine_.wrap_up_done(call_id, now);
  } else if (action == "force_release") {
    done = engine_.force_release(call_id, who.agent_id, now);
  } else {  // monitor, whisper, barge, take_over
    auto leg = text_of(request, "leg");
    if (!leg) return error_response_of(leg.error());
    done = engine_.supervise(call_id, who.agent_id, action, *leg, now);
  }
  after_change_();
  if (!done) return error_response_of(done.error());
  return json_response(json{{"call_id", call_id}, {"action", action}});
}

HttpResponse OpsApi::force_agent(const Principal& who, std::string_view agent_id,
                                 const std::string& body) {
  if (who.role != Role::kSupervisor) {
    return error_response(403, "forcing an agent's state is a supervisor's action");
  }
  if (who.agent_id.empty()) {
    return error_response(403, "this supervisor token names no supervisor agent "
                               "(agent_id in the server's tokens)");
  }
  auto parsed = parse_json(body, "$", 8);
  if (!parsed) return error_response_of(parsed.error());
  const json& request = *parsed;
  if (!request.is_object()) return bad("$: must be an object");
  for (const auto& [key, value] : request.items()) {
    if (key != "state" && key != "reason") {
      return bad(fmt::format("$.{}: unknown field (expected one of: state, reason)", key));
    }
  }
  auto state = text_of(request, "state");
  if (!state) return error_response_of(state.error());
  auto reason = text_of(request, "reason");
  if (!reason) return error_response_of(reason.error());
  if (*state != "not_ready" && *state != "logout") {
    return bad("$.state: required, one of not_ready, logout");
  }
  if (*state == "not_ready" && reason->empty()) {
    return bad("$.reason: not_ready needs a reason code");
  }
  if (*state == "logout" && !reason->empty()) {
    return bad("$.reason: only a not_ready state takes a reason");
  }
  if (!engine_.router().find_agent(agent_id)) {
    return error_response(404, fmt::format("no agent {}", agent_id));
  }
  const TimeMs now = now_();
  Status done = *state == "not_ready"
                    ? engine_.force_not_ready(agent_id, who.agent_id, *reason, now)
                    : engine_.force_logout(agent_id, who.agent_id, now);
  after_change_();
  if (!done) return error_response_of(done.error());
  return json_response(agent_state(agent_id));
}

}  // namespace hotline::ops
