// A call that moved on (a transfer) leaves its first agent's contact in
// wrap-up. The call may end and be forgotten before that wrap-up does; the
// wrap-up's end must then find no call, not a forgotten one.
#include "call_control_fixture.hpp"

using namespace call_control_test;

TEST_CASE("a call forgotten while its first agent still wraps up after a queue transfer") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.transfer_to_queue("c1", "support", 3000).ok());
  REQUIRE(e.call_hung_up("c1", 4000).ok());  // abandons in support
  CHECK(e.live_calls() == 0);
  e.advance(kNever);  // sam's 30 s wrap-up ends
  CHECK(state_of(e, "sam") == routing::AgentState::kAvailable);
}

TEST_CASE("a call forgotten while the agent who transferred it still wraps up") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("bea", 2500).ok());
  REQUIRE(e.consult("c1", Engine::Party{"bea", ""}, 3000).ok());
  REQUIRE(e.leg_answered("c1", "bea", 4000).ok());
  REQUIRE(e.transfer_complete("c1", 5000).ok());
  REQUIRE(e.agent_hung_up("c1", 6000).ok());
  REQUIRE(e.wrap_up_done("c1", 7000).ok());  // bea's
  CHECK(e.live_calls() == 0);
  e.advance(kNever);  // sam's wrap-up ends
  CHECK(state_of(e, "sam") == routing::AgentState::kAvailable);
  CHECK(state_of(e, "bea") == routing::AgentState::kAvailable);
}
