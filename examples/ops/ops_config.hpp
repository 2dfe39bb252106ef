// The operations server's own configuration (docs/ops-server.md):
//   {"tokens": [...access_table.hpp...],
//    "wait_buckets_seconds": [...], "handle_buckets_seconds": [...],
//    "wallboard": {...wallboard_thresholds.hpp...}}
// The contact center itself comes from the engine's configuration file.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "access_table.hpp"
#include "wallboard_thresholds.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/util/result.hpp"

namespace hotline::ops {

struct OpsConfig {
  AccessTable access;
  // Histogram upper bounds; the defaults suit a voice queue's waits (the
  // 15 s and 20 s service-level thresholds are bounds) and handle times.
  std::vector<double> wait_buckets_seconds{5, 10, 15, 20, 30, 60, 120, 300, 600};
  std::vector<double> handle_buckets_seconds{30, 60, 120, 180, 300, 600, 900, 1800, 3600};
  WallboardThresholds wallboard;
};

// Every error names its JSON path ($.tokens[2].role, ...); nothing is
// partly applied because nothing is applied before the whole document passed.
// Given `agent_exists`, an agent token must name an agent of the center;
// given `agent_is_supervisor`, a supervisor token's agent must be a supervisor.
Result<OpsConfig> ops_config_from_json(
    const nlohmann::json& j, const AccessTable::AgentExists& agent_exists = {},
    const AccessTable::AgentIsSupervisor& agent_is_supervisor = {});

// The configuration of a server for `center`: an agent token must name one of
// its agents, a supervisor token one of its supervisors.
Result<OpsConfig> ops_config_for_center(const nlohmann::json& j, const engine::Engine& center);

}  // namespace hotline::ops
