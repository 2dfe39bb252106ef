// How an offer's end reaches the phone: when the queue's offer timeout runs
// out the phone is still ringing, so the engine tells the host to stop it;
// when the host itself reports the phone unanswered, it has already stopped.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "queues": [{"id": "q", "offer_timeout_seconds": 1}],
  "agents": [{"id": "a", "queues": ["q"]}]})";

std::vector<Command> take_commands(Engine& e) {
  std::vector<Command> v(e.commands().begin(), e.commands().end());
  e.commands().clear();
  return v;
}

// Loads `config`, logs agent "a" in and lets call "c1" arrive, straight to
// queue "q" or through flow "f"; returns the reservation of the ring.
std::uint64_t ring(Engine& e, const char* config = kConfig, bool flow = false) {
  REQUIRE(e.load_config(json::parse(config), 0).ok());
  REQUIRE(e.agent_login("a", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  (flow ? call.flow_id : call.queue_id) = flow ? "f" : "q";
  REQUIRE(e.call_arrived(call, 1000).ok());
  for (const Command& c : take_commands(e)) {
    if (c.kind == Command::Kind::kRingAgent) return c.reservation;
  }
  FAIL("no ring_agent command");
  return 0;
}

}  // namespace

TEST_CASE("an offer that times out in the engine stops the agent's phone") {
  Engine e;
  const std::uint64_t reservation = ring(e);
  e.advance(3000);
  bool stopped = false;
  for (const Command& c : take_commands(e)) {
    if (c.kind == Command::Kind::kStopRinging) {
      stopped = c.reservation == reservation && c.agent_id == "a" && c.call_id == "c1";
    }
  }
  CHECK(stopped);
}

TEST_CASE("an offer the host reports unanswered sends no stop_ringing") {
  Engine e;
  const std::uint64_t reservation = ring(e);
  REQUIRE(e.agent_no_answer(reservation, 1500).ok());
  for (const Command& c : take_commands(e)) {
    CHECK(c.kind != Command::Kind::kStopRinging);
  }
  bool timed_out = false;
  for (const Notification& n : e.notifications()) {
    timed_out = timed_out || (n.kind == Notification::Kind::kRouting &&
                              n.routing == routing::Output::Kind::kOfferTimedOut &&
                              n.reservation == reservation);
  }
  CHECK(timed_out);
}

namespace {

// A queue reached straight or through a flow's queue node: the caller leaves
// the queue through the router in the one case, through the IVR session in
// the other, and the host must see the same.
const char* kFlowConfig = R"({
  "queues": [{"id": "q", "offer_timeout_seconds": 30}],
  "agents": [{"id": "a", "queues": ["q"]}],
  "flows": [{"id": "f", "start": "wait",
             "nodes": {"wait": {"type": "queue", "queue": "q"}}}]})";

}  // namespace

TEST_CASE("a caller who hangs up while the agent's phone rings stops that phone") {
  for (const bool flow : {false, true}) {
    CAPTURE(flow);
    Engine e;
    const std::uint64_t reservation = ring(e, kFlowConfig, flow);
    e.notifications().clear();
    REQUIRE(e.call_hung_up("c1", 2000).ok());
    int stopped = 0;
    for (const Command& c : take_commands(e)) {
      if (c.kind != Command::Kind::kStopRinging) continue;
      ++stopped;
      CHECK(c.reservation == reservation);
      CHECK(c.agent_id == "a");
      CHECK(c.call_id == "c1");
    }
    CHECK(stopped == 1);
    // Every routing notification about the contact names its call, the
    // abandonment included.
    bool abandoned = false;
    for (const Notification& n : e.notifications()) {
      if (n.kind != Notification::Kind::kRouting || n.contact == 0) continue;
      const std::string kind = routing::output_kind_name(n.routing);
      CAPTURE(kind);
      CHECK(n.call_id == "c1");
      abandoned = abandoned || n.routing == routing::Output::Kind::kContactAbandoned;
    }
    CHECK(abandoned);
    // The agent is free again: a next call rings the same phone.
    CallInfo next;
    next.call_id = "c2";
    next.queue_id = "q";
    REQUIRE(e.call_arrived(next, 3000).ok());
    bool rang = false;
    for (const Command& c : take_commands(e)) {
      rang = rang || (c.kind == Command::Kind::kRingAgent && c.call_id == "c2");
    }
    CHECK(rang);
  }
}

