// The example center's simulated day adds up: every contact a queue was
// offered has one outcome, in the interval it arrived in.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "simulator.hpp"

using namespace hotline;
using namespace hotline::sim;

namespace {

Scenario example_center() {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  const std::string folder = std::string(dir) + "/examples/center/";
  std::ifstream in(folder + "center.json");
  REQUIRE(in);
  nlohmann::json j = nlohmann::json::parse(in);
  // The flows live in files of their own, named relative to the scenario.
  for (const auto& name : j.at("flow_files")) {
    std::ifstream flow(folder + name.get<std::string>());
    REQUIRE(flow);
    j["flows"].push_back(nlohmann::json::parse(flow));
  }
  j.erase("flow_files");
  auto sc = scenario_from_json(j);
  REQUIRE(sc.ok());
  return std::move(sc).value();
}

// Contacts whose outcome is final: answered, given up, or taken out of the
// queue (by the flow after an overflow, or by the host).
std::int64_t outcomes(const metrics::QueueCounts& c) {
  return c.answered + c.abandoned + c.removed;
}

}  // namespace

TEST_CASE("the example center's day: offered equals the sum of the outcomes") {
  const Scenario sc = example_center();
  const Outcome o = run(sc);
  const auto day = o.kpi.all_queues_total();
  REQUIRE(day.offered > 500);
  CHECK(day.overflowed > 0);  // the scenario overflows: the outcome the report left out
  CHECK(day.offered == outcomes(day));
  for (const auto& q : o.kpi.queues()) {
    CAPTURE(q);
    const auto total = o.kpi.queue_total(q);
    CHECK(total.offered == outcomes(total));
    CHECK(total.overflowed <= total.removed + total.answered + total.abandoned);
    for (const auto& [start, c] : o.kpi.queue_intervals(q)) {
      CAPTURE(start);
      // Each interval's outcomes are those of the contacts it was offered.
      CHECK(c.offered == outcomes(c));
      CHECK(c.answered_within_sl <= c.answered);
      CHECK(metrics::service_level(c, sc.kpi.formula) <= 1.0);
    }
  }
}

TEST_CASE("the VIP queue is measured against its own 10 s, the others against 20 s") {
  const Scenario sc = example_center();
  const Outcome o = run(sc);
  CHECK(o.kpi.service_level_ms("vip") == 10'000);
  CHECK(o.kpi.service_level_ms("retail") == 20'000);
}
