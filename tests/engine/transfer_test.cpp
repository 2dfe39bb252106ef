// An agent hands a caller to another queue: the first agent wraps up, the
// caller waits in the new queue with the same data and reaches its agent.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

std::uint64_t ring_for(Engine& e, const std::string& agent) {
  std::uint64_t reservation = 0;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent && c.agent_id == agent) reservation = c.reservation;
  }
  e.commands().clear();
  return reservation;
}

}  // namespace

TEST_CASE("a transfer moves the caller to another queue and the agent to wrap-up") {
  Engine e;
  REQUIRE(e.load_config(json::parse(R"({
    "queues": [{"id": "sales", "wrap_up_seconds": 30}, {"id": "billing", "max_length": 1}],
    "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "bea", "queues": ["billing"]}]})"),
                        0)
              .ok());
  metrics::KpiCollector kpi;
  KpiFeed feed(kpi, e.router());
  REQUIRE(e.agent_login("sam", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+4930123";
  call.queue_id = "sales";
  call.attributes.set("language", "de");
  REQUIRE(e.call_arrived(call, 1000).ok());
  REQUIRE(e.agent_answered(ring_for(e, "sam"), 2000).ok());

  // Not to an unknown queue, and not while nobody has the call.
  CHECK(e.transfer_to_queue("c1", "nowhere", 3000).error().code == Errc::kNotFound);
  CHECK(e.transfer_to_queue("c9", "billing", 3000).error().code == Errc::kNotFound);

  REQUIRE(e.transfer_to_queue("c1", "billing", 60'000).ok());
  CHECK(e.router().agent_snapshot("sam")->state == routing::AgentState::kWrapUp);
  bool transferred = false;
  for (const Notification& n : e.notifications()) {
    feed.on(n);
    if (n.kind == Notification::Kind::kTransferred) {
      transferred = true;
      CHECK(n.queue_id == "sales");
      CHECK(n.agent_id == "sam");
      CHECK(n.text == "billing");
    }
  }
  e.notifications().clear();
  CHECK(transferred);
  CHECK(kpi.queue_total("sales").transfers == 1);

  // Bea logs in and gets the caller, with the caller's data.
  REQUIRE(e.agent_login("bea", 61'000).ok());
  const auto reservation = ring_for(e, "bea");
  REQUIRE(reservation != 0);
  REQUIRE(e.agent_answered(reservation, 62'000).ok());
  CHECK(e.router().agent_snapshot("bea")->state == routing::AgentState::kBusy);
  CHECK(e.transfer_to_queue("c1", "sales", 63'000).ok());  // and back again
  REQUIRE(e.agent_hung_up("c1", 70'000).error().code == Errc::kIllegalState);  // waiting, not with an agent
}

TEST_CASE("a full target queue refuses the transfer and the caller stays with the agent") {
  Engine e;
  REQUIRE(e.load_config(json::parse(R"({
    "queues": [{"id": "sales"}, {"id": "billing", "max_length": 1}],
    "agents": [{"id": "sam", "queues": ["sales"]}]})"),
                        0)
              .ok());
  REQUIRE(e.agent_login("sam", 0).ok());
  CallInfo waiting;
  waiting.call_id = "w";
  waiting.queue_id = "billing";  // fills billing: nobody serves it
  REQUIRE(e.call_arrived(waiting, 500).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "sales";
  REQUIRE(e.call_arrived(call, 1000).ok());
  REQUIRE(e.agent_answered(ring_for(e, "sam"), 2000).ok());
  auto refused = e.transfer_to_queue("c1", "billing", 3000);
  CHECK(refused.error().code == Errc::kFull);
  CHECK(e.router().agent_snapshot("sam")->state == routing::AgentState::kBusy);
  CHECK(e.agent_hung_up("c1", 4000).ok());
}

TEST_CASE("a call without a flow that its queue refuses is hung up, not lost") {
  Engine e;
  REQUIRE(e.load_config(json::parse(R"({"queues": [{"id": "q", "max_length": 1}], "agents": []})"), 0)
              .ok());
  CallInfo a;
  a.call_id = "a";
  a.queue_id = "q";
  REQUIRE(e.call_arrived(a, 0).ok());
  CallInfo b;
  b.call_id = "b";
  b.queue_id = "q";
  REQUIRE(e.call_arrived(b, 0).ok());
  bool hung_up = false;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kHangup && c.call_id == "b") hung_up = true;
  }
  CHECK(hung_up);
}
