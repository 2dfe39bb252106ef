// Post-call survey scores reach hl_engine_stats's CSAT per queue and per
// agent: the engine tells the score, the driver feeds it to the collector.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/runtime/driver.hpp"

using namespace hotline;
using engine::Command;
using nlohmann::json;

namespace {

struct Rig {
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};

  Rig() {
    REQUIRE(engine
                .load_config(json::parse(R"({
      "flows": [{"id": "survey", "start": "ask", "nodes": {
        "ask": {"type": "collect", "prompts": ["tts:Rate us from 1 to 5"], "max_digits": 1,
                "variable": "score", "next": "bye", "fail": "bye"},
        "bye": {"type": "hangup"}}}],
      "queues": [{"id": "sales", "survey_flow": "survey"}, {"id": "billing"}],
      "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "bea", "queues": ["sales"]}]})"),
                             0)
                .ok());
    REQUIRE(engine.agent_login("sam", 0).ok());
    REQUIRE(engine.agent_login("bea", 0).ok());
    REQUIRE(engine.agent_not_ready("bea", "break", 0).ok());
    driver.deliver();
  }

  // `call` reaches `agent` in sales at `at`; the agent hangs up 10 s later
  // and the caller keys `digit` in the survey, which then hangs up.
  void surveyed(const std::string& call, const std::string& agent, char digit, TimeMs at) {
    // Only `agent` is ready for the call.
    const std::string other = agent == "sam" ? "bea" : "sam";
    using routing::AgentState;
    if (engine.router().agent_snapshot(other)->state == AgentState::kAvailable) {
      REQUIRE(engine.agent_not_ready(other, "break", at).ok());
    }
    if (engine.router().agent_snapshot(agent)->state != AgentState::kAvailable) {
      REQUIRE(engine.agent_ready(agent, at).ok());
    }
    engine::CallInfo info;
    info.call_id = call;
    info.caller = "+4930123";
    info.queue_id = "sales";
    REQUIRE(engine.call_arrived(info, at).ok());
    std::uint64_t reservation = 0;
    for (const Command& c : engine.commands()) {
      if (c.kind == Command::Kind::kRingAgent && c.agent_id == agent) reservation = c.reservation;
    }
    REQUIRE(reservation != 0);
    driver.deliver();
    REQUIRE(engine.agent_answered(reservation, at + 1000).ok());
    REQUIRE(engine.agent_hung_up(call, at + 11'000).ok());
    REQUIRE(engine.prompt_done(call, at + 12'000).ok());
    REQUIRE(engine.digit(call, digit, at + 13'000).ok());
    driver.deliver();
  }
};

}  // namespace

TEST_CASE("survey scores count in the CSAT of the queue and of the agent who took the call") {
  Rig rig;
  rig.surveyed("c1", "sam", '5', 0);
  rig.surveyed("c2", "bea", '3', 100'000);
  rig.surveyed("c3", "sam", '4', 200'000);
  rig.surveyed("c4", "sam", '0', 300'000);  // not rated: no response

  const json stats = rig.driver.statistics(400'000);
  const json& sales = stats["queues"]["sales"];
  CHECK(sales["csat_responses"] == 3);
  CHECK(sales["csat"].get<double>() == doctest::Approx(2.0 / 3.0));  // 5 and 4 of 5, 3, 4
  CHECK(sales["csat_mean"].get<double>() == doctest::Approx(4.0));
  const json& sam = stats["agents"]["sam"];
  CHECK(sam["csat_responses"] == 2);
  CHECK(sam["csat"] == 1.0);
  CHECK(sam["csat_mean"] == 4.5);
  const json& bea = stats["agents"]["bea"];
  CHECK(bea["csat_responses"] == 1);
  CHECK(bea["csat"] == 0.0);
  CHECK(bea["csat_mean"] == 3.0);
  // A queue without surveys reports no responses, and ratios of 0.
  CHECK(stats["queues"]["billing"]["csat_responses"] == 0);
  CHECK(stats["queues"]["billing"]["csat"] == 0.0);
  CHECK(stats["queues"]["billing"]["first_contact_resolution"] == 0.0);
}
