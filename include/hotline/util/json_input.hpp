// Parsing JSON that comes from outside (configuration, posted events, store
// records, host results). The nesting depth is bounded before a document is
// built, so code that walks it recursively (serialising it, turning it into
// attributes or a flow) never meets more levels than this; a refusal names
// the JSON path where the limit was crossed, or the line and column of a
// syntax error. Invalid UTF-8 inside strings is a syntax error.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/util/result.hpp"

namespace hotline {

// Deep enough for every document Hotline defines (a flow node's attributes
// are four or five levels down), shallow enough that recursive walks stay
// far from the stack's end.
inline constexpr int kMaxJsonDepth = 64;

// `what` names the input in messages ("config_json", "event_json", ...).
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what,
                                  int max_depth = kMaxJsonDepth);

// A message of nlohmann's without its "[json.exception.parse_error.101] "
// tag: the rest says what and where.
std::string without_exception_tag(const std::string& what);

// The depth of an already-built document (a scalar is 0, [] is 1), counted
// without recursion, stopping once it passes `limit`.
int json_depth(const nlohmann::json& document, int limit = kMaxJsonDepth);

}  // namespace hotline
