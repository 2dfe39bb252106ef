// Queues, agents and contacts from JSON, the format of the engine's
// configuration files and of the C ABI's load calls (docs/configuration.md).
// Errors carry the JSON path of the offending value.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hotline/routing/agent_config.hpp"
#include "hotline/routing/contact_spec.hpp"
#include "hotline/routing/queue_config.hpp"
#include "hotline/util/result.hpp"

namespace hotline::routing {

class Router;
struct RouterOptions;
struct PreparsedAgents;

// Queues and agents parsed and checked against a router (ids not yet taken,
// every queue an agent names known), so that adding them cannot fail halfway.
struct RoutingConfig {
  std::vector<QueueConfig> queues;
  std::vector<AgentConfig> agents;
};

Result<QueueConfig> queue_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<AgentConfig> agent_from_json(const nlohmann::json& j, std::string_view path = "$");
Result<ContactSpec> contact_from_json(const nlohmann::json& j, std::string_view path = "$");

// The configuration's "options" object over `base`: the keys it has replace
// base's values.
Result<RouterOptions> router_options_from_json(const nlohmann::json& j, std::string_view path,
                                               RouterOptions base);

// The "queues" and "agents" arrays of `config` (other keys are the caller's
// to check), with paths under `path`. With `preparsed` (config_text.hpp)
// whose agents were read aside, those stand for the "agents" array.
Result<RoutingConfig> routing_config_from_json(const nlohmann::json& config, const Router& router,
                                               std::string_view path = "$",
                                               PreparsedAgents* preparsed = nullptr);
// Adds every queue, then every agent.
Status apply_routing_config(Router& router, RoutingConfig config);

// {"queues": [...], "agents": [...]}, nothing else: all of it is added, or on
// an error nothing.
Status load_routing_config(Router& router, const nlohmann::json& config);

}  // namespace hotline::routing
