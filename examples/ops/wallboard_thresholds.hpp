// The wallboard's colour thresholds (ops.json "wallboard", docs/ops-server.md).
// The defaults are the best-practice figures the requirements quote; each
// queue's own service-level seconds come from the center's configuration.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "hotline/util/result.hpp"

namespace hotline::ops {

struct WallboardThresholds {
  double service_level_percent = 80;  // answered within the queue's threshold, at least
  double abandon_percent = 2;         // abandoned of offered, at most
  double busy_percent = 2;            // refused (busy) of offered, at most
  double asa_seconds = 15;            // average speed of answer, at most
  double fcr_percent = 90;            // first-contact resolution, at least
  double occupancy_percent = 80;      // agents' occupancy, at most
};

// Every key is optional; errors name the JSON path under `path`.
Result<WallboardThresholds> wallboard_thresholds_from_json(const nlohmann::json& j,
                                                           std::string_view path);
nlohmann::json to_json(const WallboardThresholds& thresholds);

}  // namespace hotline::ops
