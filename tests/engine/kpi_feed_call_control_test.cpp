// The KPI feed counts live call control from the conversation notifications
// of docs/call-control.md: each time the caller is put on hold (a
// consultation holds the caller too), the time on hold taken out of the
// router's talk and reported as its own part of AHT, consultations,
// conferences and wrap-up codes, per queue and per agent. The calls are the
// real engine's; the conversation notifications are first the ones the
// contract describes, in either order around the contact's completion, then
// the engine's own for hold, consultation, blind and attended transfer and
// conference.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

struct Rig {
  Engine engine;
  metrics::KpiCollector kpi;
  KpiFeed feed{kpi, engine.router()};

  Rig() {
    REQUIRE(engine
                .load_config(json::parse(R"({
      "queues": [{"id": "sales", "wrap_up_seconds": 30}],
      "agents": [{"id": "sam", "queues": ["sales"]}]})"),
                             0)
                .ok());
    REQUIRE(engine.agent_login("sam", 0).ok());
    pump();
  }

  // Hands the engine's notifications to the feed, as the driver does.
  void pump() {
    for (const Notification& n : engine.notifications()) feed.on(n);
    engine.notifications().clear();
    engine.commands().clear();
  }

  std::uint64_t ring_for(const std::string& agent) {
    std::uint64_t reservation = 0;
    for (const Command& c : engine.commands()) {
      if (c.kind == Command::Kind::kRingAgent && c.agent_id == agent) reservation = c.reservation;
    }
    return reservation;
  }

  // c1 waits from `at` and sam answers it 2 s later.
  void answered_call(TimeMs at) {
    CallInfo call;
    call.call_id = "c1";
    call.caller = "+4930123";
    call.queue_id = "sales";
    REQUIRE(engine.call_arrived(call, at).ok());
    const std::uint64_t reservation = ring_for("sam");
    REQUIRE(reservation != 0);
    pump();
    REQUIRE(engine.agent_answered(reservation, at + 2000).ok());
    pump();
    conversation("connected", at + 2000, 0);
  }

  // The conversation of c1 (sam's, answered in sales) entered `state`.
  void conversation(const std::string& state, TimeMs at, DurationMs left_state_lasted) {
    Notification n{};
    n.kind = Notification::Kind::kConversation;
    n.time = at;
    n.call_id = "c1";
    n.agent_id = "sam";
    n.queue_id = "sales";
    n.text = state;
    n.value = left_state_lasted;
    feed.on(n);
  }

  void wrap_up_code(const std::string& code, TimeMs at) {
    Notification n{};
    n.kind = Notification::Kind::kWrapUpCode;
    n.time = at;
    n.call_id = "c1";
    n.agent_id = "sam";
    n.queue_id = "sales";
    n.text = code;
    feed.on(n);
  }
};

}  // namespace

