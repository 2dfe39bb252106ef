// A call keeps its conversation and its survey out of line, created when
// they begin and gone when they end: a call waiting in a queue carries
// neither. These follow one call through two conversations and a survey,
// and a waiting call's attributes, laid out afresh when it arrives.
#include "call_control_fixture.hpp"

using namespace call_control_test;
using nlohmann::json;

TEST_CASE("a conversation begins on the answer and is gone once the agent hangs up") {
  Engine e;
  configure(e);
  REQUIRE(e.agent_login("sam", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "sales";
  REQUIRE(e.call_arrived(call, 1000).ok());
  // Ringing: no conversation to hold yet.
  CHECK(e.hold("c1", 1500).error().code == Errc::kIllegalState);
  REQUIRE(e.agent_answered(ring_for(e, "sam"), 2000).ok());
  drain(e);
  REQUIRE(e.hold("c1", 3000).ok());
  REQUIRE(e.agent_hung_up("c1", 4000).ok());
  // The agent wraps up; the call has no conversation any more.
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  CHECK(e.resume("c1", 4500).error().code == Errc::kIllegalState);
  CHECK(e.wrap_up_code("c1", "sold", 4600).ok());
  const auto codes = told(e, Notification::Kind::kWrapUpCode);
  REQUIRE(codes.size() == 1);
  CHECK(codes[0].text == "sold");
  REQUIRE(e.call_hung_up("c1", 5000).ok());
  REQUIRE(e.wrap_up_done("c1", 6000).ok());
  CHECK(e.live_calls() == 0);
}

TEST_CASE("a transferred call's next agent starts a conversation of its own") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.hold("c1", 3000).ok());
  REQUIRE(e.resume("c1", 3500).ok());
  REQUIRE(e.transfer_to_queue("c1", "support", 4000).ok());
  CHECK(e.hold("c1", 4500).error().code == Errc::kIllegalState);  // waiting again
  REQUIRE(e.agent_login("tom", 5000).ok());
  REQUIRE(e.agent_answered(ring_for(e, "tom"), 6000).ok());
  drain(e);
  // Connected afresh: held once more, and the hold is tom's.
  CHECK(e.resume("c1", 6500).error().code == Errc::kIllegalState);
  REQUIRE(e.hold("c1", 7000).ok());
  bool held = false;
  for (const Notification& n : told(e, Notification::Kind::kConversation)) {
    if (n.text == "held") {
      held = true;
      CHECK(n.agent_id == "tom");
      CHECK(n.queue_id == "support");
    }
  }
  CHECK(held);
}

TEST_CASE("a survey is held from the agent's hang-up until its score is told") {
  Engine e;
  configure(e, R"({
    "flows": [{"id": "survey", "start": "ask", "nodes": {
      "ask": {"type": "collect", "prompts": ["tts:Rate us"], "max_digits": 1,
              "variable": "score", "next": "bye", "fail": "bye"},
      "bye": {"type": "hangup"}}}],
    "queues": [{"id": "sales", "survey_flow": "survey", "wrap_up_seconds": 10}],
    "agents": [{"id": "sam", "queues": ["sales"]}]})");
  for (const char* id : {"c1", "c2"}) {
    connect(e, id, "sam", 2000);
    REQUIRE(e.agent_hung_up(id, 3000).ok());
    REQUIRE(e.prompt_done(id, 3500).ok());
    REQUIRE(e.digit(id, id[1] == '1' ? '5' : '2', 4000).ok());
    const auto scores = told(e, Notification::Kind::kSurvey);
    REQUIRE(scores.size() == 1);
    CHECK(scores[0].call_id == id);
    CHECK(scores[0].value == (id[1] == '1' ? 5 : 2));
    drain(e);
    REQUIRE(e.call_hung_up(id, 4100).ok());
    CHECK(told(e, Notification::Kind::kSurvey).empty());  // told once
    REQUIRE(e.wrap_up_done(id, 4200).ok());
    drain(e);
  }
  CHECK(e.live_calls() == 0);
}

TEST_CASE("a call waiting without a flow keeps its attributes for routing and its screen pop") {
  Engine e;
  configure(e, R"({
    "queues": [{"id": "sales", "rings": [{"target": "contact.language IN agent.languages"}]}],
    "agents": [{"id": "sam", "queues": ["sales"], "attributes": {"languages": ["de"]}},
               {"id": "bea", "queues": ["sales"], "attributes": {"languages": ["en"]}}]})");
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "sales";
  call.attributes.set("language", "de");
  call.attributes.set("tier", "gold");
  call.attributes.object_at("customer").set("name", "Ada");
  REQUIRE(e.call_arrived(call, 1000).ok());
  const auto context = e.call_context("c1");
  REQUIRE(context.ok());
  CHECK(json::parse(*context)["customer"] ==
        json::parse(R"({"language": "de", "tier": "gold", "customer": {"name": "Ada"}})"));
  REQUIRE(e.agent_login("bea", 2000).ok());
  CHECK(ring_for(e, "bea") == 0);  // not for her language
  REQUIRE(e.agent_login("sam", 3000).ok());
  CHECK(ring_for(e, "sam") != 0);
}
