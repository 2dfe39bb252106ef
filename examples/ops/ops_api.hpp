// The REST routes of the operations server (docs/ops-server.md, and
// docs/openapi.yaml for their shapes). Every route authenticates first: no
// or an unknown token is 401 on any path, a role without the right is 403.
// Runs on the engine's loop thread.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "access_table.hpp"
#include "call_owners.hpp"
#include "call_timings.hpp"
#include "http_exchange.hpp"
#include "ops_store.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/runtime/driver.hpp"

namespace hotline::ops {

class OpsApi {
 public:
  // `after_change` runs after an engine call (the runtime's flush: hands the
  // outputs on and re-arms the timer). All references outlive the API.
  OpsApi(engine::Engine& engine, runtime::Driver& driver, const metrics::KpiCollector& kpi,
         CallTimings& timings, const AccessTable& access, std::function<TimeMs()> now,
         std::function<void()> after_change);

  // The store the customer and ticket routes serve (not owned; it
  // outlives the API); without one they answer 503.
  void use_store(OpsStore* store) noexcept { store_ = store; }

  HttpResponse handle(const HttpRequest& request);
  // Every engine notification, in order: follows who owns each call.
  void observe(const engine::Notification& n) { calls_.observe(n); }
  // Whether `agent_id` is a supervisor in the engine's current configuration.
  bool is_supervisor(std::string_view agent_id) const;

  static constexpr std::size_t kMaxBodyBytes = 64 * 1024;

 private:
  HttpResponse queues(TimeMs now) const;
  HttpResponse agents(const Principal& who) const;
  HttpResponse set_agent_state(const Principal& who, std::string_view agent_id,
                               const std::string& body);
  // call_actions.cpp: POST /api/v1/calls/{id}/actions, /api/v1/agents/{id}/force.
  HttpResponse call_action(const Principal& who, std::string_view call_id,
                           const std::string& body);
  HttpResponse force_agent(const Principal& who, std::string_view agent_id,
                           const std::string& body);
  // {"id", "state", "since", "reason"}: an agent's state as the routes answer it.
  nlohmann::json agent_state(std::string_view agent_id) const;

  engine::Engine& engine_;
  runtime::Driver& driver_;
  const metrics::KpiCollector& kpi_;
  CallTimings& timings_;
  const AccessTable& access_;
  std::function<TimeMs()> now_;
  std::function<void()> after_change_;
  OpsStore* store_ = nullptr;
  CallOwners calls_;
};

// A JSON error response: {"error": message}.
HttpResponse error_response(int status, std::string_view message);
// The response to an error of the engine or the store: its status from the
// error's code (http_status_of), and, when the message begins with the JSON
// path of the bad field ("$.tickets[0].subject: ..."), that path as "path".
HttpResponse error_response_of(const Error& error);
// A JSON document as the response's body.
HttpResponse json_response(const nlohmann::json& body, int status = 200);
// 400 for bad input, 403 refused to the role, 404 unknown, 409 a state
// that does not allow it, 503 the store unreachable or busy, else 500.
int http_status_of(Errc code) noexcept;

}  // namespace hotline::ops
