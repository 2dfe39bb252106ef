// The contact center as Prometheus metrics (docs/ops-server.md, "Metrics"):
// per queue the live gauges from the router, the counters since the start
// from the KPI collector, and the wait and handle-time histograms.
#pragma once

#include <string>

#include "call_timings.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/metrics/kpi.hpp"

namespace hotline::ops {

// `kpi` must have been flushed to `now`.
std::string center_metrics_text(const engine::Engine& engine, const metrics::KpiCollector& kpi,
                                CallTimings& timings, TimeMs now);

}  // namespace hotline::ops
