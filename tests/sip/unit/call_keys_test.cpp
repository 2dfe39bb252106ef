#include <doctest/doctest.h>

#include <string>

#include "call_keys.hpp"

using namespace hotline::sip;

namespace {

// The action the keys end with, or "" when none; drops as "drop:<leg>", adds as "add:<party>".
std::string after(CallKeys& keys, const std::string& pressed) {
  std::string last;
  for (char key : pressed) {
    if (auto action = keys.press(key)) {
      switch (action->kind) {
        case CallKeyAction::Kind::conference: last = "conference"; break;
        case CallKeyAction::Kind::mute: last = "mute"; break;
        case CallKeyAction::Kind::drop: last = "drop:" + action->leg; break;
        case CallKeyAction::Kind::add: last = "add:" + action->leg; break;
        case CallKeyAction::Kind::record: last = "record"; break;
        case CallKeyAction::Kind::pause: last = "pause"; break;
      }
    }
  }
  return last;
}

}  // namespace

TEST_CASE("the default in-call codes merge, mute, and drop the leg named before '#'") {
  FeatureCodes codes;
  CallKeys keys(&codes);
  CHECK(after(keys, "*5") == "conference");
  CHECK(after(keys, "*7") == "mute");
  CHECK(after(keys, "*6a02#") == "drop:a02");
  CHECK(after(keys, "*6c1:1#") == "drop:c1:1");
}

TEST_CASE("keys that start no code are let go, and a code after them still counts") {
  FeatureCodes codes;
  CallKeys keys(&codes);
  CHECK(after(keys, "12").empty());
  CHECK(after(keys, "#4").empty());
  CHECK(after(keys, "**5") == "conference");
  CHECK(after(keys, "4*7") == "mute");
}

TEST_CASE("the default codes add the number typed before '#', and record and pause") {
  FeatureCodes codes;
  CallKeys keys(&codes);
  CHECK(after(keys, "*8").empty());  // the number comes next
  CHECK(after(keys, "5550100#") == "add:5550100");
  CHECK(after(keys, "*9") == "record");
  CHECK(after(keys, "*0") == "pause");
  CHECK(after(keys, "*8#").empty());  // no number: nobody is added
  CHECK(after(keys, "*7") == "mute");
}

TEST_CASE("a drop code without a leg drops nothing") {
  FeatureCodes codes;
  CallKeys keys(&codes);
  CHECK(after(keys, "*6#").empty());
  CHECK(after(keys, "*5") == "conference");  // and the keys start afresh
}

TEST_CASE("the longest code wins: a code that starts a longer one waits for the next key") {
  FeatureCodes codes;
  codes.conference = "*5";
  codes.mute = "*55";
  CallKeys keys(&codes);
  CHECK(after(keys, "*55") == "mute");
  CallKeys other(&codes);
  CHECK(other.press('*') == std::nullopt);
  CHECK(other.press('5') == std::nullopt);  // *55 may follow
  auto taken = other.press('1');             // it did not: *5 was meant
  REQUIRE(taken);
  CHECK(taken->kind == CallKeyAction::Kind::conference);
}

TEST_CASE("configured codes replace the defaults") {
  FeatureCodes codes;
  codes.conference = "#1";
  CallKeys keys(&codes);
  CHECK(after(keys, "*5").empty());
  CHECK(after(keys, "#1") == "conference");
}

TEST_CASE("a party named by too many keys is let go, and the keys start afresh") {
  FeatureCodes codes;
  CallKeys keys(&codes);
  CHECK(after(keys, "*6" + std::string(40, '1') + "#").empty());
  CHECK(after(keys, "*5") == "conference");
}
