// A queue's recording policy and its agent-number announcement
// (docs/call-control.md).
#include "call_control_fixture.hpp"

using namespace call_control_test;
using V = Lines;

namespace {

const char* kRecordingConfig = R"({
  "queues": [
    {"id": "all", "recording": "all"},
    {"id": "asked", "recording": "on_demand"},
    {"id": "never"},
    {"id": "greeted", "announce_agent": ["tts:Agent ${agent.number} speaking, ${agent.number}.",
                                         "audio/beep.wav"]}],
  "agents": [
    {"id": "amy", "queues": ["all"]},
    {"id": "ole", "queues": ["asked"]},
    {"id": "nia", "queues": ["never"]},
    {"id": "gus", "queues": ["greeted"], "number": "1042"}]})";

}  // namespace

TEST_CASE("recording 'all' starts at the bridge and may be paused and resumed, not stopped") {
  Engine e;
  configure(e, kRecordingConfig);
  REQUIRE(e.agent_login("amy", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "all";
  REQUIRE(e.call_arrived(call, 500).ok());
  const auto reservation = ring_for(e, "amy");
  drain(e);
  REQUIRE(e.agent_answered(reservation, 1000).ok());
  CHECK(sent(e) == V{"bridge c1 agent=amy", "record_control c1 action=start"});
  CHECK(told(e, Notification::Kind::kRecording).at(0).text == "start");
  drain(e);

  REQUIRE(e.recording_control("c1", "pause", 2000).ok());
  CHECK(sent(e) == V{"record_control c1 action=pause"});
  auto n = told(e, Notification::Kind::kRecording);
  REQUIRE(n.size() == 1);
  CHECK(n[0].text == "pause");
  CHECK(n[0].agent_id == "amy");
  CHECK(n[0].queue_id == "all");
  drain(e);
  auto st = e.recording_control("c1", "pause", 2500);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "call 'c1' is paused: its recording cannot pause");
  st = e.recording_control("c1", "stop", 2500);
  CHECK(st.error().code == Errc::kPermission);
  CHECK(st.error().message ==
        "queue 'all' records every call (recording: all): it can be paused and resumed, not "
        "stopped");
  check_nothing_sent(e);
  REQUIRE(e.recording_control("c1", "resume", 3000).ok());
  CHECK(sent(e) == V{"record_control c1 action=resume"});
}

TEST_CASE("recording 'on_demand' follows the agent: start, pause, resume, stop in order") {
  Engine e;
  configure(e, kRecordingConfig);
  connect(e, "c1", "ole", 2000, "asked");
  auto st = e.recording_control("c1", "pause", 2500);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "call 'c1' is not recording: its recording cannot pause");
  CHECK(e.recording_control("c1", "resume", 2500).error().code == Errc::kIllegalState);
  CHECK(e.recording_control("c1", "stop", 2500).error().code == Errc::kIllegalState);
  st = e.recording_control("c1", "rewind", 2500);
  CHECK(st.error().code == Errc::kInvalidArgument);
  CHECK(st.error().message ==
        "unknown recording action 'rewind' (expected one of: start, stop, pause, resume)");
  check_nothing_sent(e);
  for (const char* action : {"start", "pause", "resume", "stop"}) {
    CAPTURE(action);
    REQUIRE(e.recording_control("c1", action, 3000).ok());
    CHECK(sent(e) == V{std::string("record_control c1 action=") + action});
    CHECK(told(e, Notification::Kind::kRecording).at(0).text == action);
    drain(e);
  }
  CHECK(e.recording_control("c1", "start", 4000).ok());  // again after a stop
}

TEST_CASE("recording 'none' refuses every recording action") {
  Engine e;
  configure(e, kRecordingConfig);
  connect(e, "c1", "nia", 2000, "never");
  auto st = e.recording_control("c1", "start", 3000);
  CHECK(st.error().code == Errc::kPermission);
  CHECK(st.error().message == "queue 'never' records no calls (recording: none)");
  check_nothing_sent(e);
}

TEST_CASE("the agent-number announcement plays after the answer and the bridge waits for it") {
  Engine e;
  configure(e, kRecordingConfig);
  REQUIRE(e.agent_login("gus", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "greeted";
  REQUIRE(e.call_arrived(call, 500).ok());
  const auto reservation = ring_for(e, "gus");
  drain(e);
  REQUIRE(e.agent_answered(reservation, 1000).ok());
  CHECK(sent(e) ==
        V{"play c1 agent=gus tts:Agent 1042 speaking, 1042. audio/beep.wav"});
  CHECK(told(e, Notification::Kind::kConversation).empty());
  CHECK(state_of(e, "gus") == routing::AgentState::kBusy);
  drain(e);
  auto st = e.hold("c1", 1500);
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message ==
        "call 'c1' is hearing the agent-number announcement: hold needs a call with an agent");
  check_nothing_sent(e);

  REQUIRE(e.prompt_done("c1", 4000).ok());
  CHECK(sent(e) == V{"bridge c1 agent=gus"});
  auto n = told(e, Notification::Kind::kConversation);
  REQUIRE(n.size() == 1);
  CHECK(n[0].text == "connected");
  drain(e);
  REQUIRE(e.hold("c1", 5000).ok());
  CHECK(told(e, Notification::Kind::kConversation).at(0).value == 1000);  // from the bridge
}

TEST_CASE("the end of the queue's prompt does not cut the agent-number announcement short") {
  Engine e;
  configure(e, R"({
    "flows": [{"id": "wait", "start": "q", "nodes": {
      "q": {"type": "queue", "queue": "greeted", "prompts": ["tts:Please wait"]}}}],
    "queues": [{"id": "greeted", "announce_agent": "tts:Agent ${agent.number}"}],
    "agents": [{"id": "gus", "queues": ["greeted"], "number": "1042"}]})");
  REQUIRE(e.agent_login("gus", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.flow_id = "wait";
  REQUIRE(e.call_arrived(call, 500).ok());
  // The queue's prompt is still playing when gus answers; the announcement
  // plays after it, each play numbered by its request_id.
  std::uint64_t queue_prompt = 0;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kPlay) queue_prompt = c.request_id;
  }
  REQUIRE(queue_prompt != 0);
  const auto reservation = ring_for(e, "gus");
  drain(e);
  REQUIRE(e.agent_answered(reservation, 1000).ok());
  std::uint64_t announcement = 0;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kPlay) announcement = c.request_id;
  }
  CHECK(sent(e) == V{"play c1 agent=gus tts:Agent 1042"});
  REQUIRE(announcement != 0);
  CHECK(announcement != queue_prompt);
  drain(e);

  // The queue prompt's end comes in after the answer: the agent's number is
  // still being said, so no bridge.
  REQUIRE(e.prompt_done("c1", 1200, queue_prompt).ok());
  check_nothing_sent(e);
  CHECK(e.hold("c1", 1300).error().code == Errc::kIllegalState);

  REQUIRE(e.prompt_done("c1", 3000, announcement).ok());
  CHECK(sent(e) == V{"bridge c1 agent=gus"});
  CHECK(told(e, Notification::Kind::kConversation).at(0).text == "connected");
}
