// Turns the engine's notifications into KPI facts, so every host (the C ABI's
// statistics, the simulator) counts the same way.
#pragma once

#include <cstdint>

#include "hotline/engine/notification.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/util/id_map.hpp"

namespace hotline::engine {

class KpiFeed {
 public:
  explicit KpiFeed(metrics::KpiCollector& kpi) : kpi_(kpi) {}
  void on(const Notification& n);

 private:
  metrics::KpiCollector& kpi_;
  IdMap<TimeMs> completed_at_;  // contact → end of talk
};

}  // namespace hotline::engine
