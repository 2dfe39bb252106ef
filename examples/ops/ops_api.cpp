#include "ops_api.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "center_metrics.hpp"
#include "store_routes.hpp"
#include "hotline/util/json_input.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::ops {

using nlohmann::json;

HttpResponse error_response(int status, std::string_view message) {
  // A message may quote the request's own bytes, which need not be UTF-8.
  return HttpResponse{status, "application/json",
                      json{{"error", message}}.dump(-1, ' ', false,
                                                    json::error_handler_t::replace)};
}

HttpResponse json_response(const json& body, int status) {
  // Replacement, not an exception, for text that is not UTF-8: the engine
  // checked what it keeps, and a response must never throw half-sent.
  return HttpResponse{status, "application/json",
                      body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

int http_status_of(Errc code) noexcept {
  switch (code) {
    case Errc::kInvalidArgument:
    case Errc::kFull: return 400;
    case Errc::kPermission: return 403;
    case Errc::kNotFound: return 404;
    case Errc::kIllegalState:
    case Errc::kExists: return 409;
    case Errc::kBusy:
    case Errc::kIo: return 503;
    default: return 500;
  }
}

HttpResponse error_response_of(const Error& error) {
  json body{{"error", error.message}};
  const std::string& message = error.message;
  if (!message.empty() && (message[0] == '$' || message[0] == '?')) {
    const std::size_t end = message.find(": ");
    if (end != std::string::npos) body["path"] = message.substr(0, end);
  }
  return json_response(body, http_status_of(error.code));
}

namespace {

constexpr std::string_view kAgentsPrefix = "/api/v1/agents/";
constexpr std::string_view kStateSuffix = "/state";
constexpr std::string_view kForceSuffix = "/force";
constexpr std::string_view kCallsPrefix = "/api/v1/calls/";
constexpr std::string_view kActionsSuffix = "/actions";

// The one path segment between `prefix` and `suffix`, if `path` is that.
std::optional<std::string_view> segment_between(std::string_view path, std::string_view prefix,
                                                std::string_view suffix) {
  if (path.size() <= prefix.size() + suffix.size() || path.substr(0, prefix.size()) != prefix ||
      path.substr(path.size() - suffix.size()) != suffix) {
    return std::nullopt;
  }
  std::string_view segment =
      path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  if (segment.find('/') != std::string_view::npos) return std::nullopt;
  return segment;
}

}  // namespace

OpsApi::OpsApi(engine::Engine& engine, runtime::Driver& driver, const metrics::KpiCollector& kpi,
               CallTimings& timings, const AccessTable& access, std::function<TimeMs()> now,
               std::function<void()> after_change)
    : engine_(engine), driver_(driver), kpi_(kpi), timings_(timings), access_(access),
      now_(std::move(now)), after_change_(std::move(after_change)) {}

bool OpsApi::is_supervisor(std::string_view agent_id) const {
  const std::optional<routing::AgentConfig> agent = engine_.router().agent_config(agent_id);
  return agent && agent->role == routing::AgentRole::kSupervisor;
}

HttpResponse OpsApi::handle(const HttpRequest& request) {
  const std::optional<Principal> who = access_.authenticate(request.authorization);
  if (!who) return error_response(401, "a valid bearer token is required");
  const std::string_view path = request.path;
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  const TimeMs now = now_();

  if (path == "/api/v1/queues") {
    if (!get) return error_response(405, "GET only");
    return queues(now);
  }
  if (path == "/api/v1/agents") {
    if (!get) return error_response(405, "GET only");
    return agents(*who);
  }
  if (path == "/api/v1/stats" || path == "/metrics") {
    if (!get) return error_response(405, "GET only");
    if (!sees_everything(*who)) {
      return error_response(403, fmt::format("{} is for supervisors and admins", path));
    }
    json statistics = driver_.statistics(now);  // flushes the collector to now
    if (path == "/api/v1/stats") return json_response(statistics);
    return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8",
                        center_metrics_text(engine_, kpi_, timings_, now)};
  }
  if (is_store_route(path)) return store_route(store_, *who, request);
  if (auto agent_id = segment_between(path, kAgentsPrefix, kStateSuffix)) {
    if (!post) return error_response(405, "POST only");
    return set_agent_state(*who, *agent_id, request.body);
  }
  if (auto agent_id = segment_between(path, kAgentsPrefix, kForceSuffix)) {
    if (!post) return error_response(405, "POST only");
    return force_agent(*who, *agent_id, request.body);
  }
  if (auto call_id = segment_between(path, kCallsPrefix, kActionsSuffix)) {
    if (!post) return error_response(405, "POST only");
    return call_action(*who, *call_id, request.body);
  }
  return error_response(404, fmt::format("no route {}", path));
}

HttpResponse OpsApi::queues(TimeMs now) const {
  const routing::Router& router = engine_.router();
  json list = json::array();
  for (const auto& id : router.queue_ids()) {
    auto snap = router.queue_snapshot(id, now);
    if (!snap) continue;
    json q{{"id", id},
           {"waiting", snap->waiting},
           {"longest_wait_ms", snap->longest_wait_ms},
           {"expected_wait_ms", snap->expected_wait_ms},
           {"agents_logged_in", snap->agents_logged_in},
           {"agents_available", snap->agents_available},
           {"agents_busy", snap->agents_busy}};
    if (auto threshold = router.service_level_ms(id)) q["service_level_ms"] = *threshold;
    list.push_back(std::move(q));
  }
  return json_response(json{{"time", now}, {"queues", std::move(list)}});
}

HttpResponse OpsApi::agents(const Principal& who) const {
  const routing::Router& router = engine_.router();
  json list = json::array();
  for (const auto& id : router.agent_ids()) {
    if (!sees_everything(who) && id != who.agent_id) continue;
    auto snap = router.agent_snapshot(id);
    if (!snap) continue;
    json a{{"id", id},
           {"name", snap->name},
           {"state", routing::agent_state_name(snap->state)},
           {"since", snap->state_since}};
    if (snap->state == routing::AgentState::kNotReady) a["reason"] = snap->not_ready_reason;
    list.push_back(std::move(a));
  }
  return json_response(json{{"agents", std::move(list)}});
}

HttpResponse OpsApi::set_agent_state(const Principal& who, std::string_view agent_id,
                                     const std::string& body) {
  if (!may_set_agent_state(who, agent_id)) {
    return error_response(403, "an agent may change only their own state");
  }
  if (body.size() > kMaxBodyBytes) return error_response(413, "the body is too large");
  auto parsed = parse_json(body, "$", 8);
  if (!parsed) return error_response(400, parsed.error().message);
  const json& request = *parsed;
  if (!request.is_object()) return error_response(400, "$: must be an object");
  for (const auto& [key, value] : request.items()) {
    if (key != "state" && key != "reason") {
      return error_response(
          400, fmt::format("$.{}: unknown field (expected one of: state, reason)", key));
    }
  }
  if (!request.contains("state") || !request["state"].is_string()) {
    return error_response(
        400, "$.state: required, one of login, ready, not_ready, logout");
  }
  const std::string& state = request["state"].get_ref<const std::string&>();
  std::string reason;
  if (request.contains("reason")) {
    if (!request["reason"].is_string()) return error_response(400, "$.reason: must be a string");
    reason = request["reason"].get<std::string>();
    if (Status s = require_utf8(reason, "$.reason"); !s) {
      return error_response(400, s.error().message);
    }
  }
  if (state != "not_ready" && !reason.empty()) {
    return error_response(400, "$.reason: only a not_ready state takes a reason");
  }
  if (!engine_.router().find_agent(agent_id)) {
    return error_response(404, fmt::format("no agent {}", agent_id));
  }
  const TimeMs now = now_();
  Status done;
  if (state == "login") {
    done = engine_.agent_login(agent_id, now);
  } else if (state == "ready") {
    done = engine_.agent_ready(agent_id, now);
  } else if (state == "not_ready") {
    if (reason.empty()) return error_response(400, "$.reason: not_ready needs a reason code");
    done = engine_.agent_not_ready(agent_id, reason, now);
  } else if (state == "logout") {
    done = engine_.agent_logout(agent_id, now);
  } else {
    return error_response(400, "$.state: must be one of login, ready, not_ready, logout");
  }
  after_change_();
  if (!done) return error_response(http_status_of(done.error().code), done.error().message);
  return json_response(agent_state(agent_id));
}

json OpsApi::agent_state(std::string_view agent_id) const {
  auto snap = engine_.router().agent_snapshot(agent_id);
  json result{{"id", agent_id}};
  if (snap) {
    result["state"] = routing::agent_state_name(snap->state);
    result["since"] = snap->state_since;
    if (snap->state == routing::AgentState::kNotReady) result["reason"] = snap->not_ready_reason;
  }
  return result;
}

}  // namespace hotline::ops
