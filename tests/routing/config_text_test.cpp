// A configuration read as its text streams in (its agents read aside) must
// give what parsing the text and loading the document gives: the same
// agents, and the same refusal, with the same JSON path, for the same text.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/routing/config_json.hpp"
#include "hotline/routing/config_text.hpp"
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using nlohmann::json;

namespace {

// The outcome of the "queues" and "agents" of `text` against `router`,
// through the document or through the streaming reader.
Result<RoutingConfig> from_document(const std::string& text, const Router& router) {
  return routing_config_from_json(json::parse(text), router, "$");
}

Result<RoutingConfig> from_text(const std::string& text, const Router& router) {
  PreparsedAgents agents;
  auto document = read_config_text(text, agents);
  REQUIRE(document.ok());
  return routing_config_from_json(*document, router, "$", &agents);
}

void check_same_agent(const AgentConfig& a, const AgentConfig& b) {
  CHECK(a.id == b.id);
  CHECK(a.name == b.name);
  CHECK(a.skills == b.skills);
  CHECK(a.attributes.to_json() == b.attributes.to_json());
  CHECK(a.capacity == b.capacity);
  CHECK(a.queues == b.queues);
  CHECK(a.role == b.role);
  CHECK(a.number == b.number);
}

}  // namespace

TEST_CASE("agents read as the text streams in are those the document gives") {
  // Agents before the queues they name; every agent field; an "agents" key
  // deeper down that is not the configuration's.
  const std::string text = R"({
    "agents": [
      {"id": "ann", "name": "Ann", "skills": {"billing": 4, "french": 2},
       "attributes": {"languages": ["en", "de"], "site": {"city": "Berlin", "floor": 3}},
       "capacity": {"voice": 1, "chat": 3}, "queues": ["chat", "billing"],
       "role": "supervisor", "number": "+4930123"},
      {"id": "bob", "skills": ["billing"]},
      {"id": "cy", "attributes": {"agents": [1, 2]}, "queues": []}
    ],
    "queues": [{"id": "billing", "members": ["bob"], "skills": {"billing": 1},
                "rings": [{"target": "agent.skills.billing >= 3", "timeout_seconds": 30}, {}]},
               {"id": "chat", "channel": "chat"}]
  })";
  Router router;
  auto by_document = from_document(text, router);
  auto by_text = from_text(text, router);
  REQUIRE(by_document.ok());
  REQUIRE(by_text.ok());
  REQUIRE(by_text->agents.size() == 3);
  REQUIRE(by_document->agents.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) check_same_agent(by_text->agents[i], by_document->agents[i]);
  CHECK(by_text->agents[0].skill_level("french") == 2);
  CHECK(by_text->agents[0].attributes.find_path("site.city")->as_string() == "Berlin");
  REQUIRE(by_text->queues.size() == 2);
  CHECK(by_text->queues[0].members.size() == 1);

  // Applied, both give the same router.
  Router a;
  Router b;
  REQUIRE(apply_routing_config(a, std::move(by_document).value()).ok());
  REQUIRE(apply_routing_config(b, std::move(by_text).value()).ok());
  CHECK(a.agent_ids() == b.agent_ids());
  for (const char* id : {"ann", "bob", "cy"}) {
    REQUIRE(a.login(id, 0).ok());
    REQUIRE(b.login(id, 0).ok());
  }
  for (const char* q : {"billing", "chat"}) {
    CHECK(a.queue_snapshot(q, 0)->agents_logged_in == b.queue_snapshot(q, 0)->agents_logged_in);
    CHECK(a.queue_snapshot(q, 0)->agents_available == b.queue_snapshot(q, 0)->agents_available);
  }
  CHECK(b.queue_snapshot("billing", 0)->agents_logged_in == 2);
}

