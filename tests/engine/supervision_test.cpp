// Supervisors: monitor, whisper, barge and take-over with the exact mixes
// the host receives; force release, not ready and logout; the role check
// and the audit notifications (docs/call-control.md).
#include "call_control_fixture.hpp"
#include "hotline/engine/event.hpp"

using namespace call_control_test;
using V = Lines;

TEST_CASE("a supervisor is dialled, then monitors, whispers and barges with a new mix each time") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);

  REQUIRE(e.supervise("c1", "sue", "monitor", "", 3000).ok());
  CHECK(sent(e) == V{"dial c1 leg=sue agent=sue"});
  auto audit = told(e, Notification::Kind::kSupervision);
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].actor == "sue");
  CHECK(audit[0].text == "monitor");
  CHECK(audit[0].call_id == "c1");
  CHECK(audit[0].agent_id == "sam");
  drain(e);

  REQUIRE(e.leg_answered("c1", "sue", 4000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"c1":["sam"],"sam":["c1"],"sue":["c1","sam"]}})"});
  drain(e);

  REQUIRE(e.supervise("c1", "sue", "whisper", "", 5000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"c1":["sam"],"sam":["c1","sue"],"sue":["c1","sam"]}})"});
  CHECK(told(e, Notification::Kind::kSupervision).at(0).text == "whisper");
  drain(e);

  REQUIRE(e.supervise("c1", "sue", "barge", "", 6000).ok());
  CHECK(sent(e) ==
        V{R"(mix c1 {"legs":{"c1":["sam","sue"],"sam":["c1","sue"],"sue":["c1","sam"]}})"});
  drain(e);

  // The supervisor hangs up: the mix goes back to the two of them.
  REQUIRE(e.leg_ended("c1", "sue", 7000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"c1":["sam"],"sam":["c1"]}})"});
}

TEST_CASE("a supervisor who called in on a leg of their own is mixed at once") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.supervise("c1", "sue", "whisper", "sip-sue", 3000).ok());
  CHECK(sent(e) ==
        V{R"(mix c1 {"legs":{"c1":["sam"],"sam":["c1","sip-sue"],"sip-sue":["c1","sam"]}})"});
}

TEST_CASE("supervision is refused without the role, a known mode or a call with an agent") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  CallInfo waiting;
  waiting.call_id = "c2";
  waiting.queue_id = "support";
  REQUIRE(e.call_arrived(waiting, 2500).ok());
  drain(e);

  auto st = e.supervise("c1", "ann", "monitor", "", 3000);
  CHECK(st.error().code == Errc::kPermission);
  CHECK(st.error().message == "agent 'ann' is not a supervisor (role agent)");
  CHECK(e.supervise("c1", "zed", "monitor", "", 3000).error().code == Errc::kNotFound);
  st = e.supervise("c1", "sue", "listen", "", 3000);
  CHECK(st.error().code == Errc::kInvalidArgument);
  CHECK(st.error().message ==
        "unknown supervision mode 'listen' (expected one of: monitor, whisper, barge, take_over)");
  st = e.supervise("c2", "sue", "whisper", "", 3000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c2' is not with an agent: supervision needs a call with an agent");
  CHECK(e.supervise("c9", "sue", "monitor", "", 3000).error().code == Errc::kNotFound);
  CHECK(e.force_release("c1", "ann", 3000).error().code == Errc::kPermission);
  CHECK(e.force_not_ready("sam", "ann", "", 3000).error().code == Errc::kPermission);
  CHECK(e.force_logout("sam", "ann", 3000).error().code == Errc::kPermission);
  check_nothing_sent(e);
  CHECK(state_of(e, "sam") == routing::AgentState::kBusy);
}

