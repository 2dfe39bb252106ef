#include "hotline/util/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace hotline {

std::size_t ascii_prefix_length(std::string_view text) noexcept {
  // Any byte with its high bit set is not ASCII.
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, text.data() + i, 8);  // memcpy: the text need not be aligned
    if (chunk & kHighBits) break;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    i += ascii_prefix_length(text.substr(i));
    if (i >= n) break;
    const std::uint8_t b = p[i];
    // The lead byte fixes the length and the range the second byte may take
    // (the tight ranges exclude overlong forms, surrogates and > U+10FFFF).
    std::size_t len = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b == 0xE0) {
      len = 3, lo = 0xA0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      len = 3;
    } else if (b == 0xED) {
      len = 3, hi = 0x9F;
    } else if (b == 0xF0) {
      len = 4, lo = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3) {
      len = 4;
    } else if (b == 0xF4) {
      len = 4, hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::nullopt;
}

Status require_utf8(std::string_view text, std::string_view what) {
  if (auto bad = first_invalid_utf8(text)) {
    return make_error(Errc::kInvalidArgument, std::string(what) + ": not valid UTF-8 (byte " +
                                                  std::to_string(*bad) + ")");
  }
  return {};
}

}  // namespace hotline
