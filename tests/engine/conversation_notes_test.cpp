// Conversation notifications left out (EngineOptions::conversation_notes,
// which a batch simulation without call control turns off): listeners hear
// everything else exactly as before, in the same order, and the
// conversation runs the same: its holds, its talk and hold times, its end.
// Only the bridge's "connected" and the "ended" go; the states call control
// moves a conversation through stay, and the KPI feed's hold time with them.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"
#include "hotline/metrics/kpi.hpp"

#include "output_lines.hpp"

using namespace hotline;
using namespace hotline::engine;
using hotline::engine::test::line_of;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "flows": [{"id": "menu", "start": "menu", "nodes": {
      "menu": {"type": "menu", "prompts": ["tts:Press 1"], "options": {"1": "queue"},
               "fail": "queue"},
      "queue": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]}}}],
  "queues": [{"id": "sales", "wrap_up_seconds": 10}, {"id": "support"}],
  "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "kim", "queues": ["support"]}]})";

struct Heard {
  std::vector<std::string> notes;
  std::vector<std::string> commands;
  std::vector<std::string> states;  // "<state> <ms the previous one lasted>"
  DurationMs sales_hold_ms = 0;       // as the KPI feed counts it
};

void take(Engine& e, Heard& heard, KpiFeed& feed) {
  for (const Notification& n : e.notifications()) {
    feed.on(n);
    if (n.kind == Notification::Kind::kConversation) {
      heard.states.push_back(n.text + " " + std::to_string(n.value));
    } else {
      heard.notes.push_back(line_of(n));
    }
  }
  for (const Command& c : e.commands()) heard.commands.push_back(line_of(c));
  e.notifications().clear();
  e.commands().clear();
}

// The reservation of the ring the last event sent, if any.
std::uint64_t ring_of(Engine& e) {
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent) return c.reservation;
  }
  return 0;
}

// Two callers through the menu to sam. The first is held twice and hangs
// up; the second is sent on to another queue, answered there by kim and
// hung up on. What the engine said at every step.
Heard day(Engine& e) {
  Heard heard;
  metrics::KpiCollector kpi;
  KpiFeed feed{kpi, e.router()};
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  REQUIRE(e.agent_login("sam", 0).ok());
  REQUIRE(e.agent_login("kim", 0).ok());
  take(e, heard, feed);
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+15550001";
  call.flow_id = "menu";
  REQUIRE(e.call_arrived(call, 1000).ok());
  take(e, heard, feed);
  REQUIRE(e.prompt_done("c1", 2000).ok());
  REQUIRE(e.digit("c1", '1', 3000).ok());
  const std::uint64_t first = ring_of(e);
  take(e, heard, feed);
  REQUIRE(first != 0);
  REQUIRE(e.agent_answered(first, 4000).ok());
  take(e, heard, feed);
  REQUIRE(e.hold("c1", 10'000).ok());
  REQUIRE(e.resume("c1", 25'000).ok());
  REQUIRE(e.hold("c1", 30'000).ok());
  REQUIRE(e.resume("c1", 32'000).ok());
  take(e, heard, feed);
  REQUIRE(e.call_hung_up("c1", 60'000).ok());
  e.advance(90'000);  // sam's wrap-up ends
  take(e, heard, feed);
  call.call_id = "c2";
  call.caller = "+15550002";
  REQUIRE(e.call_arrived(call, 100'000).ok());
  REQUIRE(e.prompt_done("c2", 101'000).ok());
  REQUIRE(e.digit("c2", '1', 102'000).ok());
  const std::uint64_t second = ring_of(e);
  take(e, heard, feed);
  REQUIRE(second != 0);
  REQUIRE(e.agent_answered(second, 103'000).ok());
  take(e, heard, feed);
  REQUIRE(e.transfer_to_queue("c2", "support", 110'000).ok());
  const std::uint64_t third = ring_of(e);
  take(e, heard, feed);
  REQUIRE(third != 0);
  REQUIRE(e.agent_answered(third, 111'000).ok());
  take(e, heard, feed);
  REQUIRE(e.agent_hung_up("c2", 150'000).ok());
  take(e, heard, feed);
  e.advance(200'000);
  take(e, heard, feed);
  heard.sales_hold_ms = kpi.queue_total("sales").hold_ms;
  return heard;
}

}  // namespace

TEST_CASE("by default listeners are told each state of a conversation") {
  Engine e;
  const Heard heard = day(e);
  CHECK(heard.states ==
        std::vector<std::string>{"connected 0", "held 6000", "connected 15000", "held 5000",
                                 "connected 2000", "ended 28000", "connected 0", "ended 7000",
                                 "connected 0", "ended 39000"});
  CHECK(heard.sales_hold_ms == 17'000);
  CHECK(e.options().conversation_notes);
}

TEST_CASE("without conversation notifications everything else is told as before") {
  EngineOptions without;
  without.conversation_notes = false;
  Engine plain;
  Engine lean(without);
  const Heard full = day(plain);
  const Heard bare = day(lean);
  // Only the bridge's "connected" and the end go: the states call control
  // moves the first conversation through are still told.
  CHECK(bare.states ==
        std::vector<std::string>{"held 6000", "connected 15000", "held 5000", "connected 2000"});
  CHECK_FALSE(full.states.empty());
  CHECK(bare.sales_hold_ms == full.sales_hold_ms);
  CHECK(bare.notes == full.notes);
  CHECK(bare.commands == full.commands);
  // Both calls are over and both agents free in either engine.
  CHECK(lean.live_calls() == plain.live_calls());
  CHECK(lean.live_calls() == 0);
  // A configuration's options leave the host's choice alone.
  REQUIRE(lean.load_config(json::parse(R"({"options": {"host_timeout_seconds": 9}})"), 300'000)
              .ok());
  CHECK_FALSE(lean.options().conversation_notes);
}