TEST_CASE("hold time is taken out of talk and each hold and consultation is counted") {
  Rig rig;
  rig.answered_call(0);                          // talk from 2 s
  rig.conversation("held", 10'000, 8'000);       // hold 1: 15 s
  rig.conversation("connected", 25'000, 15'000);
  rig.conversation("consulting", 40'000, 15'000);  // hold 2: consult 10 s, held 5 s
  rig.conversation("held", 50'000, 10'000);
  rig.conversation("connected", 55'000, 5'000);
  rig.wrap_up_code("sale", 60'000);
  REQUIRE(rig.engine.agent_hung_up("c1", 100'000).ok());
  rig.pump();
  rig.conversation("ended", 100'000, 45'000);
  rig.engine.advance(130'000);  // 30 s of wrap-up
  rig.pump();

  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.handled == 1);
  CHECK(q.holds == 2);
  CHECK(q.consultations == 1);
  CHECK(q.conferences == 0);
  CHECK(q.hold_ms == 30'000);
  CHECK(q.talk_ms == 68'000);  // 98 s from the answer, less 30 s on hold
  CHECK(q.wrap_ms == 30'000);
  CHECK(metrics::average_handle_time_ms(q) == 128'000.0);
  CHECK(metrics::average_hold_ms(q) == 30'000.0);
  CHECK(metrics::average_talk_ms(q) + metrics::average_hold_ms(q) + metrics::average_wrap_ms(q) ==
        metrics::average_handle_time_ms(q));
  CHECK(q.wrap_up_codes == std::map<std::string, std::int64_t, std::less<>>{{"sale", 1}});

  const metrics::AgentCounts a = rig.kpi.agent_total("sam");
  CHECK(a.holds == 2);
  CHECK(a.consultations == 1);
  CHECK(a.hold_ms == 30'000);
  CHECK(a.talk_ms == 68'000);
  CHECK(a.wrap_up_codes.at("sale") == 1);
  CHECK(metrics::average_handle_time_ms(a) == 128'000.0);
}

TEST_CASE("a caller who hangs up on hold is on hold until the conversation ends, in either order") {
  SUBCASE("the conversation's end reported before the contact completes") {
    Rig rig;
    rig.answered_call(0);
    rig.conversation("held", 12'000, 10'000);
    rig.conversation("ended", 20'000, 8'000);
    REQUIRE(rig.engine.call_hung_up("c1", 20'000).ok());
    rig.pump();
    CHECK(rig.kpi.queue_total("sales").hold_ms == 8'000);
    CHECK(rig.kpi.queue_total("sales").talk_ms == 10'000);
    CHECK(rig.kpi.queue_total("sales").holds == 1);
  }
  SUBCASE("the contact completes first") {
    Rig rig;
    rig.answered_call(0);
    rig.conversation("held", 12'000, 10'000);
    REQUIRE(rig.engine.call_hung_up("c1", 20'000).ok());
    rig.pump();
    rig.conversation("ended", 20'000, 8'000);
    CHECK(rig.kpi.queue_total("sales").hold_ms == 8'000);
    CHECK(rig.kpi.queue_total("sales").talk_ms == 10'000);
    CHECK(rig.kpi.queue_total("sales").holds == 1);
  }
}

TEST_CASE("a conference is counted and its talk stays talk") {
  Rig rig;
  rig.answered_call(0);
  rig.conversation("consulting", 10'000, 8'000);
  rig.conversation("conference", 16'000, 6'000);  // the caller rejoins: 6 s on hold
  rig.conversation("connected", 40'000, 24'000);
  REQUIRE(rig.engine.agent_hung_up("c1", 50'000).ok());
  rig.pump();
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.conferences == 1);
  CHECK(q.consultations == 1);
  CHECK(q.holds == 1);
  CHECK(q.hold_ms == 6'000);
  CHECK(q.talk_ms == 42'000);
}

TEST_CASE("a call never put on hold keeps all of its talk") {
  Rig rig;
  rig.answered_call(0);
  REQUIRE(rig.engine.agent_hung_up("c1", 62'000).ok());
  rig.pump();
  rig.conversation("ended", 62'000, 60'000);
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.talk_ms == 60'000);
  CHECK(q.hold_ms == 0);
  CHECK(q.holds == 0);
  CHECK(metrics::average_hold_ms(q) == 0.0);
}

TEST_CASE("the engine's own holds, consultation and wrap-up code reach the KPIs") {
  Rig rig;
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+4930123";
  call.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(call, 0).ok());
  const std::uint64_t reservation = rig.ring_for("sam");
  rig.pump();
  REQUIRE(rig.engine.agent_answered(reservation, 2000).ok());
  rig.pump();
  REQUIRE(rig.engine.hold("c1", 10'000).ok());
  REQUIRE(rig.engine.resume("c1", 22'000).ok());  // 12 s
  REQUIRE(rig.engine.consult("c1", Engine::Party{"", "+15550100"}, 30'000).ok());
  std::string leg;
  for (const Command& c : rig.engine.commands()) {
    if (c.kind == Command::Kind::kDial) leg = c.leg;
  }
  REQUIRE(!leg.empty());
  REQUIRE(rig.engine.leg_answered("c1", leg, 33'000).ok());
  REQUIRE(rig.engine.consult_cancel("c1", 45'000).ok());
  REQUIRE(rig.engine.resume("c1", 47'000).ok());  // 17 s: consulting, then held
  REQUIRE(rig.engine.wrap_up_code("c1", "sale", 50'000).ok());
  rig.pump();
  REQUIRE(rig.engine.agent_hung_up("c1", 62'000).ok());
  rig.pump();
  rig.engine.advance(92'000);
  rig.pump();

  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.handled == 1);
  CHECK(q.holds == 2);
  CHECK(q.consultations == 1);
  CHECK(q.hold_ms == 29'000);
  CHECK(q.talk_ms == 31'000);  // 60 s from the answer, less 29 s on hold
  CHECK(q.wrap_ms == 30'000);
  CHECK(q.wrap_up_codes.at("sale") == 1);
  CHECK(metrics::average_handle_time_ms(q) == 90'000.0);
  CHECK(rig.kpi.agent_total("sam").hold_ms == 29'000);
}

TEST_CASE("a caller who hangs up on hold in the engine counts the hold up to the hang-up") {
  Rig rig;
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+4930123";
  call.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(call, 0).ok());
  const std::uint64_t reservation = rig.ring_for("sam");
  rig.pump();
  REQUIRE(rig.engine.agent_answered(reservation, 2000).ok());
  REQUIRE(rig.engine.hold("c1", 12'000).ok());
  REQUIRE(rig.engine.call_hung_up("c1", 20'000).ok());
  rig.pump();
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.holds == 1);
  CHECK(q.hold_ms == 8'000);
  CHECK(q.talk_ms == 10'000);
}

TEST_CASE("a conference joined straight from the conversation is counted without a hold") {
  Rig rig;
  rig.answered_call(0);
  rig.conversation("conference", 10'000, 8'000);  // a party added while connected
  rig.conversation("connected", 30'000, 20'000);
  REQUIRE(rig.engine.agent_hung_up("c1", 42'000).ok());
  rig.pump();
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.conferences == 1);
  CHECK(q.holds == 0);
  CHECK(q.hold_ms == 0);
  CHECK(q.talk_ms == 40'000);
  CHECK(rig.kpi.agent_total("sam").conferences == 1);
}

TEST_CASE("a blind transfer from hold counts the transfer and the hold up to it") {
  Rig rig;
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+4930123";
  call.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(call, 0).ok());
  const std::uint64_t reservation = rig.ring_for("sam");
  rig.pump();
  REQUIRE(rig.engine.agent_answered(reservation, 2000).ok());
  REQUIRE(rig.engine.hold("c1", 12'000).ok());
  REQUIRE(rig.engine.blind_transfer("c1", Engine::Party{"", "+15550100"}, 20'000).ok());
  rig.pump();
  rig.engine.advance(50'000);
  rig.pump();
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.transfers == 1);
  CHECK(q.handled == 1);
  CHECK(q.holds == 1);
  CHECK(q.hold_ms == 8'000);
  CHECK(q.talk_ms == 10'000);
  CHECK(q.wrap_ms == 30'000);
  CHECK(rig.kpi.agent_total("sam").transfers == 1);
}

TEST_CASE("an attended transfer counts the consultation, its hold and the transfer") {
  Rig rig;
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+4930123";
  call.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(call, 0).ok());
  const std::uint64_t reservation = rig.ring_for("sam");
  rig.pump();
  REQUIRE(rig.engine.agent_answered(reservation, 2000).ok());
  REQUIRE(rig.engine.consult("c1", Engine::Party{"", "+15550100"}, 12'000).ok());
  std::string leg;
  for (const Command& c : rig.engine.commands()) {
    if (c.kind == Command::Kind::kDial) leg = c.leg;
  }
  REQUIRE(rig.engine.leg_answered("c1", leg, 15'000).ok());
  REQUIRE(rig.engine.transfer_complete("c1", 27'000).ok());
  rig.pump();
  rig.engine.advance(60'000);
  rig.pump();
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.consultations == 1);
  CHECK(q.transfers == 1);
  CHECK(q.handled == 1);
  CHECK(q.holds == 1);
  CHECK(q.hold_ms == 15'000);
  CHECK(q.talk_ms == 10'000);
}

TEST_CASE("a conference through the engine is counted, and the caller rejoining ends the hold") {
  Rig rig;
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+4930123";
  call.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(call, 0).ok());
  const std::uint64_t reservation = rig.ring_for("sam");
  rig.pump();
  REQUIRE(rig.engine.agent_answered(reservation, 2000).ok());
  REQUIRE(rig.engine.consult("c1", Engine::Party{"", "+15550100"}, 12'000).ok());
  std::string leg;
  for (const Command& c : rig.engine.commands()) {
    if (c.kind == Command::Kind::kDial) leg = c.leg;
  }
  REQUIRE(rig.engine.leg_answered("c1", leg, 15'000).ok());
  REQUIRE(rig.engine.conference("c1", 20'000).ok());
  REQUIRE(rig.engine.agent_hung_up("c1", 52'000).ok());
  rig.pump();
  const metrics::QueueCounts q = rig.kpi.queue_total("sales");
  CHECK(q.conferences == 1);
  CHECK(q.consultations == 1);
  CHECK(q.holds == 1);
  CHECK(q.hold_ms == 8'000);
  CHECK(q.talk_ms == 42'000);
}
