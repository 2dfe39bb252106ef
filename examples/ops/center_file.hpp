// The contact center a host serves, read from the same file the simulator
// and the demo use: the engine's configuration, with "flow_files" (flows in
// files of their own, named relative to the center file) read into "flows"
// and a scenario's "simulation" part, which only the simulator reads,
// set aside.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hotline/util/result.hpp"

namespace hotline::ops {

Result<nlohmann::json> read_center_file(const std::string& path);

}  // namespace hotline::ops
