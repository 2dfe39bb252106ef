// The example center's simulated day adds up: every contact a queue was
// offered has one outcome, in the interval it arrived in.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hotline/metrics/daily_report.hpp"
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

// The numbers in the cells of the report's rows of class `cls`, column `column`.
std::vector<std::string> column_of(const std::string& html, const std::string& cls,
                                   std::size_t column) {
  std::vector<std::string> cells;
  const std::string open = "<tr class='" + cls + "'>";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    auto td = html.find("<td>", at);
    for (std::size_t i = 0; i < column; ++i) td = html.find("<td>", td + 1);
    cells.push_back(html.substr(td + 4, html.find("</td>", td) - td - 4));
  }
  return cells;
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
  // The day's report: its interval rows add up to the day, column by column.
  metrics::DailyReportInput in;
  in.day_start = sc.start;
  in.length = sc.length;
  const std::string html = metrics::render_daily_report(o.kpi, in);
  const std::int64_t expected[] = {day.offered, day.answered, day.abandoned, day.removed};
  for (std::size_t column = 1; column <= 4; ++column) {
    CAPTURE(column);
    std::int64_t sum = 0;
    for (const auto& cell : column_of(html, "interval", column)) sum += std::stoll(cell);
    CHECK(sum == expected[column - 1]);
    CHECK(column_of(html, "total", column).at(0) == std::to_string(expected[column - 1]));
  }
}

TEST_CASE("the VIP queue is measured against its own 10 s, the others against 20 s") {
  const Scenario sc = example_center();
  const Outcome o = run(sc);
  CHECK(o.kpi.service_level_ms("vip") == 10'000);
  CHECK(o.kpi.service_level_ms("retail") == 20'000);
}
