// The words of a text as ticket search sees them, on every backend: split
// and folded by SQLite's FTS5 `unicode61` tokenizer with the options of the
// SQLite backend's index (remove_diacritics 2), so "Zoë", "ZOE" and "zoe"
// are one word in memory, in a host's key-value store and in SQLite alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/result.hpp"

namespace hotline::store {

// Lower-cased, accents removed; a run of letters or digits is one word
// (Chinese and Japanese text without spaces is one word per run).
Result<std::vector<std::string>> search_words(std::string_view text);

}  // namespace hotline::store
