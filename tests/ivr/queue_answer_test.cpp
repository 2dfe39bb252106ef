// An agent who answers while the caller is in a menu (keeping the place)
// takes the call on at the answered exit of the queue node that enqueued it,
// not at the first queue node of the same queue in the flow.
#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

TEST_CASE("an answer during a menu continues at the enqueuing node's answered exit") {
  FakeEnv env;
  env.queues["q"] = QueueStatus{1, 0, 1, 60'000, 1};
  auto flow = load(R"({"id": "f", "start": "check", "queue": "q", "nodes": {
    "check": {"type": "branch", "conditions": [{"if": "customer.tier == 'vip'",
                                                "next": "wait_vip"}], "default": "wait"},
    "wait": {"type": "queue", "keys": {"*": "offer"}, "answered": "survey"},
    "wait_vip": {"type": "queue", "priority": 10, "keys": {"*": "offer"},
                 "answered": "vip_survey"},
    "offer": {"type": "menu", "prompts": ["offer.wav"], "options": {"1": "cb"}, "fail": "wait"},
    "cb": {"type": "callback", "next": "bye"},
    "survey": {"type": "play", "prompts": ["survey.wav"], "next": "bye"},
    "vip_survey": {"type": "play", "prompts": ["vip-survey.wav"], "next": "bye"},
    "bye": {"type": "hangup"}}})");
  expr::Attributes vip;
  vip.set("tier", "vip");
  Call call(env, flow, &vip);
  call.start();
  REQUIRE(call.session.queued());
  CHECK(call.last(K::kEnqueue).priority == 10);
  call.digits("*");
  REQUIRE(call.session.current_node() == "offer");
  call.session.queue_outcome(QueueOutcome::kAnswered, call.now, call.out);
  CHECK(call.session.current_node() == "wait_vip");
  call.clear();
  call.session.queue_outcome(QueueOutcome::kAgentDone, call.now, call.out);
  CHECK(call.session.current_node() == "vip_survey");
  CHECK(call.last_text() == "vip-survey.wav");
}
