// Consultation of a queue (docs/call-control.md): the consultation waits in
// the queue, rings its agents as dial legs, and the agent who answers is the
// consulted party; nobody, a long wait or a cancel send the call back to
// held; the queue's KPIs never count it as offered.
#include "call_control_fixture.hpp"

#include "hotline/engine/kpi_feed.hpp"

using namespace call_control_test;
using V = Lines;

namespace {

Engine::Party queue(const char* id) { return Engine::Party{"", "", id}; }

// c1 with sam in sales; tom (support) logged in and free.
void with_tom(Engine& e) {
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2500).ok());
  drain(e);
}

}  // namespace

TEST_CASE("a queue consultation rings the queue's agent and a transfer hands the caller over") {
  Engine e;
  with_tom(e);
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  CHECK(sent(e) == V{"hold c1 audio/hold.wav tts:Please hold", "dial c1 leg=tom agent=tom"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "consulting");
  CHECK(state_of(e, "tom") == routing::AgentState::kReserved);
  drain(e);

  REQUIRE(e.leg_answered("c1", "tom", 4000).ok());
  CHECK(sent(e) == V{R"(mix c1 {"legs":{"c1":[],"sam":["tom"],"tom":["sam"]}})"});
  auto legs = told(e, Notification::Kind::kLeg);
  REQUIRE(legs.size() == 1);
  CHECK(legs[0].text == "tom");
  CHECK(legs[0].value == 1);
  CHECK(state_of(e, "tom") == routing::AgentState::kBusy);
  drain(e);

  REQUIRE(e.transfer_complete("c1", 6000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=sam", "resume c1",
                     R"(mix c1 {"legs":{"c1":["tom"],"tom":["c1"]}})"});
  auto moved = told(e, Notification::Kind::kTransferred);
  REQUIRE(moved.size() == 1);
  CHECK(moved[0].agent_id == "sam");
  CHECK(moved[0].text == "tom");
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  drain(e);

  // Tom owns the call from his answer: his hang-up ends it (support has no
  // wrap-up), and it counts once among his contacts.
  REQUIRE(e.agent_hung_up("c1", 9000).ok());
  CHECK(state_of(e, "tom") == routing::AgentState::kAvailable);
  CHECK(e.router().agent_snapshot("tom")->talk_ms_today == 5000);
  CHECK(e.router().agent_snapshot("tom")->contacts_today == 1);
}

TEST_CASE("a queue consultation can be cancelled after the answer and conferenced") {
  Engine e;
  with_tom(e);
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  REQUIRE(e.leg_answered("c1", "tom", 4000).ok());
  drain(e);
  REQUIRE(e.conference("c1", 5000).ok());
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "conference");
  drain(e);
  REQUIRE(e.conference_drop("c1", "tom", 6000).ok());
  CHECK(state_of(e, "tom") == routing::AgentState::kAvailable);
}

TEST_CASE("a queue with nobody but the consulting agent fails the consultation back to held") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  // Sales has sam (busy with c1) and bea, logged out; support has tom, logged out.
  for (const char* q : {"sales", "support"}) {
    REQUIRE(e.consult("c1", queue(q), 3000).ok());
    CHECK(e.commands().size() <= 1);  // a hold the first time, nothing dialled
    for (const Command& c : e.commands()) CHECK(c.kind == Command::Kind::kHold);
    auto failed = told(e, Notification::Kind::kConsultFailed);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].queue_id == q);
    CHECK(failed[0].agent_id == "sam");
    CHECK(failed[0].text == "no_agents");
    auto conv = told(e, Notification::Kind::kConversation);
    REQUIRE(conv.size() == 2);
    CHECK(conv[0].text == "consulting");
    CHECK(conv[1].text == "held");
    CHECK(e.router().queue_load(q)->waiting == 0);
    drain(e);
  }
  // Held: the agent can take the caller back.
  REQUIRE(e.resume("c1", 4000).ok());
}

TEST_CASE("a queue consultation that waits too long fails back to held and rings no one") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2100).ok());
  REQUIRE(e.agent_not_ready("tom", "lunch", 2200).ok());
  drain(e);
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  CHECK(sent(e) == V{"hold c1 audio/hold.wav tts:Please hold"});
  CHECK(e.router().queue_load("support")->waiting == 1);
  drain(e);
  // Support sets no max wait: the consultation waits 60 s.
  e.advance(62'999);
  check_nothing_sent(e);
  e.advance(63'000);
  auto failed = told(e, Notification::Kind::kConsultFailed);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].text == "timeout");
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "held");
  CHECK(e.router().queue_load("support")->waiting == 0);
  drain(e);
  REQUIRE(e.agent_ready("tom", 64'000).ok());
  CHECK(sent(e).empty());
}

TEST_CASE("a queue's own max wait bounds the consultation") {
  Engine e;
  configure(e, R"({
    "queues": [{"id": "sales"}, {"id": "support", "max_wait_seconds": 10}],
    "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "tom", "queues": ["support"]}]})");
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2100).ok());
  REQUIRE(e.agent_not_ready("tom", "lunch", 2200).ok());
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  drain(e);
  e.advance(13'000);
  auto failed = told(e, Notification::Kind::kConsultFailed);
  REQUIRE(failed.size() == 1);
  CHECK((failed[0].text == "overflow" || failed[0].text == "timeout"));
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "held");
  // The caller's own flow heard nothing of the consultation's overflow.
  CHECK(told(e, Notification::Kind::kIvrNode).empty());
}

