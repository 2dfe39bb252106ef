// Keyset cursors shared by the backends: "<sort key>:<id>" of the last row
// of a page. Opaque to callers; parsed strictly because they come back in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/result.hpp"

namespace hotline::store {

struct Cursor {
  std::int64_t key = 0;
  std::int64_t id = 0;
};

std::string encode_cursor(std::int64_t key, std::int64_t id);
Result<Cursor> decode_cursor(std::string_view text);

// Words of a free-text query: letters and digits (any non-ASCII byte counts
// as a letter so that UTF-8 text stays whole), lower-cased.
std::vector<std::string> query_words(std::string_view text);

}  // namespace hotline::store
