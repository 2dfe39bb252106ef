#include "center_metrics.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "prometheus_text.hpp"

namespace hotline::ops {

namespace {

constexpr std::array kAgentStates = {
    routing::AgentState::kLoggedOut, routing::AgentState::kAvailable,
    routing::AgentState::kNotReady,  routing::AgentState::kReserved,
    routing::AgentState::kBusy,      routing::AgentState::kWrapUp,
};

// Queue id → count of its member agents in each state. An agent serves a
// queue through the queue's member list or its own "queues" list.
std::map<std::string, std::array<int, kAgentStates.size()>> agents_by_state(
    const routing::Router& router) {
  std::map<std::string, std::array<int, kAgentStates.size()>> counts;
  const std::vector<std::string> queue_ids = router.queue_ids();
  for (const auto& queue_id : queue_ids) counts[queue_id] = {};
  for (const auto& agent_id : router.agent_ids()) {
    auto snap = router.agent_snapshot(agent_id);
    if (!snap) continue;
    const auto state = static_cast<std::size_t>(snap->state);
    // Put back together by the router on each call: once per agent.
    const std::optional<routing::AgentConfig> agent = router.agent_config(agent_id);
    for (const auto& queue_id : queue_ids) {
      const routing::QueueConfig* queue = router.queue_config(queue_id);
      const bool member =
          (queue && std::any_of(queue->members.begin(), queue->members.end(),
                                [&](const auto& m) { return m.agent_id == agent_id; })) ||
          (agent && std::find(agent->queues.begin(), agent->queues.end(), queue_id) !=
                        agent->queues.end());
      if (member && state < kAgentStates.size()) ++counts[queue_id][state];
    }
  }
  return counts;
}

}  // namespace

std::string center_metrics_text(const engine::Engine& engine, const metrics::KpiCollector& kpi,
                                CallTimings& timings, TimeMs now) {
  const routing::Router& router = engine.router();
  const std::vector<std::string> queue_ids = router.queue_ids();
  PrometheusText out;
  constexpr double kMsPerSecond = 1000.0;

  out.family("hotline_queue_waiting", "gauge", "Contacts waiting in the queue now.");
  for (const auto& id : queue_ids) {
    if (auto snap = router.queue_snapshot(id, now)) {
      out.sample("hotline_queue_waiting", {{"queue", id}}, snap->waiting);
    }
  }
  out.family("hotline_queue_longest_wait_seconds", "gauge",
             "How long the longest-waiting contact in the queue has waited.");
  for (const auto& id : queue_ids) {
    if (auto snap = router.queue_snapshot(id, now)) {
      out.sample("hotline_queue_longest_wait_seconds", {{"queue", id}},
                 static_cast<double>(snap->longest_wait_ms) / kMsPerSecond);
    }
  }
  out.family("hotline_queue_agents", "gauge", "Agents serving the queue, by their state now.");
  for (const auto& [id, states] : agents_by_state(router)) {
    for (std::size_t s = 0; s < kAgentStates.size(); ++s) {
      out.sample("hotline_queue_agents",
                 {{"queue", id}, {"state", std::string(routing::agent_state_name(kAgentStates[s]))}},
                 states[s]);
    }
  }

  struct Counter {
    const char* name;
    const char* help;
    std::int64_t metrics::QueueCounts::*field;
  };
  static constexpr Counter kCounters[] = {
      {"hotline_queue_offered_total", "Contacts that entered the queue.",
       &metrics::QueueCounts::offered},
      {"hotline_queue_answered_total", "Contacts an agent answered.",
       &metrics::QueueCounts::answered},
      {"hotline_queue_abandoned_total", "Contacts whose caller left before an answer.",
       &metrics::QueueCounts::abandoned},
      {"hotline_queue_answered_within_threshold_total",
       "Contacts answered within the queue's service-level threshold.",
       &metrics::QueueCounts::answered_within_sl},
  };
  std::map<std::string, metrics::QueueCounts> totals;
  for (const auto& id : queue_ids) totals[id] = kpi.queue_total(id);
  for (const Counter& counter : kCounters) {
    out.family(counter.name, "counter", counter.help);
    for (const auto& [id, counts] : totals) {
      out.sample(counter.name, {{"queue", id}}, static_cast<double>(counts.*(counter.field)));
    }
  }
  out.family("hotline_queue_service_level_threshold_seconds", "gauge",
             "The answer time the queue's service level is measured against.");
  for (const auto& id : queue_ids) {
    if (auto threshold = router.service_level_ms(id)) {
      out.sample("hotline_queue_service_level_threshold_seconds", {{"queue", id}},
                 static_cast<double>(*threshold) / kMsPerSecond);
    }
  }

  for (const auto& id : queue_ids) timings.queue(id);  // every queue has its series
  out.family("hotline_queue_wait_seconds", "histogram",
             "How long answered contacts waited in the queue.");
  for (const auto& [id, t] : timings.queues()) {
    out.histogram("hotline_queue_wait_seconds", {{"queue", id}}, t.wait_seconds);
  }
  out.family("hotline_queue_handle_seconds", "histogram",
             "Handle time of the queue's contacts: answer to the end of wrap-up.");
  for (const auto& [id, t] : timings.queues()) {
    out.histogram("hotline_queue_handle_seconds", {{"queue", id}}, t.handle_seconds);
  }
  return out.text();
}

}  // namespace hotline::ops