TEST_CASE("cancelling a waiting queue consultation takes it out of the queue") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2100).ok());
  REQUIRE(e.agent_not_ready("tom", "lunch", 2200).ok());
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  drain(e);
  REQUIRE(e.consult_cancel("c1", 4000).ok());
  CHECK(sent(e).empty());
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "held");
  CHECK(told(e, Notification::Kind::kConsultFailed).empty());
  CHECK(e.router().queue_load("support")->waiting == 0);
  drain(e);
  // Tom becomes ready: nobody is rung.
  REQUIRE(e.agent_ready("tom", 5000).ok());
  CHECK(sent(e).empty());
  // Nor does the bound fire later.
  e.advance(120'000);
  CHECK(told(e, Notification::Kind::kConsultFailed).empty());
}

TEST_CASE("cancelling a ringing queue consultation hangs up the ring and frees the agent") {
  Engine e;
  with_tom(e);
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  drain(e);
  REQUIRE(e.consult_cancel("c1", 4000).ok());
  CHECK(sent(e) == V{"hangup_leg c1 leg=tom"});
  CHECK(state_of(e, "tom") == routing::AgentState::kAvailable);
  CHECK(e.leg_answered("c1", "tom", 4500).error().code == Errc::kNotFound);
}

TEST_CASE("a ring the host reports failed goes to the queue's next agent") {
  Engine e;
  configure(e, R"({
    "queues": [{"id": "sales"}, {"id": "support", "strategy": "linear", "max_no_answer": 1,
                "members": [{"agent": "tom", "position": 1}, {"agent": "una", "position": 2}]}],
    "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "tom"}, {"id": "una"}]})");
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2100).ok());
  REQUIRE(e.agent_login("una", 2200).ok());
  drain(e);
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  CHECK(sent(e) == V{"hold c1", "dial c1 leg=tom agent=tom"});
  drain(e);
  // Tom's phone did not answer: one miss sets him not ready here.
  REQUIRE(e.leg_ended("c1", "tom", 4000).ok());
  const Lines after = sent(e);
  REQUIRE(after.size() == 1);
  CHECK(after[0] == "dial c1 leg=una agent=una");
  CHECK(told(e, Notification::Kind::kConversation).empty());  // still consulting
  drain(e);
  REQUIRE(e.leg_answered("c1", "una", 5000).ok());
  REQUIRE(e.transfer_complete("c1", 6000).ok());
  CHECK(told(e, Notification::Kind::kTransferred).at(0).text == "una");
}

TEST_CASE("a queue consultation is refused for an unknown queue, two parties, or twice") {
  Engine e;
  with_tom(e);
  auto st = e.consult("c1", queue("nowhere"), 3000);
  CHECK(st.error().code == Errc::kNotFound);
  CHECK(st.error().message == "unknown queue 'nowhere'");
  st = e.consult("c1", Engine::Party{"bea", "", "support"}, 3000);
  CHECK(st.error().code == Errc::kInvalidArgument);
  CHECK(st.error().message ==
        "a consultation reaches exactly one of agent_id (an agent), queue_id (a queue) or "
        "target (a number)");
  // A queue is not a conference party nor a blind transfer's target.
  CHECK(e.conference_add("c1", queue("support"), 3000).error().code == Errc::kInvalidArgument);
  CHECK(e.blind_transfer("c1", queue("support"), 3000).error().code == Errc::kInvalidArgument);
  check_nothing_sent(e);

  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  drain(e);
  st = e.consult("c1", queue("support"), 3100);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c1' is consulting: a consultation starts from a connected or held call");
  st = e.transfer_complete("c1", 3100);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c1' is consulting: the consultation still waits in queue 'support' for an agent");
  CHECK(e.conference("c1", 3100).error().code == Errc::kIllegalState);
  check_nothing_sent(e);
}

TEST_CASE("the caller hanging up during a queue consultation ends its rings and its wait") {
  Engine e;
  with_tom(e);
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  drain(e);
  REQUIRE(e.call_hung_up("c1", 4000).ok());
  const Lines out = sent(e);
  CHECK(std::count(out.begin(), out.end(), "hangup_leg c1 leg=tom") == 1);
  CHECK(state_of(e, "tom") == routing::AgentState::kAvailable);
  CHECK(e.router().queue_load("support")->waiting == 0);
  e.advance(120'000);
  CHECK(told(e, Notification::Kind::kConsultFailed).empty());
}

TEST_CASE("a queue consultation is not an offered contact of the queue in the KPIs") {
  Engine e;
  metrics::KpiCollector kpi;
  KpiFeed feed{kpi, e.router()};
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_login("tom", 2500).ok());
  REQUIRE(e.consult("c1", queue("support"), 3000).ok());
  REQUIRE(e.leg_answered("c1", "tom", 5000).ok());
  REQUIRE(e.transfer_complete("c1", 6000).ok());
  REQUIRE(e.agent_hung_up("c1", 16'000).ok());
  for (const Notification& n : e.notifications()) {
    feed.on(n);
    // No routing fact of the consultation's contact reaches listeners
    // before it became the call's.
    if (n.kind == Notification::Kind::kRouting && n.queue_id == "support") {
      CHECK(n.routing != routing::Output::Kind::kContactQueued);
      CHECK(n.routing != routing::Output::Kind::kOffer);
      CHECK(n.routing != routing::Output::Kind::kOfferAccepted);
    }
  }
  const metrics::QueueCounts support = kpi.queue_total("support");
  CHECK(support.offered == 0);
  CHECK(support.answered == 0);
  // Tom's talk after the transfer is handled time of the queue he answered for.
  CHECK(support.talk_ms == 11'000);
  CHECK(kpi.queue_total("sales").consultations == 1);
}
