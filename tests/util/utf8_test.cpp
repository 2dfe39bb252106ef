#include <doctest/doctest.h>

#include <string>

#include "hotline/util/utf8.hpp"

using hotline::first_invalid_utf8;
using hotline::is_valid_utf8;

TEST_CASE("UTF-8: well-formed text of every sequence length passes") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii 123"));
  CHECK(is_valid_utf8("Zoë"));                  // 2 bytes
  CHECK(is_valid_utf8("张三 投诉"));            // 3 bytes
  CHECK(is_valid_utf8("\xF0\x9F\x93\x9E"));     // U+1F4DE, 4 bytes
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));     // U+10FFFF, the last code point
  CHECK(is_valid_utf8(std::string("a\0b", 3)));  // NUL is a character
}

TEST_CASE("UTF-8: ill-formed sequences are found at their first byte") {
  CHECK(first_invalid_utf8("caf\xE9") == 3u);          // Latin-1 é
  CHECK(first_invalid_utf8("ab\x80") == 2u);           // lone continuation byte
  CHECK(first_invalid_utf8("\xC0\xAF") == 0u);         // overlong '/'
  CHECK(first_invalid_utf8("\xE0\x80\xAF") == 0u);     // overlong, 3 bytes
  CHECK(first_invalid_utf8("x\xED\xA0\x80") == 1u);    // UTF-16 surrogate U+D800
  CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0u); // above U+10FFFF
  CHECK(first_invalid_utf8("\xF5\x80\x80\x80") == 0u); // impossible lead byte
  CHECK(first_invalid_utf8("ok\xE5\xBC") == 2u);       // truncated at the end
  CHECK(first_invalid_utf8("\xE5\xBCx") == 0u);        // truncated in the middle
}

TEST_CASE("UTF-8: require_utf8 names the text and the byte") {
  auto st = hotline::require_utf8("caf\xE9", "call_id");
  REQUIRE_FALSE(st);
  CHECK(st.error().code == hotline::Errc::kInvalidArgument);
  CHECK(st.error().message == "call_id: not valid UTF-8 (byte 3)");
  CHECK(hotline::require_utf8("café", "call_id"));
}

TEST_CASE("UTF-8: a bad byte is found at its offset wherever it stands among ASCII") {
  // Lengths and offsets on both sides of every eight-byte boundary, bad bytes
  // of every kind, and a valid sequence before them, so that the fast skip
  // over ASCII and the byte-by-byte check meet at every alignment.
  const char* bad[] = {"\x80", "\xC0\xAF", "\xE5\xBC", "\xED\xA0\x80", "\xF5\x80\x80\x80",
                       "\xFF"};
  for (std::size_t size = 0; size < 40; ++size) {
    const std::string ascii(size, 'a');
    CHECK(is_valid_utf8(ascii));
    for (std::size_t at = 0; at <= size; ++at) {
      for (const char* b : bad) {
        std::string text = ascii;
        text.insert(at, b);
        CHECK(first_invalid_utf8(text) == at);
        std::string after_valid = ascii;
        after_valid.insert(at, "\xE5\xBC\xA0");  // 张
        CHECK(is_valid_utf8(after_valid));
        after_valid.insert(after_valid.size(), b);
        CHECK(first_invalid_utf8(after_valid) == after_valid.size() - std::string(b).size());
      }
    }
  }
}
