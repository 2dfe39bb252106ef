// The statistics snapshot a host reads (hl_engine_stats): per queue, what
// waits and who is staffed now (the router's view) and the counts and
// ratios since the start (the KPI collector); per agent, state and work.
// Both carry the parts of AHT and the call-control counts (holds,
// transfers, consultations, conferences, wrap-up codes: docs/metrics.md).
#pragma once

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/metrics/kpi.hpp"

namespace hotline::runtime {

// {"time", "live_calls", "queues": {id: {...}}, "agents": {id: {...}}}.
// `kpi` must have been flushed to `now`. Each queue's service level counts
// answers against that queue's own threshold (its service_level_seconds,
// or the configuration's options.service_level_seconds).
nlohmann::json engine_statistics(const engine::Engine& engine,
                                 const metrics::KpiCollector& kpi, TimeMs now);

}  // namespace hotline::runtime
