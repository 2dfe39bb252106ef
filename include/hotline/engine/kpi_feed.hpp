// Turns the engine's notifications into KPI facts, so every host (the C ABI's
// statistics, the simulator) counts the same way.
#pragma once

#include <unordered_map>

#include "hotline/engine/notification.hpp"
#include "hotline/metrics/kpi.hpp"

namespace hotline::engine {

class KpiFeed {
 public:
  explicit KpiFeed(metrics::KpiCollector& kpi) : kpi_(kpi) {}
  void on(const Notification& n);

 private:
  metrics::KpiCollector& kpi_;
  std::unordered_map<std::uint64_t, TimeMs> completed_at_;  // contact → end of talk
};

}  // namespace hotline::engine