TEST_CASE("a take-over drops the agent to wrap-up and leaves the supervisor with the caller") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.supervise("c1", "sue", "monitor", "", 3000).ok());
  REQUIRE(e.leg_answered("c1", "sue", 4000).ok());
  drain(e);

  REQUIRE(e.supervise("c1", "sue", "take_over", "", 5000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=sam", R"(mix c1 {"legs":{"c1":["sue"],"sue":["c1"]}})"});
  CHECK(told(e, Notification::Kind::kSupervision).at(0).text == "take_over");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  drain(e);

  // The supervisor owns the conversation now: hold works, and hanging up ends it.
  REQUIRE(e.hold("c1", 6000).ok());
  CHECK(told(e, Notification::Kind::kConversation).at(0).agent_id == "sue");
  REQUIRE(e.resume("c1", 7000).ok());
  drain(e);
  REQUIRE(e.agent_hung_up("c1", 8000).ok());
  CHECK(sent(e) == V{"hangup c1"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "ended");
}

TEST_CASE("a take-over requested before the supervisor answers happens on the answer") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.supervise("c1", "sue", "take_over", "", 3000).ok());
  CHECK(sent(e) == V{"dial c1 leg=sue agent=sue"});
  CHECK(state_of(e, "sam") == routing::AgentState::kBusy);
  REQUIRE(e.leg_answered("c1", "sue", 4000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=sam", R"(mix c1 {"legs":{"c1":["sue"],"sue":["c1"]}})"});
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
}

TEST_CASE("force release hangs the call up, drops every leg and sends the agent to wrap-up") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.supervise("c1", "sue", "monitor", "", 3000).ok());
  REQUIRE(e.leg_answered("c1", "sue", 4000).ok());
  drain(e);
  REQUIRE(e.force_release("c1", "sue", 5000).ok());
  CHECK(sent(e) == V{"hangup c1", "hangup_leg c1 leg=sue"});
  auto audit = told(e, Notification::Kind::kSupervision);
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].text == "force_release");
  CHECK(audit[0].agent_id == "sam");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  drain(e);
  auto st = e.force_release("c1", "sue", 6000);
  CHECK(st.error().code == Errc::kIllegalState);
  check_nothing_sent(e);
}

TEST_CASE("force not ready is immediate for an idle agent and waits for a busy one's call") {
  Engine e;
  configure(e);
  REQUIRE(e.agent_login("bea", 0).ok());
  drain(e);
  REQUIRE(e.force_not_ready("bea", "sue", "meeting", 1000).ok());
  CHECK(state_of(e, "bea") == routing::AgentState::kNotReady);
  auto audit = told(e, Notification::Kind::kSupervision);
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].actor == "sue");
  CHECK(audit[0].text == "force_not_ready");
  CHECK(audit[0].agent_id == "bea");

  connect(e, "c1", "sam", 3000);
  REQUIRE(e.force_not_ready("sam", "sue", "coaching", 4000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kBusy);  // not yet
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  REQUIRE(e.wrap_up_done("c1", 6000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kNotReady);
  CHECK(e.router().agent_snapshot("sam")->not_ready_reason == "coaching");
  CHECK(e.force_not_ready("tom", "sue", "", 7000).error().code == Errc::kIllegalState);
}

TEST_CASE("an agent's own ready cancels a pending forced not ready") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 3000);
  REQUIRE(e.force_not_ready("sam", "sue", "coaching", 4000).ok());
  REQUIRE(e.agent_ready("sam", 4500).ok());
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  REQUIRE(e.wrap_up_done("c1", 6000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kAvailable);
}

TEST_CASE("force logout is immediate when idle, after the call when busy, and wins over ready") {
  Engine e;
  configure(e);
  REQUIRE(e.agent_login("bea", 0).ok());
  REQUIRE(e.force_logout("bea", "sue", 1000).ok());
  CHECK(state_of(e, "bea") == routing::AgentState::kLoggedOut);
  CHECK(e.force_logout("bea", "sue", 1500).error().code == Errc::kIllegalState);

  connect(e, "c1", "sam", 3000);
  REQUIRE(e.force_logout("sam", "sue", 4000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kBusy);
  CHECK(told(e, Notification::Kind::kSupervision).at(0).text == "force_logout");
  drain(e);
  auto st = e.agent_ready("sam", 4500);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "agent 'sam' is to be logged out by supervisor 'sue' when the current contact ends");
  // A caller waiting meanwhile is not offered to sam after the wrap-up.
  CallInfo waiting;
  waiting.call_id = "c2";
  waiting.queue_id = "sales";
  REQUIRE(e.call_arrived(waiting, 4600).ok());
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  REQUIRE(e.wrap_up_done("c1", 6000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kLoggedOut);
  CHECK(ring_for(e, "sam") == 0);
}

TEST_CASE("a take-over is refused during a consultation and a held call is resumed by it") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("bea", 2100).ok());
  REQUIRE(e.consult("c1", Engine::Party{"bea", ""}, 2500).ok());
  drain(e);
  auto st = e.supervise("c1", "sue", "take_over", "sue-desk", 3000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c1' is consulting: a take-over needs a connected or held call (end the "
        "consultation or conference first)");
  check_nothing_sent(e);
  REQUIRE(e.consult_cancel("c1", 3500).ok());  // back to held
  drain(e);
  REQUIRE(e.supervise("c1", "sue", "take_over", "sue-desk", 4000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=sam", "resume c1",
                     R"(mix c1 {"legs":{"c1":["sue-desk"],"sue-desk":["c1"]}})"});
  auto conv = told(e, Notification::Kind::kConversation);
  REQUIRE(conv.size() == 1);
  CHECK(conv[0].text == "connected");
  CHECK(conv[0].agent_id == "sue");
}

