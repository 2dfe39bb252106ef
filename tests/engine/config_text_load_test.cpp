// The engine loaded from a configuration read as its text streams in (the
// C ABI's way, routing/config_text.hpp) behaves as when loaded from the
// parsed document: the same calls reach the same agents, and a refused text
// gives the document's refusal and changes nothing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/routing/config_text.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

Status load_text(Engine& e, const std::string& text, TimeMs now) {
  routing::PreparsedAgents agents;
  auto document = routing::read_config_text(text, agents);
  REQUIRE(document.ok());
  return e.load_config(*document, agents, now);
}

// Who each of a few calls rings, logging every agent in first.
std::vector<std::string> rung(Engine& e, const std::vector<std::string>& agents) {
  for (const std::string& a : agents) REQUIRE(e.agent_login(a, 0).ok());
  std::vector<std::string> v;
  for (int i = 0; i < 4; ++i) {
    CallInfo c;
    c.call_id = "c" + std::to_string(i);
    c.queue_id = i % 2 ? "sales" : "support";
    c.attributes.set("language", i < 2 ? "de" : "en");
    REQUIRE(e.call_arrived(c, 1 + i).ok());
    for (const Command& cmd : e.commands()) {
      if (cmd.kind == Command::Kind::kRingAgent) v.push_back(cmd.agent_id);
    }
    e.commands().clear();
  }
  return v;
}

}  // namespace

TEST_CASE("an engine loaded from streamed text routes as one loaded from the document") {
  const std::string text = R"({
    "options": {"seed": 3},
    "agents": [
      {"id": "ann", "skills": {"s": 4}, "attributes": {"languages": ["de", "en"]},
       "queues": ["support", "sales"]},
      {"id": "bob", "skills": {"s": 1}, "attributes": {"languages": ["en"]},
       "queues": ["support"]},
      {"id": "cy", "attributes": {"languages": ["de"]}, "queues": ["sales"]}
    ],
    "queues": [
      {"id": "support", "rings": [
        {"target": "agent.skills.s >= 3 AND contact.language IN agent.languages",
         "timeout_seconds": 20}, {}]},
      {"id": "sales", "strategy": "round_robin"}
    ]
  })";
  Engine by_document;
  Engine by_text;
  REQUIRE(by_document.load_config(json::parse(text), 0).ok());
  REQUIRE(load_text(by_text, text, 0).ok());
  const std::vector<std::string> agents = {"ann", "bob", "cy"};
  const auto expected = rung(by_document, agents);
  // Ann takes the German support call in the first ring, Cy the sales call
  // Ann is no longer free for; the other two wait.
  CHECK(expected == std::vector<std::string>{"ann", "cy"});
  CHECK(rung(by_text, agents) == expected);
}

TEST_CASE("a refused streamed configuration names what the document names and changes nothing") {
  const std::vector<std::string> refused = {
      // The document's own checks come before any agent's.
      R"({"agents": [{"id": ""}], "colour": 1})",
      R"({"agents": [{"id": ""}], "options": {"seed": -1}})",
      R"({"agents": [{"id": ""}], "flows": [{"id": "f"}]})",
      R"({"agents": [{"id": ""}], "calendars": []})",
      // Then queues, then agents in order.
      R"({"agents": [{"id": "a", "queues": ["q"]}, {"id": "b", "role": "boss"}]})",
      R"({"agents": [{"id": "x"}]})",
      R"({"agents": [{"id": "n"}, {"id": "n"}], "queues": [{"id": "q"}]})",
  };
  for (const std::string& text : refused) {
    CAPTURE(text);
    Engine by_document;
    Engine by_text;
    for (Engine* e : {&by_document, &by_text}) {
      REQUIRE(e->load_config(json::parse(R"({"agents": [{"id": "x"}]})"), 0).ok());
    }
    const Status document_status = by_document.load_config(json::parse(text), 0);
    const Status text_status = load_text(by_text, text, 0);
    REQUIRE(!document_status.ok());
    REQUIRE(!text_status.ok());
    CHECK(text_status.error().code == document_status.error().code);
    CHECK(text_status.error().message == document_status.error().message);
    // Nothing was added: "x" is the only agent, and no queue appeared.
    CHECK(by_text.router().agent_ids() == std::vector<std::string>{"x"});
    CHECK(by_text.router().queue_ids().empty());
  }
}
