#include "query_cursor.hpp"

#include <charconv>

#include <fmt/format.h>

#include "store/text_input.hpp"

namespace hotline::store {

std::string encode_cursor(std::int64_t key, std::int64_t id) {
  return fmt::format("{}:{}", key, id);
}

Result<Cursor> decode_cursor(std::string_view text) {
  Cursor c;
  const auto colon = text.find(':');
  auto bad = [&] {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("malformed page cursor '{}'", excerpt(text, 40)));
  };
  if (colon == std::string_view::npos) return bad();
  const char* end = text.data() + colon;
  auto r1 = std::from_chars(text.data(), end, c.key);
  if (r1.ec != std::errc() || r1.ptr != end) return bad();
  auto r2 = std::from_chars(end + 1, text.data() + text.size(), c.id);
  if (r2.ec != std::errc() || r2.ptr != text.data() + text.size()) return bad();
  return c;
}

}  // namespace hotline::store
