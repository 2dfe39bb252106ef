// A queue that refuses a call (at its max length) is answered after the IVR's
// directives that asked for the queue have all been carried out, so the
// flow's no-agents exit is the last word, not the queue node's hold music.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "queues": [{"id": "small", "max_length": 1}],
  "agents": [{"id": "a", "queues": ["small"]}],
  "flows": [{"id": "f", "start": "q", "nodes": {
    "q": {"type": "queue", "queue": "small", "hold": ["moh.wav"], "no_agents": "sorry"},
    "sorry": {"type": "play", "prompts": ["sorry.wav"], "next": "bye"},
    "bye": {"type": "hangup"}}}]})";

std::vector<Command> commands_of(Engine& e, const std::string& call) {
  std::vector<Command> v;
  for (const Command& c : e.commands()) {
    if (c.call_id == call) v.push_back(c);
  }
  e.commands().clear();
  return v;
}

}  // namespace

TEST_CASE("a full queue sends the caller to the flow's no-agents exit after the hold music") {
  Engine e;
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  REQUIRE(e.agent_login("a", 0).ok());
  REQUIRE(e.agent_not_ready("a", "meeting", 0).ok());  // logged in, taking nothing
  CallInfo first;
  first.call_id = "first";
  first.queue_id = "small";
  REQUIRE(e.call_arrived(first, 1000).ok());
  CallInfo second;
  second.call_id = "second";
  second.flow_id = "f";
  REQUIRE(e.call_arrived(second, 2000).ok());
  auto cmds = commands_of(e, "second");
  std::vector<std::string> played;
  for (const Command& c : cmds) {
    if (c.kind == Command::Kind::kPlay) played.push_back(c.prompts.at(0).value);
  }
  CHECK(played == std::vector<std::string>{"moh.wav", "sorry.wav"});
  bool refusal_reported = false;
  for (const Notification& n : e.notifications()) {
    CHECK(n.kind != Notification::Kind::kIvrError);  // a refusal is not a flow's failure
    if (n.call_id == "second" && n.kind == Notification::Kind::kContactRefused) {
      refusal_reported = n.queue_id == "small" && n.text.find("full") != std::string::npos;
    }
  }
  CHECK(refusal_reported);
  REQUIRE(e.prompt_done("second", 3000).ok());
  cmds = commands_of(e, "second");
  REQUIRE(!cmds.empty());
  CHECK(cmds.back().kind == Command::Kind::kHangup);
  CHECK(e.router().queue_snapshot("small", 3000)->waiting == 1);  // only the first call
}

TEST_CASE("a full queue hangs up a call that came without a flow") {
  Engine e;
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  for (const char* id : {"first", "second"}) {
    CallInfo c;
    c.call_id = id;
    c.queue_id = "small";
    REQUIRE(e.call_arrived(c, 1000).ok());
  }
  auto cmds = commands_of(e, "second");
  REQUIRE(cmds.size() == 1);
  CHECK(cmds[0].kind == Command::Kind::kHangup);
  CHECK(e.live_calls() == 1);
}

TEST_CASE("a refusal reaches the KPI collector as a refused contact of the queue") {
  Engine e;
  REQUIRE(e.load_config(json::parse(kConfig), 0).ok());
  metrics::KpiCollector kpi;
  KpiFeed feed(kpi, e.router());
  for (const char* id : {"first", "second", "third"}) {
    CallInfo c;
    c.call_id = id;
    c.queue_id = "small";
    REQUIRE(e.call_arrived(c, 1000).ok());
  }
  for (const Notification& n : e.notifications()) feed.on(n);
  const metrics::QueueCounts counts = kpi.queue_total("small");
  CHECK(counts.offered == 1);
  CHECK(counts.refused == 2);
}
