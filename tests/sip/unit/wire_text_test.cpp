#include <doctest/doctest.h>

#include "wire_text.hpp"

using hotline::sip::valid_utf8;

TEST_CASE("numbers and names in UTF-8 pass") {
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("+972500000001"));
  CHECK(valid_utf8("李小龙"));
}

TEST_CASE("bytes that are not UTF-8 are caught") {
  CHECK_FALSE(valid_utf8("\xff"));
  CHECK_FALSE(valid_utf8("abc\xc3"));          // cut short
  CHECK_FALSE(valid_utf8("\xc0\xaf"));         // overlong '/'
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));     // a surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}
