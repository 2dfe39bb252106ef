// A scenario's queues are each measured against their own service-level
// threshold; the simulation's sl_seconds is the threshold of queues that
// set none, the engine's options.service_level_seconds.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "simulator.hpp"

using namespace hotline;
using namespace hotline::sim;
using nlohmann::json;

namespace {

json two_queues(json simulation) {
  json j = json::parse(R"({
    "queues": [{"id": "ten", "service_level_seconds": 10, "offer_timeout_seconds": 0},
               {"id": "plain", "offer_timeout_seconds": 0}],
    "agents": [{"id": "ann", "queues": ["ten"]}, {"id": "bob", "queues": ["plain"]}]})");
  simulation["hours"] = 2;
  simulation["streams"] = json::parse(R"([
    {"queue": "ten", "arrivals_per_hour": 20, "handle_seconds": 120},
    {"queue": "plain", "arrivals_per_hour": 20, "handle_seconds": 120}])");
  j["simulation"] = std::move(simulation);
  return j;
}

}  // namespace

TEST_CASE("sl_seconds is the threshold of queues without their own") {
  auto sc = scenario_from_json(two_queues(json{{"sl_seconds", 30}}));
  REQUIRE(sc.ok());
  CHECK(sc->engine["options"]["service_level_seconds"] == 30);
  const Outcome o = run(*sc);
  REQUIRE(o.kpi.queue_total("ten").answered > 0);
  REQUIRE(o.kpi.queue_total("plain").answered > 0);
  CHECK(o.kpi.service_level_ms("ten") == 10'000);
  CHECK(o.kpi.service_level_ms("plain") == 30'000);
}

TEST_CASE("sl_seconds that disagrees with the engine's default threshold is refused") {
  json j = two_queues(json{{"sl_seconds", 30}});
  j["options"] = json{{"service_level_seconds", 20}};
  auto sc = scenario_from_json(j);
  REQUIRE(!sc.ok());
  CHECK(sc.error().message ==
        "$.simulation.sl_seconds: 30 s disagrees with $.options.service_level_seconds (20 s)");
  j["options"]["service_level_seconds"] = 30;
  CHECK(scenario_from_json(j).ok());
}
