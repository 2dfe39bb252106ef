// A short piece of a record's text around what a search matched, the
// matched words marked with [ and ] as they stand in the original (case,
// width and script untouched): "订单号A123[退款]", "[Modem] keeps rebooting".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/result.hpp"
#include "store/search_words.hpp"

namespace hotline::store::search {

inline constexpr const char* kMarkOpen = "[";
inline constexpr const char* kMarkClose = "]";

// Empty when `text` holds no phrase of the query. Around the first match, at
// most `width` characters of the text starting at a word; a cut end is shown
// as "…".
Result<std::string> snippet(std::string_view text, const std::vector<SearchPhrase>& query,
                            std::size_t width = 80);

}  // namespace hotline::store::search
