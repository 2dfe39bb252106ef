#include "hotline/runtime/statistics.hpp"

namespace hotline::runtime {
namespace {

// The handle-time parts and call-control counts, the same for a queue and
// an agent (docs/metrics.md).
template <typename Counts>
void add_handling(nlohmann::json& j, const Counts& c) {
  namespace m = metrics;
  j["talk_ms"] = c.talk_ms;
  j["hold_ms"] = c.hold_ms;
  j["wrap_ms"] = c.wrap_ms;
  j["average_talk_ms"] = m::average_talk_ms(c);
  j["average_hold_ms"] = m::average_hold_ms(c);
  j["average_wrap_ms"] = m::average_wrap_ms(c);
  j["holds"] = c.holds;
  j["transfers"] = c.transfers;
  j["consultations"] = c.consultations;
  j["conferences"] = c.conferences;
  nlohmann::json codes = nlohmann::json::object();
  for (const auto& [code, n] : c.wrap_up_codes) codes[code] = n;
  j["wrap_up_codes"] = std::move(codes);
  j["csat_responses"] = c.csat_responses;
  j["csat"] = m::csat_top_box(c);
  j["csat_mean"] = m::csat_mean(c);
}

}  // namespace

nlohmann::json engine_statistics(const engine::Engine& engine,
                                 const metrics::KpiCollector& kpi, TimeMs now) {
  namespace m = metrics;
  using nlohmann::json;
  const auto& router = engine.router();
  json queues = json::object();
  for (const auto& id : router.queue_ids()) {
    auto snap = router.queue_snapshot(id, now);
    if (!snap) continue;
    // Live state from the router; every count from the collector, which
    // measures each queue against its own service-level threshold.
    const m::QueueCounts c = kpi.queue_total(id);
    queues[id] = {{"waiting", snap->waiting},
                  {"longest_wait_ms", snap->longest_wait_ms},
                  {"agents_logged_in", snap->agents_logged_in},
                  {"agents_available", snap->agents_available},
                  {"agents_busy", snap->agents_busy},
                  {"offered", c.offered},
                  {"answered", c.answered},
                  {"abandoned", c.abandoned},
                  {"refused", c.refused},
                  {"service_level", m::service_level(c, kpi.options().formula)},
                  {"asa_ms", m::average_speed_of_answer_ms(c)},
                  {"aht_ms", m::average_handle_time_ms(c)},
                  {"handled", c.handled},
                  {"issue_contacts", c.issue_contacts},
                  {"resolutions", c.resolutions},
                  {"first_contact_resolution", m::first_contact_resolution(c)}};
    add_handling(queues[id], c);
  }
  json agents = json::object();
  for (const auto& id : router.agent_ids()) {
    auto snap = router.agent_snapshot(id);
    if (!snap) continue;
    const m::AgentCounts c = kpi.agent_total(id);
    agents[id] = {{"state", routing::agent_state_name(snap->state)},
                  {"since", snap->state_since},
                  {"handled", c.handled},
                  {"occupancy", m::occupancy(c)},
                  {"aht_ms", m::average_handle_time_ms(c)}};
    add_handling(agents[id], c);
  }
  return json{{"time", now},
              {"live_calls", engine.live_calls()},
              {"queues", std::move(queues)},
              {"agents", std::move(agents)}};
}

}  // namespace hotline::runtime
