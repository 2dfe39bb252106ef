// Consultation, attended and blind transfers, conference, mute: the exact
// commands the host receives and the state of the agents in the router
// (docs/call-control.md).
#include "call_control_fixture.hpp"

using namespace call_control_test;
using V = Lines;

namespace {

Engine::Party agent(const char* id) { return Engine::Party{id, ""}; }
Engine::Party number(const char* n) { return Engine::Party{"", n}; }

// c1 with sam, bea logged in and free.
void two_agents(Engine& e) {
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("bea", 2500).ok());
  drain(e);
}

}  // namespace

TEST_CASE("a consultation holds the caller, reserves the agent, and a transfer hands them over") {
  Engine e;
  two_agents(e);
  REQUIRE(e.consult("c1", agent("bea"), 3000).ok());
  CHECK(sent(e) == V{"hold c1 audio/hold.wav tts:Please hold", "dial c1 leg=bea agent=bea"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "consulting");
  CHECK(state_of(e, "bea") == routing::AgentState::kBusy);
  drain(e);

  REQUIRE(e.leg_answered("c1", "bea", 4000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"bea":["sam"],"c1":[],"sam":["bea"]}})"});
  drain(e);

  REQUIRE(e.transfer_complete("c1", 6000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=sam", "resume c1",
                     R"(mix c1 {"legs":{"bea":["c1"],"c1":["bea"]}})"});
  auto moved = told(e, Notification::Kind::kTransferred);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].agent_id == "sam");
  CHECK(moved[0].queue_id == "sales");
  CHECK(moved[0].text == "bea");
  auto conv = told(e, Notification::Kind::kConversation);
  REQUIRE(conv.size() == 1);
  CHECK(conv[0].text == "connected");
  CHECK(conv[0].agent_id == "bea");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  CHECK(state_of(e, "bea") == routing::AgentState::kBusy);
  drain(e);

  // Bea owns the call: her hang-up sends her to wrap-up.
  REQUIRE(e.agent_hung_up("c1", 9000).ok());
  CHECK(state_of(e, "bea") == routing::AgentState::kWrapUp);
  CHECK(e.router().agent_snapshot("bea")->talk_ms_today == 6000);
}

