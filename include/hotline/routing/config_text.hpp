// A configuration read from its text in one pass. The agents, the bulk of a
// large configuration (a million of them is a hundred megabytes), become
// AgentConfigs as they are read, each straight from the parser's element
// (or, for what only agent_from_json should judge, a small document of its
// own that is dropped at once), instead of first becoming a document node
// per value that is walked, and freed, afterwards. Everything else is kept
// as a document. What is accepted, and every refusal with its JSON path, is
// the same as parsing the text and loading the document.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hotline/routing/agent_config.hpp"
#include "hotline/util/result.hpp"

namespace hotline::routing {

// The elements of the configuration's top-level "agents" array, read aside.
struct PreparsedAgents {
  // True when "agents" was an array and its elements are here; the document
  // then holds an empty array in their place.
  bool read = false;
  // $.agents[0] onwards, up to the first element refused.
  std::vector<AgentConfig> agents;
  // The refusal of $.agents[agents.size()], if one was: raised in its turn,
  // after the checks that come before it when loading the document.
  std::optional<Error> error;
};

// The document without its agents' elements, or a kInvalidArgument error
// "not valid JSON: ..." with the parser's line and column.
Result<nlohmann::json> read_config_text(std::string_view text, PreparsedAgents& agents);

}  // namespace hotline::routing
