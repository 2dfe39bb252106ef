// The two ways read_config_text reads a configuration's text. simdjson
// parses a hundred megabytes in a fraction of the time nlohmann's lexer
// takes, so it goes first; nlohmann's events take whatever it leaves, and
// word the refusal of a text that is not JSON. Each gives what the other
// does for a text both read: the document, the agents and any refusal.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/routing/agent_config.hpp"
#include "hotline/routing/config_text.hpp"
#include "hotline/util/result.hpp"

namespace hotline::routing {

// Parsed by simdjson, each agent read from its element without a document
// of its own. nullopt when the text is not for this reader: one simdjson
// refuses (not JSON, nested too deep, a number beyond 64 bits) or may read
// differently from nlohmann (an integer written "-0").
std::optional<nlohmann::json> read_config_text_simd(std::string_view text,
                                                    PreparsedAgents& agents);

// One agent's text read as read_config_text_simd reads an element of
// "agents" without a document: nullopt where it leaves the agent to
// agent_from_json (anything that function might refuse or read otherwise).
// For the tests that hold the two to the same agents.
std::optional<AgentConfig> read_plain_agent_simd(std::string_view text);

// nlohmann's parser events, each agent read from a small document of its own.
Result<nlohmann::json> read_config_text_events(std::string_view text, PreparsedAgents& agents);

}  // namespace hotline::routing