TEST_CASE("a consulted agent is offered nothing else until the consultation ends") {
  Engine e;
  two_agents(e);
  REQUIRE(e.consult("c1", agent("bea"), 3000).ok());
  CallInfo other;
  other.call_id = "c2";
  other.queue_id = "sales";
  REQUIRE(e.call_arrived(other, 3500).ok());
  CHECK(ring_for(e, "bea") == 0);
  drain(e);
  REQUIRE(e.leg_answered("c1", "bea", 4000).ok());
  drain(e);
  REQUIRE(e.consult_cancel("c1", 5000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=bea", R"(mix c1 {"legs":{"c1":[],"sam":[]}})",
                     "ring_agent c2 agent=bea"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "held");
  drain(e);
  // Back with the caller: the resume restores the conversation's mix.
  REQUIRE(e.resume("c1", 6000).ok());
  CHECK(sent(e) == V{"resume c1", R"(mix c1 {"legs":{"c1":["sam"],"sam":["c1"]}})"});
}

TEST_CASE("a consultation is refused with a busy agent, both or no party, and in the wrong state") {
  Engine e;
  two_agents(e);
  connect(e, "c2", "bea", 2800);
  auto st = e.consult("c1", agent("bea"), 3000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "agent 'bea' is busy: not free for a voice contact");
  CHECK(e.consult("c1", Engine::Party{"bea", "+100"}, 3000).error().code ==
        Errc::kInvalidArgument);
  CHECK(e.consult("c1", Engine::Party{}, 3000).error().code == Errc::kInvalidArgument);
  CHECK(e.consult("c1", agent("zed"), 3000).error().code == Errc::kNotFound);
  st = e.transfer_complete("c1", 3000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c1' is connected: only a consultation can be completed as a transfer");
  CHECK(e.consult_cancel("c1", 3000).error().code == Errc::kIllegalState);
  check_nothing_sent(e);

  REQUIRE(e.consult("c1", number("+4930999"), 3000).ok());
  CHECK(sent(e) == V{"hold c1 audio/hold.wav tts:Please hold", "dial c1 leg=c1:1 target=+4930999"});
  drain(e);
  st = e.transfer_complete("c1", 3500);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c1' is consulting: the consulted party 'c1:1' has not answered");
  CHECK(e.conference("c1", 3500).error().code == Errc::kIllegalState);
  CHECK(e.consult("c1", number("+1"), 3500).error().code == Errc::kIllegalState);
  CHECK(e.hold("c1", 3500).error().code == Errc::kIllegalState);
  check_nothing_sent(e);
}

TEST_CASE("a consultation that loses its party goes back to held") {
  Engine e;
  two_agents(e);
  REQUIRE(e.hold("c1", 2800).ok());
  REQUIRE(e.consult("c1", agent("bea"), 3000).ok());
  CHECK(sent(e) == V{"hold c1 audio/hold.wav tts:Please hold", "dial c1 leg=bea agent=bea"});
  drain(e);
  REQUIRE(e.leg_ended("c1", "bea", 4000).ok());  // bea did not answer
  CHECK(sent(e).empty());
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "held");
  CHECK(state_of(e, "bea") == routing::AgentState::kAvailable);
  CHECK(e.leg_ended("c1", "bea", 4000).error().code == Errc::kNotFound);
  CHECK(e.leg_ended("c1", "c1", 4000).error().code == Errc::kInvalidArgument);
  CHECK(e.leg_answered("c1", "bea", 4000).error().code == Errc::kNotFound);
}

TEST_CASE("a transfer to a consulted number keeps the call up with no agent") {
  Engine e;
  two_agents(e);
  REQUIRE(e.consult("c1", number("+4930999"), 3000).ok());
  REQUIRE(e.leg_answered("c1", "c1:1", 4000).ok());
  CHECK(sent(e).back() == R"(mix c1 {"legs":{"c1":[],"c1:1":["sam"],"sam":["c1:1"]}})");
  drain(e);
  REQUIRE(e.transfer_complete("c1", 5000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=sam", "resume c1",
                     R"(mix c1 {"legs":{"c1":["c1:1"],"c1:1":["c1"]}})"});
  CHECK(told(e, Notification::Kind::kTransferred).at(0).text == "+4930999");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  drain(e);
  CHECK(e.hold("c1", 5500).error().code == Errc::kIllegalState);  // no agent to hold for
  REQUIRE(e.wrap_up_done("c1", 6000).ok());
  CHECK(e.live_calls() == 1);
  REQUIRE(e.call_hung_up("c1", 9000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=c1:1"});
  CHECK(e.live_calls() == 0);
}

TEST_CASE("a conference mixes everyone; mute, add and drop change the mix") {
  Engine e;
  two_agents(e);
  REQUIRE(e.conference("c1", 2800).error().code == Errc::kIllegalState);
  REQUIRE(e.hold("c1", 2900).ok());
  auto st = e.conference("c1", 2950);
  CHECK(st.error().message ==
        "call 'c1' is held: resume it or consult a party before a conference");
  REQUIRE(e.consult("c1", agent("bea"), 3000).ok());
  REQUIRE(e.leg_answered("c1", "bea", 4000).ok());
  drain(e);

  REQUIRE(e.conference("c1", 5000).ok());
  CHECK(sent(e) == V{"resume c1", R"(mix c1 {"legs":{"bea":["c1","sam"],"c1":["sam","bea"],)"
                                   R"("sam":["c1","bea"]}})"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "conference");
  drain(e);

  REQUIRE(e.mute("c1", "c1", true, 6000).ok());
  CHECK(sent(e) ==
        V{R"(mix c1 {"legs":{"bea":["sam"],"c1":["sam","bea"],"sam":["bea"]}})"});
  REQUIRE(e.mute("c1", "c1", false, 6500).ok());
  drain(e);
  CHECK(e.mute("c1", "nobody", true, 6500).error().code == Errc::kNotFound);

  REQUIRE(e.conference_add("c1", number("+4930777"), 7000).ok());
  CHECK(sent(e) == V{"dial c1 leg=c1:1 target=+4930777"});
  REQUIRE(e.leg_answered("c1", "c1:1", 8000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"bea":["c1","sam","c1:1"],"c1":["sam","bea","c1:1"],)"
                     R"("c1:1":["c1","sam","bea"],"sam":["c1","bea","c1:1"]}})"});
  drain(e);

  REQUIRE(e.conference_drop("c1", "bea", 9000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=bea",
                     R"(mix c1 {"legs":{"c1":["sam","c1:1"],"c1:1":["c1","sam"],)"
                     R"("sam":["c1","c1:1"]}})"});
  CHECK(state_of(e, "bea") == routing::AgentState::kAvailable);
  drain(e);
  REQUIRE(e.conference_drop("c1", "c1:1", 10'000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=c1:1", R"(mix c1 {"legs":{"c1":["sam"],"sam":["c1"]}})"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "connected");
  drain(e);
  st = e.conference_drop("c1", "c1:1", 11'000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "call 'c1' is connected: there is no conference");
  check_nothing_sent(e);
}

TEST_CASE("a party added to a connected call makes a conference when it answers") {
  Engine e;
  two_agents(e);
  REQUIRE(e.conference_add("c1", agent("bea"), 3000).ok());
  CHECK(sent(e) == V{"dial c1 leg=bea agent=bea"});
  REQUIRE(e.leg_answered("c1", "bea", 4000).ok());
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "conference");
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"bea":["c1","sam"],"c1":["sam","bea"],)"
                     R"("sam":["c1","bea"]}})"});
  // The caller hangs up: every other leg is dropped and bea is free again.
  drain(e);
  REQUIRE(e.call_hung_up("c1", 5000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=bea"});
  CHECK(state_of(e, "bea") == routing::AgentState::kAvailable);
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
}

TEST_CASE("a blind transfer to an agent offers the caller to that agent alone") {
  Engine e;
  configure(e);
  REQUIRE(e.agent_login("bea", 0).ok());
  REQUIRE(e.agent_not_ready("bea", "", 0).ok());
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2100).ok());
  REQUIRE(e.agent_ready("bea", 2200).ok());  // free, in sales, but not the one asked for
  drain(e);
  REQUIRE(e.blind_transfer("c1", agent("tom"), 3000).ok());
  CHECK(sent(e) == V{"ring_agent c1 agent=tom"});
  auto moved = told(e, Notification::Kind::kTransferred);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].text == "tom");
  CHECK(moved[0].agent_id == "sam");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  CHECK(state_of(e, "bea") == routing::AgentState::kAvailable);
  drain(e);
  CHECK(e.blind_transfer("c1", agent("tom"), 3500).error().code == Errc::kIllegalState);
  CHECK(e.blind_transfer("c9", agent("tom"), 3500).error().code == Errc::kNotFound);
}

TEST_CASE("a blind transfer to an agent serving no queue is refused and the call stays") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  auto st = e.blind_transfer("c1", agent("ann"), 3000);
  CHECK(st.error().code == Errc::kNotFound);
  CHECK(st.error().message == "agent 'ann' serves no queue to transfer call 'c1' to");
  check_nothing_sent(e);
  CHECK(state_of(e, "sam") == routing::AgentState::kBusy);
}

TEST_CASE("a blind transfer to a number hands the call to the host and the agent wraps up") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.blind_transfer("c1", number("+4930555"), 3000).ok());
  // The caller goes to the number; the agent's leg is dropped.
  CHECK(sent(e) == V{"transfer c1 target=+4930555", "hangup_leg c1 leg=sam"});
  CHECK(told(e, Notification::Kind::kTransferred).at(0).text == "+4930555");
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "ended");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
}