TEST_CASE("force release of a caller still waiting in the queue hangs up and abandons the wait") {
  Engine e;
  configure(e);
  CallInfo waiting;
  waiting.call_id = "c1";
  waiting.queue_id = "support";
  REQUIRE(e.call_arrived(waiting, 1000).ok());
  drain(e);
  REQUIRE(e.force_release("c1", "sue", 2000).ok());
  CHECK(sent(e) == V{"hangup c1"});
  auto audit = told(e, Notification::Kind::kSupervision);
  REQUIRE(audit.size() == 1);
  CHECK(audit[0].agent_id.empty());
  CHECK(e.live_calls() == 0);
  CHECK(e.router().queue_snapshot("support", 2000)->waiting == 0);
}

TEST_CASE("supervise arrives as a JSON event through the event table") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  auto event = event_from_json(nlohmann::json::parse(
      R"({"event": "supervise", "call_id": "c1", "supervisor": "sue", "mode": "barge",
          "leg": "sue-desk"})"));
  REQUIRE(event.ok());
  REQUIRE(apply_event(e, *event, 3000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"c1":["sam","sue-desk"],"sam":["c1","sue-desk"],)"
                     R"("sue-desk":["c1","sam"]}})"});
}

TEST_CASE("a supervisor's leg named by a phone number names the supervisor, after the supervision") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  // Sue called in from her mobile: the host names the leg by that number.
  REQUIRE(e.supervise("c1", "sue", "monitor", "+4915100000", 3000).ok());
  int supervision_at = -1;
  int leg_at = -1;
  const std::vector<Notification>& notes = e.notifications();
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (notes[i].kind == Notification::Kind::kSupervision) supervision_at = static_cast<int>(i);
    if (notes[i].kind == Notification::Kind::kLeg) {
      leg_at = static_cast<int>(i);
      CHECK(notes[i].text == "+4915100000");
      CHECK(notes[i].actor == "sue");
      CHECK(notes[i].value == 1);
    }
  }
  REQUIRE(supervision_at >= 0);
  REQUIRE(leg_at >= 0);
  CHECK(supervision_at < leg_at);
  drain(e);
  // Her leg leaving names her too.
  REQUIRE(e.leg_ended("c1", "+4915100000", 4000).ok());
  auto left = told(e, Notification::Kind::kLeg);
  REQUIRE(left.size() == 1);
  CHECK(left[0].actor == "sue");
  CHECK(left[0].value == 0);
}

TEST_CASE("a dialled party's leg names the agent on it, and a number's names nobody") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("bea", 2500).ok());
  REQUIRE(e.conference_add("c1", Engine::Party{"bea", ""}, 3000).ok());
  REQUIRE(e.leg_answered("c1", "bea", 3500).ok());
  CHECK(told(e, Notification::Kind::kLeg).at(0).actor == "bea");
  drain(e);
  REQUIRE(e.conference_add("c1", Engine::Party{"", "+100"}, 4000).ok());
  REQUIRE(e.leg_answered("c1", "c1:1", 4500).ok());
  CHECK(told(e, Notification::Kind::kLeg).at(0).actor.empty());
}
