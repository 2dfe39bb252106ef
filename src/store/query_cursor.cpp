#include "query_cursor.hpp"

#include <charconv>

#include <fmt/format.h>

namespace hotline::store {

std::string encode_cursor(std::int64_t key, std::int64_t id) {
  return fmt::format("{}:{}", key, id);
}

Result<Cursor> decode_cursor(std::string_view text) {
  Cursor c;
  const auto colon = text.find(':');
  auto bad = [&] {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("malformed page cursor '{}'", text.substr(0, 40)));
  };
  if (colon == std::string_view::npos) return bad();
  const char* end = text.data() + colon;
  auto r1 = std::from_chars(text.data(), end, c.key);
  if (r1.ec != std::errc() || r1.ptr != end) return bad();
  auto r2 = std::from_chars(end + 1, text.data() + text.size(), c.id);
  if (r2.ec != std::errc() || r2.ptr != text.data() + text.size()) return bad();
  return c;
}

std::vector<std::string> query_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z')) {
      word += ch;
    } else if (u >= 'A' && u <= 'Z') {
      word += static_cast<char>(u - 'A' + 'a');
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace hotline::store
