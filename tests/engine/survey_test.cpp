// A queue's post-call survey: when the agent hangs up on a caller who is
// still there, the caller goes to the queue's survey flow.
#include "call_control_fixture.hpp"

using namespace call_control_test;
using V = Lines;

namespace {

const char* kSurveyConfig = R"({
  "flows": [{"id": "survey", "start": "ask", "nodes": {
    "ask": {"type": "collect", "prompts": ["tts:Rate us from 1 to 5"], "max_digits": 1,
            "variable": "score", "next": "bye", "fail": "bye"},
    "bye": {"type": "hangup"}}}],
  "queues": [{"id": "sales", "survey_flow": "survey", "wrap_up_seconds": 10},
             {"id": "lost", "survey_flow": "missing"}],
  "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "tom", "queues": ["lost"]}]})";

}  // namespace

TEST_CASE("the agent's hang-up sends the caller to the queue's survey flow") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  const Lines commands = sent(e);
  REQUIRE(!commands.empty());
  CHECK(commands[0] == "play c1 tts:Rate us from 1 to 5");  // no second answer
  for (const std::string& c : commands) CHECK(c != "hangup c1");
  bool entered = false;
  for (const Notification& n : told(e, Notification::Kind::kIvrNode)) {
    if (n.text == "ask" && n.value == 1) entered = true;
  }
  CHECK(entered);
  CHECK(state_of(e, "sam") == routing::AgentState::kWrapUp);
  drain(e);
  REQUIRE(e.prompt_done("c1", 6000).ok());
  CHECK(sent(e) == V{"collect_digits c1"});
  REQUIRE(e.digit("c1", '5', 7000).ok());
  CHECK(sent(e) == V{"hangup c1"});
}

TEST_CASE("a survey flow that is not loaded is reported and the call ends as without one") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "tom", 2000, "lost");
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  CHECK(sent(e) == V{"hangup c1"});
  auto errors = told(e, Notification::Kind::kIvrError);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].text == "queue 'lost': survey flow 'missing' is not loaded");
}

TEST_CASE("a caller who hangs up first gets no survey") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.call_hung_up("c1", 5000).ok());
  CHECK(sent(e).empty());
  CHECK(told(e, Notification::Kind::kIvrNode).empty());
}

namespace {

// The survey notifications told since the last drain.
std::vector<Notification> surveys(Engine& e) { return told(e, Notification::Kind::kSurvey); }

}  // namespace

TEST_CASE("the survey's score is told with the call, its agent and its queue when it ends") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  REQUIRE(e.prompt_done("c1", 6000).ok());
  CHECK(surveys(e).empty());  // still asking
  REQUIRE(e.digit("c1", '4', 7000).ok());
  const auto told_scores = surveys(e);
  REQUIRE(told_scores.size() == 1);
  CHECK(told_scores[0].call_id == "c1");
  CHECK(told_scores[0].agent_id == "sam");
  CHECK(told_scores[0].queue_id == "sales");
  CHECK(told_scores[0].value == 4);
  CHECK(told_scores[0].time == 7000);
  // Told once: the host's end of the call adds no second score.
  drain(e);
  REQUIRE(e.call_hung_up("c1", 7100).ok());
  CHECK(surveys(e).empty());
}

TEST_CASE("a score outside 1 to 5 is told as not rated") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  REQUIRE(e.prompt_done("c1", 6000).ok());
  REQUIRE(e.digit("c1", '9', 7000).ok());
  REQUIRE(e.call_hung_up("c1", 7100).ok());
  const auto told_scores = surveys(e);
  REQUIRE(told_scores.size() == 1);
  CHECK(told_scores[0].value == 0);
}

TEST_CASE("a caller who hangs up during the survey is told as not rated") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  REQUIRE(e.call_hung_up("c1", 5500).ok());
  const auto told_scores = surveys(e);
  REQUIRE(told_scores.size() == 1);
  CHECK(told_scores[0].agent_id == "sam");
  CHECK(told_scores[0].value == 0);
}

TEST_CASE("a call without a survey tells no score") {
  Engine e;
  configure(e, kSurveyConfig);
  connect(e, "c1", "sam", 2000);
  REQUIRE(e.call_hung_up("c1", 5000).ok());
  CHECK(surveys(e).empty());
}
