// Hold and resume, the end of a held call, and wrap-up codes
// (docs/call-control.md).
#include "call_control_fixture.hpp"

using namespace call_control_test;
using V = Lines;

TEST_CASE("hold plays the queue's music and resume brings the caller back, each state timed") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);

  REQUIRE(e.hold("c1", 10'000).ok());
  CHECK(sent(e) == V{"hold c1 audio/hold.wav tts:Please hold"});
  auto held = told(e, Notification::Kind::kConversation);
  REQUIRE(held.size() == 1);
  CHECK(held[0].text == "held");
  CHECK(held[0].value == 8000);  // connected from the bridge at 2 s
  CHECK(held[0].agent_id == "sam");
  CHECK(held[0].queue_id == "sales");
  drain(e);

  REQUIRE(e.resume("c1", 15'000).ok());
  CHECK(sent(e) == V{"resume c1"});
  auto resumed = told(e, Notification::Kind::kConversation);
  REQUIRE(resumed.size() == 1);
  CHECK(resumed[0].text == "connected");
  CHECK(resumed[0].value == 5000);  // the hold time
}

TEST_CASE("the bridge starts a conversation, reported as connected") {
  Engine e;
  configure(e);
  REQUIRE(e.agent_login("sam", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "sales";
  REQUIRE(e.call_arrived(call, 500).ok());
  const auto reservation = ring_for(e, "sam");
  drain(e);
  REQUIRE(e.agent_answered(reservation, 1000).ok());
  CHECK(sent(e) == V{"bridge c1 agent=sam"});
  auto n = told(e, Notification::Kind::kConversation);
  REQUIRE(n.size() == 1);
  CHECK(n[0].text == "connected");
  CHECK(n[0].agent_id == "sam");
}

TEST_CASE("a queue without music on hold leaves the music to the host") {
  Engine e;
  configure(e);
  connect(e, "c1", "tom", 2000, "support");
  REQUIRE(e.hold("c1", 3000).ok());
  CHECK(sent(e) == V{"hold c1"});
}

TEST_CASE("hold and resume are refused out of their states, naming the call and its state") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  CallInfo waiting;
  waiting.call_id = "c2";
  waiting.queue_id = "sales";
  REQUIRE(e.call_arrived(waiting, 2500).ok());  // nobody free: it waits
  drain(e);

  auto st = e.hold("nope", 3000);
  CHECK(st.error().code == Errc::kNotFound);
  CHECK(st.error().message == "unknown call 'nope'");
  st = e.hold("c2", 3000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "call 'c2' is not with an agent: hold needs a call with an agent");
  st = e.resume("c1", 3000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "call 'c1' is connected: only a held call can be resumed");
  check_nothing_sent(e);

  REQUIRE(e.hold("c1", 4000).ok());
  drain(e);
  st = e.hold("c1", 5000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "call 'c1' is held: only a connected call can be held");
  check_nothing_sent(e);
  // Still held: the resume works and reports the whole hold.
  REQUIRE(e.resume("c1", 9000).ok());
  CHECK(told(e, Notification::Kind::kConversation)[0].value == 5000);
}

TEST_CASE("a caller who hangs up while held ends the conversation and the agent wraps up") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.hold("c1", 4000).ok());
  drain(e);
  REQUIRE(e.call_hung_up("c1", 7000).ok());
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  auto n = told(e, Notification::Kind::kConversation);
  REQUIRE(n.size() == 1);
  CHECK(n[0].text == "ended");
  CHECK(n[0].value == 3000);  // held for 3 s
  CHECK(e.resume("c1", 8000).error().code == Errc::kIllegalState);
}

TEST_CASE("a wrap-up code is taken while the agent has the call or wraps it up") {
  Engine e;
  configure(e);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.wrap_up_code("c1", "sale", 3000).ok());
  auto n = told(e, Notification::Kind::kWrapUpCode);
  REQUIRE(n.size() == 1);
  CHECK(n[0].agent_id == "sam");
  CHECK(n[0].text == "sale");
  CHECK(n[0].call_id == "c1");
  CHECK(n[0].queue_id == "sales");
  drain(e);
  REQUIRE(e.agent_hung_up("c1", 4000).ok());
  drain(e);
  REQUIRE(e.wrap_up_code("c1", "callback-needed", 5000).ok());  // in wrap-up
  auto late = told(e, Notification::Kind::kWrapUpCode);
  CHECK(late.at(0).text == "callback-needed");
  // The conversation has ended; the code still counts for the queue.
  CHECK(late.at(0).queue_id == "sales");
  drain(e);

  CHECK(e.wrap_up_code("c1", "", 5000).error().code == Errc::kInvalidArgument);
  CHECK(e.wrap_up_code("c1", "\xff", 5000).error().code == Errc::kInvalidArgument);
  CallInfo waiting;
  waiting.call_id = "c2";
  waiting.queue_id = "support";
  REQUIRE(e.call_arrived(waiting, 6000).ok());
  drain(e);
  auto st = e.wrap_up_code("c2", "sale", 6000);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c2' is not with an agent: a wrap-up code needs a call with an agent or in its "
        "wrap-up");
  CHECK(e.wrap_up_code("c9", "sale", 6000).error().code == Errc::kNotFound);
  check_nothing_sent(e);
}
