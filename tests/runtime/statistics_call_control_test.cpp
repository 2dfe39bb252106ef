// hl_engine_stats's JSON carries the call-control KPIs per queue and per
// agent: the parts of AHT, hold count and time, transfers, consultations,
// conferences and wrap-up codes, all from the KPI collector the driver
// feeds with the engine's notifications.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/runtime/driver.hpp"

using namespace hotline;
using engine::Command;
using engine::Notification;
using nlohmann::json;

namespace {

struct Rig {
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};

  Rig() {
    REQUIRE(engine
                .load_config(json::parse(R"({
      "queues": [{"id": "sales", "wrap_up_seconds": 20}, {"id": "billing"}],
      "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "bea", "queues": ["billing"]}]})"),
                             0)
                .ok());
    REQUIRE(engine.agent_login("sam", 0).ok());
    driver.deliver();
  }

  // What the engine reports about the conversation of `call`, through the
  // driver as every notification goes.
  void report(Notification::Kind kind, const std::string& call, const std::string& text,
              TimeMs at) {
    Notification n{};
    n.kind = kind;
    n.time = at;
    n.call_id = call;
    n.agent_id = "sam";
    n.queue_id = "sales";
    n.text = text;
    engine.notifications().push_back(n);
    driver.deliver();
  }

  // `call` waits in sales from `at`; sam answers 1 s later.
  void answered(const std::string& call, TimeMs at) {
    engine::CallInfo info;
    info.call_id = call;
    info.caller = "+4930123";
    info.queue_id = "sales";
    std::uint64_t reservation = 0;
    REQUIRE(engine.call_arrived(info, at).ok());
    for (const Command& c : engine.commands()) {
      if (c.kind == Command::Kind::kRingAgent) reservation = c.reservation;
    }
    driver.deliver();
    REQUIRE(engine.agent_answered(reservation, at + 1000).ok());
    driver.deliver();
  }
};

}  // namespace

TEST_CASE("the statistics report hold, transfers, consultations and wrap-up codes") {
  Rig rig;
  using K = Notification::Kind;
  // c1: 40 s with sam, 10 s of it on hold, 20 s of wrap-up, coded "sale".
  rig.answered("c1", 0);
  rig.report(K::kConversation, "c1", "held", 11'000);
  rig.report(K::kConversation, "c1", "connected", 21'000);
  rig.report(K::kWrapUpCode, "c1", "sale", 30'000);
  REQUIRE(rig.engine.agent_hung_up("c1", 41'000).ok());
  rig.driver.deliver();
  rig.engine.advance(61'000);
  rig.driver.deliver();
  // c2: sam consults (the caller holds 5 s), then sends the caller to billing after 20 s.
  rig.answered("c2", 70'000);
  rig.report(K::kConversation, "c2", "consulting", 80'000);
  rig.report(K::kConversation, "c2", "held", 84'000);
  rig.report(K::kConversation, "c2", "connected", 85'000);
  rig.report(K::kWrapUpCode, "c2", "misrouted", 88'000);
  REQUIRE(rig.engine.transfer_to_queue("c2", "billing", 91'000).ok());
  rig.driver.deliver();
  rig.engine.advance(111'000);
  rig.driver.deliver();

  const json stats = rig.driver.statistics(120'000);
  const json& sales = stats["queues"]["sales"];
  CHECK(sales["handled"] == 2);
  CHECK(sales["holds"] == 2);
  CHECK(sales["hold_ms"] == 15'000);
  CHECK(sales["talk_ms"] == 45'000);  // 40 s + 20 s from the answers, less 15 s on hold
  CHECK(sales["wrap_ms"] == 40'000);
  CHECK(sales["average_hold_ms"] == 7'500.0);
  CHECK(sales["average_talk_ms"] == 22'500.0);
  CHECK(sales["average_wrap_ms"] == 20'000.0);
  CHECK(sales["aht_ms"] == 50'000.0);
  CHECK(sales["transfers"] == 1);
  CHECK(sales["consultations"] == 1);
  CHECK(sales["conferences"] == 0);
  CHECK(sales["wrap_up_codes"] == json{{"misrouted", 1}, {"sale", 1}});
  // billing has the caller waiting, and nothing handled yet.
  CHECK(stats["queues"]["billing"]["handled"] == 0);
  CHECK(stats["queues"]["billing"]["wrap_up_codes"] == json::object());
  CHECK(stats["queues"]["billing"]["average_hold_ms"] == 0.0);

  const json& sam = stats["agents"]["sam"];
  CHECK(sam["handled"] == 2);
  CHECK(sam["holds"] == 2);
  CHECK(sam["hold_ms"] == 15'000);
  CHECK(sam["aht_ms"] == 50'000.0);
  CHECK(sam["transfers"] == 1);
  CHECK(sam["consultations"] == 1);
  CHECK(sam["wrap_up_codes"] == json{{"misrouted", 1}, {"sale", 1}});
}
