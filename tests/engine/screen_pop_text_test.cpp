// The screen pop's text, written directly, against the compact dump of the
// nlohmann document it stands for (keys sorted, the same escapes, text that
// is not UTF-8 replaced) over a generated corpus of callers, numbers and
// customer attributes.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "screen_pop.hpp"

using namespace hotline;
using namespace hotline::engine;

namespace {

// The document the screen pop is the text of, for a call without a flow.
std::string reference_pop(const CallInfo& info, std::string_view queue_id) {
  nlohmann::json pop = nlohmann::json::object();
  pop["caller"] = info.caller;
  pop["dialled"] = info.dialled;
  pop["queue_id"] = queue_id;
  pop["customer"] = info.attributes.to_json();
  pop["ivr_path"] = nlohmann::json::array();
  pop["digits"] = nlohmann::json::object();
  return pop.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Text mixing plain ASCII, escapes, control bytes, multi-byte characters and
// bytes that are not UTF-8 (stray continuations, truncated sequences,
// overlong forms, surrogates).
std::string random_text(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {
      "a",  "Z",   "0",  " ",  "\"", "\\", "/",  "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'),
      "\x01", "\x1f", "\x7f", "é", "中", "😀", "\xC3", "\x80", "\xE2\x82", "\xC0\xAF", "\xED\xA0\x80",
      "\xF4\x90\x80\x80", "\xFF", "+4930", "customer"};
  std::string s;
  const int n = static_cast<int>(rng() % 8);
  for (int i = 0; i < n; ++i) s += kPieces[rng() % kPieces.size()];
  return s;
}

double random_number(std::mt19937_64& rng) {
  static const double kNumbers[] = {0.0,
                                    -0.0,
                                    1.0,
                                    -42.0,
                                    0.5,
                                    -3.25,
                                    1e-7,
                                    8999999999999999.0,
                                    9e15,
                                    1e300,
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::quiet_NaN(),
                                    123456789.0,
                                    0.1};
  // Whole numbers either side of zero, as most attributes hold.
  if (rng() % 3 == 0) {
    return static_cast<double>(static_cast<std::int64_t>(rng() % 2000001) - 1000000);
  }
  return kNumbers[rng() % std::size(kNumbers)];
}

expr::Attributes random_attributes(std::mt19937_64& rng, int depth) {
  expr::Attributes a;
  const int n = static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) {
    const std::string key = random_text(rng);
    switch (rng() % (depth < 3 ? 7 : 5)) {
      case 0: a.set(key, random_text(rng)); break;
      case 1: a.set(key, random_number(rng)); break;
      case 2: a.set(key, rng() % 2 == 0); break;
      case 3: a.set_null(key); break;
      case 4: {
        std::vector<std::string> list;
        for (int k = static_cast<int>(rng() % 4); k > 0; --k) list.push_back(random_text(rng));
        a.set(key, list);
        break;
      }
      default: a.set(key, random_attributes(rng, depth + 1)); break;
    }
  }
  return a;
}

// Text of printable ASCII without quotes or backslashes, as most callers,
// numbers and customer data are: the screen pop copies it without escaping.
// One case in eight gets one piece that must be escaped or replaced.
std::string plain_text(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {
      "a", "Z", "0", "9", " ", "/", "+4930", "customer", "\x7f", "~", "{}", "[]", ":", ","};
  std::string s;
  const int n = static_cast<int>(rng() % 6);
  for (int i = 0; i < n; ++i) s += kPieces[rng() % kPieces.size()];
  if (rng() % 8 == 0) s.insert(rng() % (s.size() + 1), random_text(rng));
  return s;
}

expr::Attributes plain_attributes(std::mt19937_64& rng, int depth) {
  expr::Attributes a;
  const int n = static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) {
    const std::string key = plain_text(rng);
    switch (rng() % (depth < 3 ? 7 : 6)) {
      case 0: a.set(key, plain_text(rng)); break;
      case 1:
        // Whole numbers, now and then one nlohmann prints (a fraction, 9e15).
        a.set(key, rng() % 16 == 0
                       ? random_number(rng)
                       : static_cast<double>(static_cast<std::int64_t>(rng() % 2000001) - 1000000));
        break;
      case 2: a.set(key, rng() % 2 == 0); break;
      case 3: a.set_null(key); break;
      case 4: {
        std::vector<std::string> list;
        for (int k = static_cast<int>(rng() % 4); k > 0; --k) list.push_back(plain_text(rng));
        a.set(key, list);
        break;
      }
      case 5: a.set(key, std::vector<std::string>()); break;
      default: a.set(key, plain_attributes(rng, depth + 1)); break;
    }
  }
  return a;
}

// 20,000 calls whose caller, dialled number, attributes and queue come from
// `text` and `attributes`: each screen pop's text must be the document's dump.
template <typename Text, typename Attributes>
void check_corpus(std::uint64_t seed, Text text, Attributes attributes) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 20000; ++i) {
    CallInfo info;
    info.caller = text(rng);
    info.dialled = text(rng);
    info.attributes = attributes(rng, 1);
    const std::string queue = text(rng);
    const std::string expected = reference_pop(info, queue);
    const std::string got = screen_pop_json(info, nullptr, queue);
    REQUIRE_MESSAGE(got == expected, "case " << i);
  }
}

}  // namespace

TEST_CASE("the screen pop's text is the compact dump of its document") {
  check_corpus(17, random_text, random_attributes);
}

TEST_CASE("the screen pop of a plain call") {
  CallInfo info;
  info.caller = "+49301000000";
  info.attributes.set("language", "de");
  info.attributes.set("tier", 2);
  CHECK(screen_pop_json(info, nullptr, "q1") ==
        R"({"caller":"+49301000000","customer":{"language":"de","tier":2},"dialled":"",)"
        R"("digits":{},"ivr_path":[],"queue_id":"q1"})");
}

TEST_CASE("the screen pop's text of plain data is the compact dump of its document") {
  // Measured and copied in one piece; any piece that is not plain sends the
  // whole text to the appending writer, wherever it stands.
  check_corpus(23, plain_text, plain_attributes);
}