TEST_CASE("the document read beside the agents keeps everything else") {
  PreparsedAgents agents;
  auto document = read_config_text(
      R"({"options": {"agents": [{"id": "x"}]}, "agents": [{"id": "a"}], "queues": []})", agents);
  REQUIRE(document.ok());
  CHECK(agents.read);
  REQUIRE(agents.agents.size() == 1);
  CHECK(agents.agents[0].id == "a");
  CHECK((*document)["agents"] == json::array());
  CHECK((*document)["options"]["agents"] == json::parse(R"([{"id": "x"}])"));
  CHECK((*document)["queues"] == json::array());

  // Not an array: left in the document, to be refused there.
  document = read_config_text(R"({"agents": {"id": "a"}})", agents);
  REQUIRE(document.ok());
  CHECK(!agents.read);
  CHECK((*document)["agents"]["id"] == "a");

  // A later "agents" replaces an earlier one, as in the document.
  document = read_config_text(R"({"agents": [{"id": "a"}, {"id": "b"}], "agents": [{"id": "c"}]})",
                              agents);
  REQUIRE(document.ok());
  REQUIRE(agents.agents.size() == 1);
  CHECK(agents.agents[0].id == "c");
  CHECK(json::parse(R"({"agents": [1], "agents": [{"id": "c"}]})")["agents"].size() == 1);
}

TEST_CASE("a streamed configuration is refused as its document is, with the same path") {
  Router router;
  QueueConfig existing;
  existing.id = "existing";
  REQUIRE(router.add_queue(existing).ok());
  AgentConfig taken;
  taken.id = "taken";
  REQUIRE(router.add_agent(taken).ok());
  const std::vector<std::string> refused = {
      // The agent's own fields, at the first and a later index.
      R"({"agents": [{"name": "no id"}]})",
      R"({"queues": [{"id": "q"}], "agents": [{"id": "a"}, {"id": "b", "skills": {"x": "high"}}]})",
      R"({"agents": [{"id": "a", "capacity": {"fax": 1}}]})",
      R"({"agents": [{"id": "a", "skill": ["x"]}]})",
      R"({"agents": [{"id": "a", "attributes": {"x": [[[1]]], "y": 2}, "role": "boss"}]})",
      R"({"agents": [{"id": "a"}, 7, {"id": "b"}]})",
      R"({"agents": [{"id": "a"}, [], {"name": "no id"}]})",
      R"({"agents": "everyone"})",
      // Checks against other agents and the queues: an earlier agent's
      // duplicate or unknown queue is met before a later agent's own error.
      R"({"agents": [{"id": "a"}, {"id": "a"}, {"id": ""}]})",
      R"({"agents": [{"id": "a", "queues": ["nope"]}, {"id": 5}]})",
      R"({"agents": [{"id": "taken"}]})",
      R"({"agents": [{"id": "b", "queues": ["existing", "later"]}], "queues": [{"id": "later"},
          {"id": "bad", "strategy": "fastest"}]})",
      // A queue's error comes first, wherever the agents are in the text.
      R"({"agents": [{"id": ""}], "queues": [{"id": "q", "wrap_up_seconds": -1}]})",
  };
  for (const std::string& text : refused) {
    CAPTURE(text);
    auto by_document = from_document(text, router);
    auto by_text = from_text(text, router);
    REQUIRE(!by_document.ok());
    REQUIRE(!by_text.ok());
    CHECK(by_text.error().code == by_document.error().code);
    CHECK(by_text.error().message == by_document.error().message);
  }
  // Spot checks that the paths are the expected ones.
  CHECK(from_text(refused[5], router).error().message == "$.agents[1]: expected an agent object");
  CHECK(from_text(refused[8], router).error().message ==
        "$.agents[1].id: agent 'a' already exists");
  CHECK(from_text(refused[9], router).error().message ==
        "$.agents[0].queues[0]: unknown queue 'nope'");
}

TEST_CASE("text that is not JSON is refused with where it goes wrong") {
  PreparsedAgents agents;
  auto document = read_config_text(R"({"agents": [{"id": "a"}, {"id": "b",}]})", agents);
  REQUIRE(!document.ok());
  CHECK(document.error().code == Errc::kInvalidArgument);
  CHECK(document.error().message.rfind("not valid JSON: ", 0) == 0);
  CHECK(document.error().message.find("line 1, column") != std::string::npos);
  CHECK(agents.agents.empty());
  CHECK(!agents.read);
  // Invalid UTF-8 inside a string, as json::parse refuses it.
  CHECK(!read_config_text("{\"agents\": [{\"id\": \"\xff\"}]}", agents).ok());
  CHECK(!read_config_text("", agents).ok());
  CHECK(!read_config_text(R"({"agents": []} trailing)", agents).ok());
}
