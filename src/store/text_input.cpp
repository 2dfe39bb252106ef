#include "store/text_input.hpp"

#include <fmt/format.h>

#include "hotline/util/utf8.hpp"

namespace hotline::store {

Status check_text(std::string_view field, std::string_view value, std::size_t limit) {
  if (auto st = require_utf8(value, field); !st) return st;
  if (value.size() > limit) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{} is {} bytes long; the limit is {}", field, value.size(),
                                  limit));
  }
  return {};
}

std::string_view excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back over continuation bytes (10xxxxxx) to the start of the cut sequence.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Status check_actor(const Actor& actor) { return check_text("actor id", actor.id, 256); }

}  // namespace hotline::store
