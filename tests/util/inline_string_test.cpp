// InlineString holds the same text a std::string would, at every length
// around its inline limit, through copies, moves and assignments between
// the two storages, and when given a part of its own text.
#include <doctest/doctest.h>

#include <cstddef>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "hotline/util/inline_string.hpp"

using hotline::InlineString;

namespace {

// `n` bytes that differ from one position to the next, so a byte copied to
// the wrong place shows.
std::string text_of(std::size_t n, char first = 'a') {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(first + i % 26));
  return s;
}

// The text alone in a buffer of its own: under the sanitizers a read past
// its end is reported.
std::unique_ptr<char[]> exact_copy(std::string_view text) {
  auto bytes = std::make_unique<char[]>(text.size() + (text.empty() ? 1 : 0));
  text.copy(bytes.get(), text.size());
  return bytes;
}

void check_holds(const InlineString& s, std::string_view expected) {
  CHECK(s.size() == expected.size());
  CHECK(s.empty() == expected.empty());
  CHECK(s.view() == expected);
  CHECK(std::string_view(s.c_str()) == expected);  // NUL-terminated
  CHECK(s.c_str()[s.size()] == '\0');
}

}  // namespace

TEST_CASE("InlineString keeps text of every length up to past its inline limit") {
  for (std::size_t n = 0; n <= 2 * InlineString::kInline + 3; ++n) {
    CAPTURE(n);
    const std::string text = text_of(n);
    auto alone = exact_copy(text);
    const InlineString s(std::string_view(alone.get(), n));
    check_holds(s, text);

    const InlineString copied(s);  // NOLINT: the copy is the point
    check_holds(copied, text);
    check_holds(s, text);

    InlineString temporary(s);
    const InlineString moved(std::move(temporary));
    check_holds(moved, text);
    check_holds(temporary, "");  // NOLINT: a moved-from string is empty
  }
}

TEST_CASE("InlineString is no larger than std::string") {
  CHECK(sizeof(InlineString) == 32);
  CHECK(sizeof(InlineString) <= sizeof(std::string));
}

TEST_CASE("InlineString assigns between inline and heap text both ways") {
  const std::vector<std::size_t> lengths = {0, 1, 3, 4, 7, 8, 15, 16, 17, 30, 31, 32, 33, 100};
  for (std::size_t from : lengths) {
    for (std::size_t to : lengths) {
      CAPTURE(from);
      CAPTURE(to);
      const std::string before = text_of(from, 'a');
      const std::string after = text_of(to, 'A');

      InlineString by_copy(before);
      const InlineString source(after);
      by_copy = source;
      check_holds(by_copy, after);
      check_holds(source, after);

      InlineString by_move(before);
      InlineString moved_from(after);
      by_move = std::move(moved_from);
      check_holds(by_move, after);
      check_holds(moved_from, "");  // NOLINT: a moved-from string is empty

      InlineString by_text(before);
      by_text = after;
      check_holds(by_text, after);
      by_text = std::string_view(before);
      check_holds(by_text, before);
    }
  }
}

TEST_CASE("InlineString can be given a part of its own text") {
  for (std::size_t n : {5u, 20u, 31u, 40u, 80u}) {
    CAPTURE(n);
    const std::string text = text_of(n);
    InlineString s(text);
    s = s.view().substr(1);
    check_holds(s, text.substr(1));
    s = s.view().substr(0, s.size() / 2);
    check_holds(s, text.substr(1, (n - 1) / 2));
    InlineString& self = s;
    s = self;
    check_holds(s, text.substr(1, (n - 1) / 2));
    s = std::move(self);
    check_holds(s, text.substr(1, (n - 1) / 2));
  }
}

TEST_CASE("InlineString compares and joins as text does") {
  const InlineString id("agent-17");
  const std::string same = "agent-17";
  CHECK(id == "agent-17");
  CHECK("agent-17" == id);
  CHECK(id == same);
  CHECK(same == id);
  CHECK(id == std::string_view(same));
  CHECK(id == InlineString(same));
  CHECK(id != "agent-18");
  CHECK("agent-1" != id);
  CHECK(id != InlineString(text_of(40)));
  CHECK(InlineString("a") < InlineString("b"));
  CHECK_FALSE(InlineString(text_of(40)) < InlineString(text_of(39)));

  CHECK("call:" + id == "call:agent-17");
  CHECK(std::string("q/") + id == "q/agent-17");
  CHECK(id + ":1" == "agent-17:1");
  CHECK(std::string(id) == same);
  std::ostringstream out;
  out << id;
  CHECK(out.str() == same);

  InlineString cleared(text_of(50));
  cleared.clear();
  check_holds(cleared, "");
  check_holds(InlineString(), "");
  check_holds(InlineString(static_cast<const char*>("x")), "x");
}

TEST_CASE("InlineString holds any bytes, NULs included") {
  std::mt19937 rng(3);
  for (int round = 0; round < 500; ++round) {
    const std::size_t n = rng() % 70;
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    InlineString s(bytes);
    CHECK(s.view() == bytes);
    InlineString t;
    t = s;
    CHECK(t.view() == bytes);
  }
}

static_assert(std::is_nothrow_move_constructible_v<InlineString>);
static_assert(std::is_nothrow_move_assignable_v<InlineString>);
