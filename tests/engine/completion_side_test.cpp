// contact_completed says who ended the conversation by hanging up, so a
// queue_log can tell COMPLETECALLER from COMPLETEAGENT; a transfer ends it
// without a hang-up and says nothing.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "queues": [{"id": "q"}, {"id": "other"}],
  "agents": [{"id": "a", "queues": ["q"]}, {"id": "b", "queues": ["other"]}]})";

// Loads the center, logs both agents in and connects call c1 with agent a.
void connected_call(Engine& e) {
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  REQUIRE(e.agent_login("a", 0).ok());
  REQUIRE(e.agent_login("b", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "q";
  REQUIRE(e.call_arrived(call, 1000).ok());
  std::uint64_t reservation = 0;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent) reservation = c.reservation;
  }
  e.commands().clear();
  REQUIRE(reservation != 0);
  REQUIRE(e.agent_answered(reservation, 2000).ok());
  e.notifications().clear();
}

// The texts of the contact_completed notifications since the last clear.
std::vector<std::string> completions(Engine& e) {
  std::vector<std::string> out;
  for (const Notification& n : e.notifications()) {
    if (n.kind == Notification::Kind::kRouting &&
        n.routing == routing::Output::Kind::kContactCompleted) {
      out.push_back(n.text);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a caller's hang-up completes the contact as the caller's") {
  Engine e;
  connected_call(e);
  REQUIRE(e.call_hung_up("c1", 30'000).ok());
  CHECK(completions(e) == std::vector<std::string>{"caller"});
}

TEST_CASE("an agent's hang-up completes the contact as the agent's") {
  Engine e;
  connected_call(e);
  REQUIRE(e.agent_hung_up("c1", 30'000).ok());
  CHECK(completions(e) == std::vector<std::string>{"agent"});
}

TEST_CASE("a transfer completes the contact without naming a side") {
  Engine e;
  connected_call(e);
  REQUIRE(e.transfer_to_queue("c1", "other", 30'000).ok());
  CHECK(completions(e) == std::vector<std::string>{""});
}
