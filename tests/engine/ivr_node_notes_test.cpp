// IVR node notifications left out (EngineOptions::ivr_node_notes, which a
// batch simulation turns off): listeners hear everything else exactly as
// before, in the same order, and the sessions run the same, down to the
// end of a post-call survey, which the engine sees as its session leaves
// its last node.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

#include "output_lines.hpp"

using namespace hotline;
using namespace hotline::engine;
using hotline::engine::test::line_of;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "flows": [{"id": "menu", "start": "menu", "nodes": {
      "menu": {"type": "menu", "prompts": ["tts:Press 1"], "options": {"1": "account"},
               "fail": "queue"},
      "account": {"type": "collect", "min_digits": 4, "max_digits": 4, "variable": "account",
                  "next": "queue", "fail": "queue"},
      "queue": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]}}},
    {"id": "survey", "start": "ask", "nodes": {
      "ask": {"type": "collect", "prompts": ["tts:Rate us from 1 to 5"], "max_digits": 1,
              "variable": "score", "next": "bye", "fail": "bye"},
      "bye": {"type": "hangup"}}}],
  "queues": [{"id": "sales", "survey_flow": "survey", "wrap_up_seconds": 10}],
  "agents": [{"id": "sam", "queues": ["sales"]}]})";

struct Heard {
  std::vector<std::string> notes;
  std::vector<std::string> commands;
  std::vector<std::string> nodes;  // "<node> <1 entered, 0 left>"
  std::vector<std::int64_t> scores;  // the surveys'
};

void take(Engine& e, Heard& heard) {
  for (const Notification& n : e.notifications()) {
    if (n.kind == Notification::Kind::kIvrNode) {
      heard.nodes.push_back(n.text + " " + std::to_string(n.value));
    } else {
      heard.notes.push_back(line_of(n));
    }
    if (n.kind == Notification::Kind::kSurvey) heard.scores.push_back(n.value);
  }
  for (const Command& c : e.commands()) heard.commands.push_back(line_of(c));
  e.notifications().clear();
  e.commands().clear();
}

// A caller through the menu and the account number into the queue, answered,
// then rating the agent in the survey; what the engine said at every step.
Heard day(Engine& e) {
  Heard heard;
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  REQUIRE(e.agent_login("sam", 0).ok());
  take(e, heard);
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+15550001";
  call.flow_id = "menu";
  REQUIRE(e.call_arrived(call, 1000).ok());
  take(e, heard);
  REQUIRE(e.prompt_done("c1", 2000).ok());
  take(e, heard);
  for (char k : std::string("11234")) REQUIRE(e.digit("c1", k, 3000).ok());
  std::uint64_t reservation = 0;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent) reservation = c.reservation;
  }
  take(e, heard);
  REQUIRE(reservation != 0);
  REQUIRE(e.agent_answered(reservation, 4000).ok());
  take(e, heard);
  REQUIRE(e.agent_hung_up("c1", 5000).ok());
  take(e, heard);
  REQUIRE(e.prompt_done("c1", 6000).ok());
  take(e, heard);
  REQUIRE(e.digit("c1", '5', 7000).ok());
  take(e, heard);
  return heard;
}

}  // namespace

TEST_CASE("by default listeners are told each IVR node a call enters and leaves") {
  Engine e;
  const Heard heard = day(e);
  CHECK(heard.nodes == std::vector<std::string>{"menu 1", "menu 0", "account 1", "account 0",
                                                "queue 1", "queue 0", "ask 1", "ask 0"});
  CHECK(e.options().ivr_node_notes);
}

TEST_CASE("without IVR node notifications everything else is told as before") {
  EngineOptions without;
  without.ivr_node_notes = false;
  Engine plain;
  Engine lean(without);
  const Heard full = day(plain);
  const Heard bare = day(lean);
  CHECK(bare.nodes.empty());
  CHECK(bare.notes == full.notes);
  CHECK(bare.commands == full.commands);
  // The survey still ended, with its score: the session's last node was seen.
  CHECK(bare.scores == std::vector<std::int64_t>{5});
  CHECK(full.scores == bare.scores);
  // A configuration's options leave the host's choice alone.
  REQUIRE(lean.load_config(json::parse(R"({"options": {"host_timeout_seconds": 9}})"), 8000).ok());
  CHECK_FALSE(lean.options().ivr_node_notes);
}
