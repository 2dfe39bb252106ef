#include "hotline/runtime/interval_history.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace hotline::runtime {
namespace {

using nlohmann::json;
namespace m = metrics;

Error invalid(std::string message) {
  return make_error(Errc::kInvalidArgument, std::move(message));
}

// A ratio, or null when its denominator is 0 (nothing to measure).
json ratio_or_null(bool measured, double value) { return measured ? json(value) : json(nullptr); }

json queue_row(TimeMs start, const m::QueueCounts& c, m::ServiceLevelFormula f) {
  const bool handled = c.handled > 0;
  return json{
      {"start_ms", start},
      {"offered", c.offered},
      {"answered", c.answered},
      {"answered_within_sl", c.answered_within_sl},
      {"abandoned", c.abandoned},
      {"short_abandoned", c.short_abandoned},
      {"overflowed", c.overflowed},
      {"removed", c.removed},
      {"refused", c.refused},
      {"handled", c.handled},
      {"service_level", ratio_or_null(c.offered > c.short_abandoned, m::service_level(c, f))},
      {"asa_ms", ratio_or_null(c.answered > 0, m::average_speed_of_answer_ms(c))},
      {"abandon_rate", ratio_or_null(c.offered > 0, m::abandonment_rate(c))},
      {"busy_rate", ratio_or_null(c.offered + c.refused > 0, m::busy_rate(c))},
      {"aht_ms", ratio_or_null(handled, m::average_handle_time_ms(c))},
      {"talk_ms", ratio_or_null(handled, m::average_talk_ms(c))},
      {"hold_ms", ratio_or_null(handled, m::average_hold_ms(c))},
      {"wrap_ms", ratio_or_null(handled, m::average_wrap_ms(c))},
      {"issue_contacts", c.issue_contacts},
      {"resolutions", c.resolutions},
      {"first_contact_resolution",
       ratio_or_null(c.issue_contacts > 0, m::first_contact_resolution(c))},
      {"csat_responses", c.csat_responses},
      {"csat", ratio_or_null(c.csat_responses > 0, m::csat_top_box(c))},
  };
}

json agent_row(TimeMs start, const m::AgentCounts& c) {
  const bool handled = c.handled > 0;
  return json{
      {"start_ms", start},
      {"answered", c.answered},
      {"missed", c.missed},
      {"handled", c.handled},
      {"aht_ms", ratio_or_null(handled, m::average_handle_time_ms(c))},
      {"talk_ms", ratio_or_null(handled, m::average_talk_ms(c))},
      {"hold_ms", ratio_or_null(handled, m::average_hold_ms(c))},
      {"wrap_ms", ratio_or_null(handled, m::average_wrap_ms(c))},
      {"occupancy", ratio_or_null(c.available_ms + c.reserved_ms + c.busy_ms +
                                          c.wrap_state_ms > 0,
                                  m::occupancy(c))},
      {"logged_in_ms", c.logged_in_ms},
      {"available_ms", c.available_ms},
      {"not_ready_ms", c.not_ready_ms},
      {"csat_responses", c.csat_responses},
      {"csat", ratio_or_null(c.csat_responses > 0, m::csat_top_box(c))},
  };
}

std::vector<std::string> known(std::vector<std::string> a, const std::vector<std::string>& b) {
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  return {all.begin(), all.end()};
}

}  // namespace

