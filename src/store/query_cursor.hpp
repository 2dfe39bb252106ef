// Keyset cursors shared by the backends: "<sort key>:<id>" of the last row
// of a page. Opaque to callers; parsed strictly because they come back in.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hotline/util/result.hpp"

namespace hotline::store {

struct Cursor {
  std::int64_t key = 0;
  std::int64_t id = 0;
};

std::string encode_cursor(std::int64_t key, std::int64_t id);
Result<Cursor> decode_cursor(std::string_view text);

}  // namespace hotline::store