namespace {

// A queue whose callers press 1 for a callback that keeps their place; its
// agent "a" is logged in.
void load_callback_flow(Engine& e) {
  REQUIRE(e.load_config(json::parse(R"({
    "queues": [{"id": "q", "offer_timeout_seconds": 30}],
    "agents": [{"id": "a", "queues": ["q"]}],
    "flows": [{"id": "f", "start": "wait", "nodes": {
      "wait": {"type": "queue", "queue": "q", "keys": {"1": "cb"}},
      "cb": {"type": "callback", "number": "+15550100", "next": "bye"},
      "bye": {"type": "hangup"}}}]})"),
                        0)
              .ok());
  REQUIRE(e.agent_login("a", 0).ok());
}

}  // namespace

TEST_CASE("a caller who asks for a callback while the agent's phone rings stops that phone") {
  // The callback keeps the caller's place: the contact that was ringing
  // leaves the queue, and the request takes its place as a contact of its own.
  Engine e;
  load_callback_flow(e);
  CallInfo call;
  call.call_id = "c1";
  call.flow_id = "f";
  REQUIRE(e.call_arrived(call, 1000).ok());
  std::uint64_t reservation = 0;
  for (const Command& c : take_commands(e)) {
    if (c.kind == Command::Kind::kRingAgent) reservation = c.reservation;
  }
  REQUIRE(reservation != 0);
  REQUIRE(e.digit("c1", '1', 2000).ok());
  int stopped = 0;
  bool rang_back = false;
  for (const Command& c : take_commands(e)) {
    if (c.kind == Command::Kind::kStopRinging) {
      ++stopped;
      CHECK(c.reservation == reservation);
      CHECK(c.call_id == "c1");
    }
    // The phone, free again, rings for the callback in the caller's place.
    rang_back = rang_back || (c.kind == Command::Kind::kRingAgent && c.agent_id == "a" &&
                              c.target == "+15550100");
  }
  CHECK(stopped == 1);
  CHECK(rang_back);
}

TEST_CASE("a second callback request withdraws the first one's ring and stops that phone") {
  Engine e;
  load_callback_flow(e);
  REQUIRE(e.agent_not_ready("a", "meeting", 0).ok());
  const auto ask_for_callback = [&](TimeMs at) {
    CallInfo call;
    call.call_id = "c1";
    call.flow_id = "f";
    REQUIRE(e.call_arrived(call, at).ok());
    REQUIRE(e.digit("c1", '1', at + 1).ok());
    CHECK(e.live_calls() == 1);  // the flow hung up on the caller: only the request is left
  };
  ask_for_callback(1000);
  take_commands(e);
  REQUIRE(e.agent_ready("a", 2000).ok());
  std::uint64_t first = 0;
  for (const Command& c : take_commands(e)) {
    if (c.kind == Command::Kind::kRingAgent && c.call_id == "callback:c1") first = c.reservation;
  }
  REQUIRE(first != 0);
  // The same caller calls again and asks again while the phone rings for the
  // first request: the second replaces it.
  e.notifications().clear();
  ask_for_callback(3000);
  int stopped = 0;
  std::uint64_t second = 0;
  for (const Command& c : take_commands(e)) {
    if (c.kind == Command::Kind::kStopRinging) {
      ++stopped;
      CHECK(c.reservation == first);
      CHECK(c.call_id == "callback:c1");
    }
    if (c.kind == Command::Kind::kRingAgent) second = c.reservation;
  }
  CHECK(stopped == 1);
  CHECK(second != 0);
  CHECK(second != first);
  // Every report about a contact names its call: the caller's own contact
  // (queued, then left for the request), the first request's withdrawn ring
  // and its removal, the second request's ring.
  int about_first = 0;
  for (const Notification& n : e.notifications()) {
    if (n.kind != Notification::Kind::kRouting || n.contact == 0) continue;
    CHECK(!n.call_id.empty());
    if (n.reservation == first) {
      ++about_first;
      CHECK(n.call_id == "callback:c1");
    }
  }
  CHECK(about_first > 0);
}
