// Placeholders in script text: ${customer.name}, ${agent.number},
// ${call.caller}... are dotted paths into a context object the caller
// supplies. Values are inserted as plain text (no HTML or Markdown escaping:
// the screen that shows the text escapes it for its own format); "$${"
// writes a literal "${". A placeholder the context lacks, or whose value is
// null, an object or a list, stays in the text as written and is reported.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/store/knowledge.hpp"

namespace hotline::store {

RenderedScript render_placeholders(std::string_view text, const nlohmann::json& context);

}  // namespace hotline::store
