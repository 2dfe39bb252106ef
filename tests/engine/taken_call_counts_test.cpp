// A call an agent takes from another (a completed consultation transfer, a
// supervisor's take-over) counts in the router's per-agent counts as a
// queue-delivered call does, so the strategies that read them see it.
#include "call_control_fixture.hpp"

using namespace call_control_test;

namespace {

// fewest_contacts over sam and bea, no wrap-up; sue supervises and is a
// member too.
const char* kFewestContacts = R"({
  "queues": [{"id": "sales", "strategy": "fewest_contacts"}],
  "agents": [
    {"id": "sam", "queues": ["sales"]},
    {"id": "bea", "queues": ["sales"]},
    {"id": "sue", "role": "supervisor", "queues": ["sales"]}]})";

std::int64_t contacts_today(const Engine& e, const char* agent) {
  return e.router().agent_snapshot(agent)->contacts_today;
}

std::int64_t answered(const Engine& e, const char* agent) {
  return e.router().agent_snapshot(agent)->answered;
}

void arrives(Engine& e, const char* call_id, TimeMs at) {
  CallInfo call;
  call.call_id = call_id;
  call.queue_id = "sales";
  REQUIRE(e.call_arrived(call, at).ok());
}

}  // namespace

TEST_CASE("the agent a consultation is transferred to counts the call for fewest_contacts") {
  Engine e;
  configure(e, kFewestContacts);
  connect(e, "c1", "sam", 2000);  // only sam is logged in
  REQUIRE(e.agent_login("bea", 2500).ok());
  REQUIRE(e.consult("c1", Engine::Party{"bea", ""}, 3000).ok());
  REQUIRE(e.leg_answered("c1", "bea", 4000).ok());
  REQUIRE(e.transfer_complete("c1", 6000).ok());
  CHECK(contacts_today(e, "bea") == 1);
  CHECK(answered(e, "bea") == 1);
  CHECK(contacts_today(e, "sam") == 1);  // sam's own answer, not the transfer
  REQUIRE(e.agent_hung_up("c1", 9000).ok());
  drain(e);

  // One call each: the tie goes to sam, idle since the transfer; had bea's
  // call not counted, fewest_contacts would ring her.
  arrives(e, "c2", 10'000);
  CHECK(ring_for(e, "sam") != 0);
  CHECK(ring_for(e, "bea") == 0);
}

TEST_CASE("a supervisor who takes a call over counts it as answered") {
  Engine e;
  configure(e, kFewestContacts);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.supervise("c1", "sue", "take_over", "", 3000).ok());
  CHECK(contacts_today(e, "sue") == 0);  // not until the supervisor's leg answers
  REQUIRE(e.leg_answered("c1", "sue", 4000).ok());
  CHECK(contacts_today(e, "sue") == 1);
  CHECK(answered(e, "sue") == 1);
  CHECK(contacts_today(e, "sam") == 1);
}
