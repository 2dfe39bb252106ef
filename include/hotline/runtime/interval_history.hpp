// Interval history (hl_engine_intervals): the day's KPIs per queue and per
// agent in 15-, 30- or 60-minute intervals, for reports and the screens that
// chart them. docs/metrics.md lists the fields.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "hotline/engine/engine.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/util/result.hpp"
#include "hotline/util/time.hpp"

namespace hotline::runtime {

// The longest span one query may cover: its answer grows with it.
inline constexpr DurationMs kMaxIntervalHistorySpan = minutes(31LL * 24 * 60);

struct IntervalQuery {
  TimeMs from = 0;  // the first interval is the one holding `from`
  TimeMs to = 0;    // exclusive
  DurationMs interval_ms = minutes(30);  // a multiple of the collector's interval
  std::string queue;  // only this queue; empty: every queue
  std::string agent;  // only this agent; empty: every agent
  bool queues = true;
  bool agents = true;
};

// `kpi` must have been flushed to at least `query.to` (or to now). Errors
// name the query's field.
Result<nlohmann::json> interval_history(const engine::Engine& engine,
                                        const metrics::KpiCollector& kpi,
                                        const IntervalQuery& query);

}  // namespace hotline::runtime
