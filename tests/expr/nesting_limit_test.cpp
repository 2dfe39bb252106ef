// Input cannot deepen the parser's or the evaluator's recursion past a
// fixed bound: parentheses and NOT are limited to kMaxExpressionDepth levels
// (refused with the column), AND and OR chains of any length are one level.
#include <doctest/doctest.h>

#include <string>

#include "hotline/expr/expression.hpp"

using namespace hotline::expr;

namespace {

ParseError refusal(const std::string& source) {
  ParseError e;
  auto r = Expression::compile(source, &e);
  REQUIRE(!r.ok());
  CHECK(r.error().code == hotline::Errc::kInvalidArgument);
  CHECK(r.error().message == "column " + std::to_string(e.column) + ": " + e.message);
  return e;
}

std::string repeat(const std::string& piece, int times) {
  std::string s;
  s.reserve(piece.size() * static_cast<std::size_t>(times));
  for (int i = 0; i < times; ++i) s += piece;
  return s;
}

}  // namespace

TEST_CASE("100,000 opening parentheses are refused at the column that crosses the limit") {
  const ParseError e = refusal(std::string(100'000, '('));
  CHECK(e.column == static_cast<std::size_t>(kMaxExpressionDepth) + 1);
  CHECK(e.message == "nested deeper than 64 levels of parentheses and NOT");
}

TEST_CASE("balanced parentheses one level past the limit are refused; at the limit they work") {
  const int limit = kMaxExpressionDepth;
  const std::string too_deep = repeat("(", limit + 1) + "x == 1" + repeat(")", limit + 1);
  CHECK(refusal(too_deep).column == static_cast<std::size_t>(limit) + 1);

  const std::string deepest = repeat("(", limit) + "x == 1" + repeat(")", limit);
  auto e = Expression::compile(deepest);
  REQUIRE(e.ok());
  Attributes self;
  self.set("x", 1);
  CHECK(e->evaluate(Scope{nullptr, nullptr, &self}));
  self.set("x", 2);
  CHECK_FALSE(e->evaluate(Scope{nullptr, nullptr, &self}));
}

TEST_CASE("a long NOT chain is refused with the column of the NOT past the limit") {
  const ParseError e = refusal(repeat("NOT ", 10'000) + "x");
  CHECK(e.column == static_cast<std::size_t>(kMaxExpressionDepth) * 4 + 1);
  CHECK(e.message == "nested deeper than 64 levels of parentheses and NOT");
}

TEST_CASE("the deepest accepted mix of NOT and parentheses evaluates") {
  // 32 × "NOT (" is 64 levels: an even number of NOTs leaves the truth as is.
  const std::string source = repeat("NOT (", 32) + "x == 1 OR y" + repeat(")", 32);
  auto e = Expression::compile(source);
  REQUIRE(e.ok());
  Attributes self;
  self.set("x", 1);
  CHECK(e->evaluate(Scope{nullptr, nullptr, &self}));
  CHECK(e->evaluate_value(Scope{nullptr, nullptr, &self}).as_bool());
  self.set("x", 3);
  CHECK_FALSE(e->evaluate(Scope{nullptr, nullptr, &self}));
  // One NOT more: the last '(' is the 65th level.
  CHECK(refusal("NOT " + source).column == 5 * 32 + 4);
}

TEST_CASE("a 10,000-term AND chain compiles, evaluates and splits into conjuncts") {
  std::string source = "t0 == 0";
  for (int i = 1; i < 10'000; ++i) {
    source += " AND t" + std::to_string(i) + " == " + std::to_string(i);
  }
  auto e = Expression::compile(source);
  REQUIRE(e.ok());
  Attributes self;
  for (int i = 0; i < 10'000; ++i) self.set("t" + std::to_string(i), i);
  CHECK(e->evaluate(Scope{nullptr, nullptr, &self}));
  self.set("t9999", 1);  // the last term alone turns it false
  CHECK_FALSE(e->evaluate(Scope{nullptr, nullptr, &self}));
  const auto parts = e->conjuncts();
  REQUIRE(parts.size() == 10'000);
  CHECK(parts[9'998].source() == "t9998 == 9998");
  CHECK(parts[9'998].evaluate(Scope{nullptr, nullptr, &self}));
  CHECK_FALSE(parts[9'999].evaluate(Scope{nullptr, nullptr, &self}));
}

TEST_CASE("a 10,000-term OR chain evaluates whichever term holds") {
  std::string source = "x == 0";
  for (int i = 1; i < 10'000; ++i) source += " or x == " + std::to_string(i);
  auto e = Expression::compile(source);
  REQUIRE(e.ok());
  Attributes self;
  self.set("x", 9'999);
  CHECK(e->evaluate(Scope{nullptr, nullptr, &self}));
  self.set("x", 10'000);
  CHECK_FALSE(e->evaluate(Scope{nullptr, nullptr, &self}));
}

TEST_CASE("chains nested in parentheses keep precedence and split at the top AND only") {
  auto e = Expression::compile("a AND (b OR c OR d) AND (e AND f) AND NOT g");
  REQUIRE(e.ok());
  Attributes self;
  for (const char* k : {"a", "d", "e", "f"}) self.set(k, true);
  CHECK(e->evaluate(Scope{nullptr, nullptr, &self}));
  self.set("g", true);
  CHECK_FALSE(e->evaluate(Scope{nullptr, nullptr, &self}));
  const auto parts = e->conjuncts();
  REQUIRE(parts.size() == 5);
  CHECK(parts[1].source() == "(b OR c OR d)");
  CHECK(parts[2].source() == "e");
  CHECK(parts[3].source() == "f");
  CHECK(parts[4].source() == "NOT g");
  self.set("d", false);
  CHECK_FALSE(parts[1].evaluate(Scope{nullptr, nullptr, &self}));
}

TEST_CASE("lists do not nest: 100,000 opening brackets are refused at the second one") {
  const ParseError e = refusal("x IN " + std::string(100'000, '['));
  CHECK(e.column == 7);
  CHECK(e.message == "expected a list item (string, number or boolean), found '['");
}
