// The call-control keys of queues and agents: music on hold, recording
// policy, agent-number announcement, role and number.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/routing/config_json.hpp"

using namespace hotline;
using namespace hotline::routing;
using nlohmann::json;

TEST_CASE("queues read music on hold, recording policy and announcement in the prompt syntax") {
  auto q = queue_from_json(json::parse(R"({"id": "q",
      "music_on_hold": ["audio/hold.wav", "tts:Please hold", {"tts": "Still here"},
                        {"audio": "a.wav"}],
      "recording": "on_demand",
      "announce_agent": "tts:Agent ${agent.number}"})"));
  REQUIRE(q.ok());
  REQUIRE(q->music_on_hold.size() == 4);
  CHECK(q->music_on_hold[0].kind == ivr::Prompt::Kind::kAudio);
  CHECK(q->music_on_hold[0].value == "audio/hold.wav");
  CHECK(q->music_on_hold[1].kind == ivr::Prompt::Kind::kTts);
  CHECK(q->music_on_hold[1].value == "Please hold");
  CHECK(q->music_on_hold[2].kind == ivr::Prompt::Kind::kTts);
  CHECK(q->music_on_hold[3].value == "a.wav");
  CHECK(q->recording == RecordingPolicy::kOnDemand);
  REQUIRE(q->announce_agent.size() == 1);
  CHECK(q->announce_agent[0].value == "Agent ${agent.number}");

  auto plain = queue_from_json(json::parse(R"({"id": "q"})"));
  REQUIRE(plain.ok());
  CHECK(plain->music_on_hold.empty());
  CHECK(plain->recording == RecordingPolicy::kNone);
  CHECK(queue_from_json(json::parse(R"({"id": "q", "recording": "all"})"))->recording ==
        RecordingPolicy::kAll);
  CHECK(queue_from_json(json::parse(R"({"id": "q", "recording": "none"})"))->recording ==
        RecordingPolicy::kNone);
}

TEST_CASE("agents read role and number") {
  auto a = agent_from_json(json::parse(R"({"id": "sue", "role": "supervisor", "number": "7"})"));
  REQUIRE(a.ok());
  CHECK(a->role == AgentRole::kSupervisor);
  CHECK(a->number == "7");
  auto plain = agent_from_json(json::parse(R"({"id": "sam"})"));
  CHECK(plain->role == AgentRole::kAgent);
  CHECK(plain->number.empty());
}

TEST_CASE("bad call-control keys are refused with their JSON path") {
  auto queue_error = [](const char* text) {
    auto q = queue_from_json(json::parse(text), "$.queues[2]");
    REQUIRE(!q.ok());
    CHECK(q.error().code == Errc::kInvalidArgument);
    return q.error().message;
  };
  CHECK(queue_error(R"({"id": "q", "recording": "some"})") ==
        "$.queues[2].recording: unknown recording policy 'some' (expected all, none or "
        "on_demand)");
  CHECK(queue_error(R"({"id": "q", "music_on_hold": ["a.wav", 5]})") ==
        "$.queues[2].music_on_hold[1]: expected a prompt: \"file.wav\", \"tts:text\", "
        "{\"audio\": ...} or {\"tts\": ...}");
  CHECK(queue_error(R"({"id": "q", "announce_agent": {"say": "x"}})") ==
        "$.queues[2].announce_agent.say: unknown field (expected one of: tts, audio)");
  CHECK(queue_error(R"({"id": "q", "music_on_hold": ""})") ==
        "$.queues[2].music_on_hold: expected a prompt, not an empty string");
  auto agent_error = [](const char* text) {
    auto a = agent_from_json(json::parse(text), "$.agents[0]");
    REQUIRE(!a.ok());
    return a.error().message;
  };
  CHECK(agent_error(R"({"id": "a", "role": "boss"})") ==
        "$.agents[0].role: unknown role 'boss' (expected agent or supervisor)");
  CHECK(agent_error(R"({"id": "a", "number": 1042})") == "$.agents[0].number: expected a string");
}
