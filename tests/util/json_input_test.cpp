#include <doctest/doctest.h>

#include <string>

#include "hotline/util/json_input.hpp"

using hotline::parse_json;

namespace {

std::string nested(int levels, const std::string& open, const std::string& close) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += open;
  for (int i = 0; i < levels; ++i) s += close;
  return s;
}

}  // namespace

TEST_CASE("parse_json: documents within the limit parse as nlohmann would") {
  auto j = parse_json(R"({"a": [1, {"b": "x"}], "c": null})", "doc");
  REQUIRE(j);
  CHECK((*j)["a"][1]["b"] == "x");
  CHECK((*j)["c"].is_null());
  CHECK(parse_json(nested(64, "[", "]"), "doc"));
}

TEST_CASE("parse_json: nesting past the limit is refused with the path where it crossed") {
  auto arrays = parse_json(nested(65, "[", "]"), "event_json");
  REQUIRE_FALSE(arrays);
  CHECK(arrays.error().code == hotline::Errc::kInvalidArgument);
  CHECK(arrays.error().message.find("event_json: nested deeper than 64 levels at $[0]") == 0);

  auto mixed = parse_json(R"({"queues": [{"id": "q"}, {"attributes": {"x": [[1]]}}]})", "config",
                          4);
  REQUIRE_FALSE(mixed);
  CHECK(mixed.error().message == "config: nested deeper than 4 levels at $.queues[1].attributes.x");

  // A million levels: refused at once, no stack overflow on the way.
  auto deep = parse_json(nested(1000000, "{\"k\":", "}"), "doc");
  REQUIRE_FALSE(deep);
  CHECK(deep.error().message.find("nested deeper than 64 levels") != std::string::npos);
}

TEST_CASE("parse_json: syntax errors and invalid UTF-8 say where") {
  auto bad = parse_json(R"({"a": })", "config_json");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("config_json: not valid JSON: parse error at line 1, column 7") ==
        0);
  auto latin1 = parse_json("{\"caller\": \"caf\xE9\"}", "event_json");
  REQUIRE_FALSE(latin1);
  CHECK(latin1.error().message.find("event_json: not valid JSON") == 0);
  CHECK_FALSE(parse_json("", "empty"));
  CHECK_FALSE(parse_json("{} trailing", "doc"));
}

TEST_CASE("json_depth counts levels without recursion") {
  CHECK(hotline::json_depth(nlohmann::json(3)) == 0);
  CHECK(hotline::json_depth(nlohmann::json::array()) == 1);
  CHECK(hotline::json_depth(nlohmann::json::parse(R"({"a": [1, {"b": []}]})")) == 4);
  nlohmann::json deep = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) deep = nlohmann::json::array({deep});
  CHECK(hotline::json_depth(deep, 64) == 65);  // stops once past the limit
}
