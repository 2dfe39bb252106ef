#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ops_config.hpp"
#include "wallboard_thresholds.hpp"

using namespace hotline::ops;
using nlohmann::json;

namespace {

std::string error_of(const json& wallboard) {
  auto parsed = wallboard_thresholds_from_json(wallboard, "$.wallboard");
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

}  // namespace

TEST_CASE("the thresholds default to the best practice and take each key") {
  auto defaults = wallboard_thresholds_from_json(json::object(), "$.wallboard");
  REQUIRE(defaults.ok());
  CHECK(to_json(*defaults) == json{{"service_level_percent", 80}, {"abandon_percent", 2},
                                   {"busy_percent", 2}, {"asa_seconds", 15},
                                   {"fcr_percent", 90}, {"occupancy_percent", 80}});
  auto set = wallboard_thresholds_from_json(json{{"asa_seconds", 20}, {"fcr_percent", 85.5}},
                                            "$.wallboard");
  REQUIRE(set.ok());
  CHECK(set->asa_seconds == 20);
  CHECK(set->fcr_percent == 85.5);
  CHECK(set->service_level_percent == 80);
}

TEST_CASE("a bad threshold names its path") {
  CHECK(error_of(json::array()) == "$.wallboard: must be an object");
  CHECK(error_of(json{{"sl", 80}}) ==
        "$.wallboard.sl: unknown field (expected one of: service_level_percent, "
        "abandon_percent, busy_percent, asa_seconds, fcr_percent, occupancy_percent)");
  CHECK(error_of(json{{"abandon_percent", -1}}) ==
        "$.wallboard.abandon_percent: must be a number from 0 to 100");
  CHECK(error_of(json{{"occupancy_percent", 100.5}}) ==
        "$.wallboard.occupancy_percent: must be a number from 0 to 100");
  CHECK(error_of(json{{"asa_seconds", "15"}}) ==
        "$.wallboard.asa_seconds: must be a number from 0 to 86400");
  CHECK(error_of(json{{"asa_seconds", nullptr}}) ==
        "$.wallboard.asa_seconds: must be a number from 0 to 86400");
}

TEST_CASE("ops.json carries the wallboard object and names it among its keys") {
  const json tokens = json::array({{{"token", "supervisor-token-0123"}, {"role", "supervisor"}}});
  auto config = ops_config_from_json(json{{"tokens", tokens},
                                          {"wallboard", {{"busy_percent", 5}}}});
  REQUIRE(config.ok());
  CHECK(config->wallboard.busy_percent == 5);
  auto bad = ops_config_from_json(json{{"tokens", tokens}, {"wallboard", {{"x", 1}}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("$.wallboard.x: unknown field", 0) == 0);
  auto unknown = ops_config_from_json(json{{"tokens", tokens}, {"walboard", json::object()}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message ==
        "$.walboard: unknown field (expected one of: tokens, wait_buckets_seconds, "
        "handle_buckets_seconds, wallboard)");
}
