// The REST routes of the operations server (docs/ops-server.md, and
// docs/openapi.yaml for their shapes). Every route authenticates first: no
// or an unknown token is 401 on any path, a role without the right is 403.
// Runs on the engine's loop thread.
#pragma once

#include <functional>

#include "access_table.hpp"
#include "call_timings.hpp"
#include "http_exchange.hpp"
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

  HttpResponse handle(const HttpRequest& request);
  // Whether `agent_id` is a supervisor in the engine's current configuration.
  bool is_supervisor(std::string_view agent_id) const;

  static constexpr std::size_t kMaxBodyBytes = 64 * 1024;

 private:
  HttpResponse queues(TimeMs now) const;
  HttpResponse agents(const Principal& who) const;
  HttpResponse set_agent_state(const Principal& who, std::string_view agent_id,
                               const std::string& body);

  engine::Engine& engine_;
  runtime::Driver& driver_;
  const metrics::KpiCollector& kpi_;
  CallTimings& timings_;
  const AccessTable& access_;
  std::function<TimeMs()> now_;
  std::function<void()> after_change_;
};

// A JSON error response: {"error": message}.
HttpResponse error_response(int status, std::string_view message);

}  // namespace hotline::ops
