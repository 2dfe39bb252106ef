// Turns the engine's notifications into KPI facts, so every host (the C ABI's
// statistics, the simulator) counts the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "hotline/engine/notification.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/util/id_map.hpp"

namespace hotline::engine {

class KpiFeed {
 public:
  explicit KpiFeed(metrics::KpiCollector& kpi) : kpi_(kpi) {}
  void on(const Notification& n);
  // Contacts `queue` turned away (at its max length) since the feed began.
  std::uint64_t refused(std::string_view queue) const;

 private:
  metrics::KpiCollector& kpi_;
  std::map<std::string, std::uint64_t, std::less<>> refused_;
  IdMap<TimeMs> completed_at_;  // contact → end of talk
};

}  // namespace hotline::engine
