#include <doctest/doctest.h>

#include "feature_codes.hpp"
#include "host_config.hpp"

using namespace hotline::sip;
using nlohmann::json;

TEST_CASE("the default codes ask for monitor, whisper and barge of the agent after them") {
  FeatureCodes codes;
  auto monitor = match_feature_code(codes, "*1r01");
  REQUIRE(monitor);
  CHECK(monitor->mode == "monitor");
  CHECK(monitor->agent == "r01");
  CHECK(match_feature_code(codes, "*2r01")->mode == "whisper");
  CHECK(match_feature_code(codes, "*3b7")->mode == "barge");
  CHECK(match_feature_code(codes, "*3b7")->agent == "b7");
  CHECK(match_feature_code(codes, "*4r01")->mode == "take_over");
}

TEST_CASE("a number without a code, or a code without an agent, is no supervision") {
  FeatureCodes codes;
  CHECK_FALSE(match_feature_code(codes, "1000"));
  CHECK_FALSE(match_feature_code(codes, "*1"));
  CHECK_FALSE(match_feature_code(codes, "*9r01"));
  CHECK_FALSE(match_feature_code(codes, ""));
}

TEST_CASE("the longest code wins when codes share a beginning") {
  FeatureCodes codes;
  codes.monitor = "*1";
  codes.whisper = "*12";
  auto dial = match_feature_code(codes, "*12r01");
  REQUIRE(dial);
  CHECK(dial->mode == "whisper");
  CHECK(dial->agent == "r01");
  CHECK(match_feature_code(codes, "*1r01")->mode == "monitor");
}

namespace {

json with_codes(json codes) {
  json document = json::parse(R"({
    "sip": {"listen": "127.0.0.1:5060"},
    "engine": {"queues": [{"id": "retail"}], "agents": [{"id": "r01", "queues": ["retail"]}],
               "flows": [{"id": "front", "start": "bye", "nodes": {"bye": {"type": "hangup"}}}]},
    "phones": [{"agent": "r01", "user": "ann", "password": "secret"}],
    "routes": [{"dialled": "*", "queue": "retail"}]
  })");
  document["sip"]["feature_codes"] = std::move(codes);
  return document;
}

std::string refusal(const json& document) {
  try {
    parse_host_config(document, "/srv/center");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("feature codes are configured under $.sip.feature_codes, the rest keep defaults") {
  HostConfig config = parse_host_config(with_codes({{"whisper", "#7"}}), "/srv/center");
  CHECK(config.sip.feature_codes.whisper == "#7");
  CHECK(config.sip.feature_codes.monitor == "*1");
  CHECK(config.sip.feature_codes.barge == "*3");
}

TEST_CASE("bad feature codes are refused with their path") {
  CHECK(refusal(with_codes({{"listen", "*9"}})) ==
        "$.sip.feature_codes.listen: unknown field (expected one of: monitor, whisper, barge, "
        "take_over, conference, drop, mute, add, record, pause)");
  CHECK(refusal(with_codes({{"barge", "*1"}})) ==
        "$.sip.feature_codes.barge: the same code as monitor");
  CHECK(refusal(with_codes({{"mute", "*5"}})) ==
        "$.sip.feature_codes.mute: the same code as conference");
  CHECK(refusal(with_codes({{"drop", "*d"}})) ==
        "$.sip.feature_codes.drop: only keys a phone can press: 0-9, '*' and '#'");
  CHECK(refusal(with_codes({{"pause", "*p"}})) ==
        "$.sip.feature_codes.pause: only keys a phone can press: 0-9, '*' and '#'");
  CHECK(refusal(with_codes({{"record", "*5"}})) ==
        "$.sip.feature_codes.record: the same code as conference");
  CHECK(refusal(with_codes({{"monitor", ""}})) ==
        "$.sip.feature_codes.monitor: expected a non-empty string");
  CHECK(refusal(with_codes({{"monitor", "*1@x"}})).rfind("$.sip.feature_codes.monitor: ", 0) ==
        0);
  CHECK(refusal(with_codes(json::array())).rfind("$.sip.feature_codes: ", 0) == 0);
}
