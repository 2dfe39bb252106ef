#include <doctest/doctest.h>

#include "hotline/expr/expression.hpp"

using namespace hotline::expr;

namespace {
ParseError error_of(const char* source) {
  ParseError e;
  auto r = Expression::compile(source, &e);
  REQUIRE_MESSAGE(!r.ok(), source);
  CHECK(r.error().code == hotline::Errc::kInvalidArgument);
  CHECK(r.error().message == "column " + std::to_string(e.column) + ": " + e.message);
  return e;
}
}  // namespace

TEST_CASE("parse errors name the column and what was expected") {
  auto e = error_of("agent.skills.billing >= ");
  CHECK(e.column == 25);
  CHECK(e.message == "expected a value after '>=', found end of input");

  e = error_of("contact.tier = 'vip'");
  CHECK(e.column == 14);
  CHECK(e.message == "unexpected '='; comparison is written '=='");

  e = error_of("contact.tier == 'vip");
  CHECK(e.column == 17);
  CHECK(e.message == "unterminated string");

  e = error_of("(a == 1 OR b == 2");
  CHECK(e.column == 18);
  CHECK(e.message == "expected ')' to close the '(' at column 1, found end of input");

  e = error_of("a == 1 b == 2");
  CHECK(e.column == 8);
  CHECK(e.message == "expected AND, OR or the end, found a key");

  e = error_of("lang IN ['en', ]");
  CHECK(e.column == 16);
  CHECK(e.message == "expected a list item (string, number or boolean), found ']'");

  e = error_of("lang IN ['en' 'de']");
  CHECK(e.column == 15);
  CHECK(e.message == "expected ',' or ']' in the list opened at column 9, found a string");

  e = error_of("lang NOT ['en']");
  CHECK(e.column == 10);
  CHECK(e.message == "expected IN after NOT, found '['");

  e = error_of("a == 1 AND");
  CHECK(e.column == 11);
  CHECK(e.message == "expected a value, found end of input");

  e = error_of("a # b");
  CHECK(e.column == 3);
  CHECK(e.message == "unexpected character '#'");

  e = error_of("");
  CHECK(e.column == 1);
  CHECK(e.message == "expected an expression, found end of input");

  e = error_of("skills..x > 1");
  CHECK(e.column == 1);

  e = error_of(") AND a");
  CHECK(e.column == 1);
  CHECK(e.message == "expected a value, found ')'");
}
