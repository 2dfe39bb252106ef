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

std::uint64_t ring(Engine& e) {
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  REQUIRE(e.agent_login("a", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "q";
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
