// UTF-8 validation for text that enters from outside (the C ABI, posted
// events, CSV rows, stored records). Every text the engine and the stores
// keep is valid UTF-8, so JSON output, full-text indexes and comparisons
// never meet a byte sequence they cannot represent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/util/result.hpp"

namespace hotline {

// The byte offset of the first byte that does not start a well-formed UTF-8
// sequence (overlong forms, surrogates and code points above U+10FFFF are
// ill-formed, as RFC 3629 says), or nullopt when all of `text` is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

// The length of `text`'s leading run of ASCII bytes: the offset of its first
// byte above 0x7F, or its size. Read eight bytes at a time, since most text
// that enters is ASCII.
std::size_t ascii_prefix_length(std::string_view text) noexcept;

inline bool is_valid_utf8(std::string_view text) noexcept {
  return !first_invalid_utf8(text).has_value();
}

// kInvalidArgument naming `what` and the offset when `text` is not UTF-8.
Status require_utf8(std::string_view text, std::string_view what);

}  // namespace hotline
