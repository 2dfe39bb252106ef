#include <nlohmann/json.hpp>

#include "hotline/routing/config_json.hpp"
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using nlohmann::json;

TEST_CASE("a routing configuration loads from JSON") {
  json config = json::parse(R"({
    "queues": [
      {"id": "billing", "priority": 2, "strategy": "most_skilled", "skills": {"billing": 1},
       "rings": [{"target": "agent.skills.billing >= 3", "timeout_seconds": 30},
                 {"min_level": 1}],
       "members": ["ann", {"agent": "bob", "position": 1, "weight": 2}],
       "max_length": 50, "max_wait_seconds": 300, "wrap_up_seconds": 15,
       "offer_timeout_seconds": 12.5, "max_no_answer": 2, "service_level_seconds": 20},
      {"id": "chat", "channel": "chat", "strategy": "ringall"}
    ],
    "agents": [
      {"id": "ann", "name": "Ann", "skills": {"billing": 4}, "capacity": {"voice": 1, "chat": 3},
       "attributes": {"languages": ["en", "de"]}, "queues": ["chat"]},
      {"id": "bob", "skills": ["billing"]}
    ]
  })");
  Router router;
  REQUIRE(load_routing_config(router, config).ok());
  CHECK(router.queue_ids() == std::vector<std::string>{"billing", "chat"});
  CHECK(router.agent_ids() == std::vector<std::string>{"ann", "bob"});
  auto q = queue_from_json(config["queues"][0]);
  REQUIRE(q.ok());
  CHECK(q->strategy == Strategy::kMostSkilled);
  CHECK(q->rings.size() == 2);
  CHECK(q->rings[0].timeout_ms == 30'000);
  CHECK(q->rings[1].timeout_ms == kNever);
  CHECK(q->offer_timeout_ms == 12'500);
  CHECK(q->members[1].weight == 2);
  auto a = agent_from_json(config["agents"][0]);
  REQUIRE(a.ok());
  CHECK(a->capacity[1] == 3);
  CHECK(a->skill_level("billing") == 4);
  // Ann is in billing (listed there) and chat (listed on her).
  REQUIRE(router.login("ann", 0).ok());
  CHECK(router.queue_snapshot("billing", 0)->agents_logged_in == 1);
  CHECK(router.queue_snapshot("chat", 0)->agents_available == 1);
}

TEST_CASE("bad configuration is reported with its JSON path") {
  auto error_of = [](const char* text) {
    Router router;
    auto st = load_routing_config(router, json::parse(text));
    REQUIRE(!st.ok());
    CHECK(st.error().code == Errc::kInvalidArgument);
    return st.error().message;
  };
  CHECK(error_of(R"({"queues": [{"id": "q", "strategy": "fastest"}]})") ==
        "$.queues[0].strategy: unknown strategy 'fastest'");
  CHECK(error_of(R"({"queues": [{"id": "q", "rings": [{}, {"target": "agent.x >"}]}]})")
            .rfind("$.queues[0].rings[1].target: column", 0) == 0);
  CHECK(error_of(R"({"queues": [{"id": "q", "wrap_up_seconds": -1}]})") ==
        "$.queues[0].wrap_up_seconds: expected a non-negative number of seconds");
  CHECK(error_of(R"({"agents": [{"id": "a", "capacity": {"fax": 1}}]})") ==
        "$.agents[0].capacity.fax: unknown channel");
  CHECK(error_of(R"({"agents": [{"id": "a", "queues": ["nope"]}]})") ==
        "$.agents[0]: unknown queue 'nope'");
  CHECK(error_of(R"({"agents": [{"name": "no id"}]})") ==
        "$.agents[0].id: an agent needs a non-empty id");
  CHECK(error_of(R"({"queues": [{"id": "q", "colour": "red"}]})") ==
        "$.queues[0].colour: unknown field");
  CHECK(error_of(R"({"queues": {"id": "q"}})") == "$.queues: expected an array");
  CHECK(error_of(R"({"agents": [{"id": "a", "skills": {"x": "high"}}]})") ==
        "$.agents[0].skills.x: expected a skill level between 0 and 1000");
}
