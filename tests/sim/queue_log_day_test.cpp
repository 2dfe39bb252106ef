// A simulated day written to Asterisk's queue_log: the file parsed back
// agrees with the KPIs queue by queue, and a second day is appended to it.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "simulator.hpp"

using namespace hotline;
using namespace hotline::sim;

namespace {

struct QueueTally {
  std::int64_t enter = 0, connect = 0, abandon = 0, timeout = 0, exit_empty = 0, complete = 0;
};

struct Parsed {
  std::map<std::string, QueueTally> queues;
  std::size_t lines = 0;
  std::int64_t logins = 0;
};

// epoch|callid|queue|agent|EVENT|data...; `one_day`: the lines must be in
// time order.
Parsed parse(const std::string& path, bool one_day) {
  Parsed p;
  std::ifstream in(path);
  REQUIRE(in);
  std::string line;
  std::int64_t last_epoch = 0;
  while (std::getline(in, line)) {
    ++p.lines;
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string field; std::getline(s, field, '|');) f.push_back(field);
    CAPTURE(line);
    REQUIRE(f.size() >= 5);
    const std::int64_t epoch = std::stoll(f[0]);
    if (one_day) CHECK(epoch >= last_epoch);  // written as the day goes
    last_epoch = epoch;
    QueueTally& q = p.queues[f[2]];
    const std::string& event = f[4];
    if (event == "ENTERQUEUE") ++q.enter;
    else if (event == "CONNECT") ++q.connect;
    else if (event == "ABANDON") ++q.abandon;
    else if (event == "EXITWITHTIMEOUT") ++q.timeout;
    else if (event == "EXITEMPTY") ++q.exit_empty;
    else if (event == "COMPLETECALLER" || event == "COMPLETEAGENT") ++q.complete;
    else if (event == "AGENTLOGIN") ++p.logins;
  }
  return p;
}

Scenario one_queue_day(const std::string& queue_log) {
  // Overflows (max wait 60 s, patient callers) and abandons both happen;
  // without a flow an overflowed caller stays in the queue.
  Scenario sc = single_queue(3, 90, 150, 120.0, 8, 7, 20);
  sc.engine["queues"][0]["max_wait_seconds"] = 60;
  sc.queue_log = queue_log;
  return sc;
}

}  // namespace

TEST_CASE("a simulated day's queue_log agrees with the KPIs and is appended to") {
  const auto path =
      (std::filesystem::temp_directory_path() / "hotline_queue_log_day_test.log").string();
  std::remove(path.c_str());
  const Scenario sc = one_queue_day(path);
  const Outcome o = run(sc);
  const Parsed day = parse(path, true);
  REQUIRE(!o.kpi.queues().empty());
  for (const auto& id : o.kpi.queues()) {
    CAPTURE(id);
    const auto kpi = o.kpi.queue_total(id);
    const QueueTally& q = day.queues.at(id);
    REQUIRE(kpi.offered > 100);
    CHECK(q.enter == kpi.offered);
    CHECK(q.connect == kpi.answered);
    CHECK(q.abandon == kpi.abandoned);
    CHECK(q.timeout + q.exit_empty == kpi.removed);
    CHECK(q.complete == kpi.handled);
    // One outcome line per contact that entered.
    CHECK(q.enter == q.connect + q.abandon + q.timeout + q.exit_empty);
    CHECK(kpi.abandoned > 0);
    CHECK(kpi.overflowed > 0);
  }
  CHECK(day.logins == 3);
  // The file is only ever appended to: the same day again doubles it.
  (void)run(sc);
  CHECK(parse(path, false).lines == 2 * day.lines);
  std::remove(path.c_str());
}

TEST_CASE("a queue_log that cannot be opened stops the simulation with the path") {
  Scenario sc = one_queue_day("/nonexistent-folder/queue_log");
  CHECK_THROWS_WITH_AS(run(sc), doctest::Contains("/nonexistent-folder/queue_log"),
                       std::runtime_error);
}