Result<json> interval_history(const engine::Engine& engine, const m::KpiCollector& kpi,
                              const IntervalQuery& q) {
  const DurationMs unit = kpi.options().interval_ms;
  if (q.interval_ms <= 0 || q.interval_ms % unit != 0 || q.interval_ms > minutes(24 * 60)) {
    return invalid(fmt::format("interval_minutes: {} is not a multiple of the engine's {}-minute "
                               "intervals up to a day",
                               static_cast<double>(q.interval_ms) / 60'000, unit / 60'000));
  }
  // Both at or after the epoch, so `to - from` and the buckets below cannot overflow.
  if (q.from < 0) return invalid("from_ms: must be >= 0");
  if (q.to <= q.from) return invalid("to_ms: must be after from_ms");
  if (q.to - q.from > kMaxIntervalHistorySpan) {
    return invalid("to_ms: more than 31 days after from_ms");
  }
  const auto queues = known(engine.router().queue_ids(), kpi.queues());
  const auto agents = known(engine.router().agent_ids(), kpi.agents());
  if (!q.queue.empty() && !std::binary_search(queues.begin(), queues.end(), q.queue)) {
    return make_error(Errc::kNotFound, fmt::format("queue_id: no queue '{}'", q.queue));
  }
  if (!q.agent.empty() && !std::binary_search(agents.begin(), agents.end(), q.agent)) {
    return make_error(Errc::kNotFound, fmt::format("agent_id: no agent '{}'", q.agent));
  }
  // Buckets of `interval_ms` aligned to the epoch, like the collector's.
  const DurationMs step = q.interval_ms;
  auto bucket_of = [&](TimeMs t) {
    const TimeMs b = (t / step) * step;
    return b > t ? b - step : b;
  };
  const TimeMs first = bucket_of(q.from);
  const auto slot = [&](TimeMs t) { return static_cast<std::size_t>((t - first) / step); };
  const std::size_t slots = slot(q.to - 1) + 1;
  const m::ServiceLevelFormula f = kpi.options().formula;

  json out{{"interval_minutes", step / 60'000}, {"from_ms", first}, {"to_ms", q.to}};
  if (q.queues) {
    json by_queue = json::object();
    for (const auto& id : queues) {
      if (!q.queue.empty() && id != q.queue) continue;
      std::vector<m::QueueCounts> sums(slots);
      const auto& iv = kpi.queue_intervals(id);  // empty for a queue without traffic
      for (auto it = iv.lower_bound(first); it != iv.end() && it->first < q.to; ++it) {
        sums[slot(it->first)] += it->second;
      }
      json rows = json::array();
      for (std::size_t i = 0; i < slots; ++i) {
        rows.push_back(queue_row(first + static_cast<TimeMs>(i) * step, sums[i], f));
      }
      by_queue[id] = std::move(rows);
    }
    out["queues"] = std::move(by_queue);
    // Self-service is the center's: a call that ended in the IVR had no queue.
    std::vector<m::CallCounts> calls(slots);
    const auto& civ = kpi.call_intervals();
    for (auto it = civ.lower_bound(first); it != civ.end() && it->first < q.to; ++it) {
      calls[slot(it->first)] += it->second;
    }
    json rows = json::array();
    for (std::size_t i = 0; i < slots; ++i) {
      rows.push_back(json{{"start_ms", first + static_cast<TimeMs>(i) * step},
                          {"calls", calls[i].calls},
                          {"self_served", calls[i].self_served},
                          {"self_service_share", ratio_or_null(calls[i].calls > 0,
                                                               m::self_service_share(calls[i]))}});
    }
    out["calls"] = std::move(rows);
  }
  if (q.agents) {
    json by_agent = json::object();
    for (const auto& id : agents) {
      if (!q.agent.empty() && id != q.agent) continue;
      json rows = json::array();
      for (std::size_t i = 0; i < slots; ++i) {
        const TimeMs start = first + static_cast<TimeMs>(i) * step;
        m::AgentCounts sum;
        // Offsets from `start`, so that no sum passes the end of time.
        const DurationMs length = std::min(step, q.to - start);
        for (DurationMs offset = 0; offset < length; offset += unit) {
          sum += kpi.agent_interval(id, kpi.interval_start(start + offset));
        }
        rows.push_back(agent_row(start, sum));
      }
      by_agent[id] = std::move(rows);
    }
    out["agents"] = std::move(by_agent);
  }
  return out;
}

}  // namespace hotline::runtime
