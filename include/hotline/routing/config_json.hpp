// Queues, agents and contacts from JSON, the format of the engine's
// configuration files and of the C ABI's load calls (docs/configuration.md).
// Errors carry the JSON path of the offending value.
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "hotline/routing/agent_config.hpp"
#include "hotline/routing/contact_spec.hpp"
#include "hotline/routing/queue_config.hpp"
#include "hotline/util/result.hpp"

namespace hotline::routing {

class Router;

Result<QueueConfig> queue_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<AgentConfig> agent_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<ContactSpec> contact_from_json(const nlohmann::json& j, std::string_view path = "$");

// {"queues": [...], "agents": [...]}: adds every queue, then every agent.
// Stops at the first error; what was added before it stays.
Status load_routing_config(Router& router, const nlohmann::json& config);

}  // namespace hotline::routing
