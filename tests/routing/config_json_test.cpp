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
        "$.agents[0].capacity.fax: unknown field (expected one of: voice, chat, email, task)");
  CHECK(error_of(R"({"agents": [{"id": "a", "queues": ["nope"]}]})") ==
        "$.agents[0].queues[0]: unknown queue 'nope'");
  CHECK(error_of(R"({"agents": [{"name": "no id"}]})") ==
        "$.agents[0].id: an agent needs a non-empty id");
  CHECK(error_of(R"({"queues": [{"id": "q", "colour": "red"}]})") ==
        "$.queues[0].colour: unknown field (expected one of: id, name, priority, channel, "
        "strategy, rings, skills, members, max_length, max_wait_seconds, wrap_up_seconds, "
        "offer_timeout_seconds, max_no_answer, service_level_seconds, resume_window_seconds, "
        "last_agent_wait_seconds, music_on_hold, recording, announce_agent, survey_flow)");
  CHECK(error_of(R"({"queues": {"id": "q"}})") == "$.queues: expected an array");
  CHECK(error_of(R"({"agents": [{"id": "a", "skills": {"x": "high"}}]})") ==
        "$.agents[0].skills.x: expected a skill level between 0 and 1000");
}

TEST_CASE("an unknown key is refused at every level, with its path and the accepted keys") {
  auto error_of = [](const char* text) {
    Router router;
    auto st = load_routing_config(router, json::parse(text));
    REQUIRE(!st.ok());
    CHECK(st.error().code == Errc::kInvalidArgument);
    return st.error().message;
  };
  CHECK(error_of(R"({"queues": [], "agnets": []})") ==
        "$.agnets: unknown field (expected one of: queues, agents)");
  CHECK(error_of(R"({"queues": [{"id": "q", "rings": [{}, {"timeout": 5}]}]})") ==
        "$.queues[0].rings[1].timeout: unknown field "
        "(expected one of: target, min_level, timeout_seconds)");
  CHECK(error_of(R"({"queues": [{"id": "q", "members": ["a", {"agent": "b", "pos": 1}]}]})") ==
        "$.queues[0].members[1].pos: unknown field (expected one of: agent, position, weight)");
  CHECK(error_of(R"({"agents": [{"id": "a", "skill": ["x"]}]})") ==
        "$.agents[0].skill: unknown field "
        "(expected one of: id, name, skills, attributes, capacity, queues, role, number)");
  CHECK(error_of(R"({"agents": [{"id": "a", "capacity": {"voice": 1, "sms": 2}}]})") ==
        "$.agents[0].capacity.sms: unknown field (expected one of: voice, chat, email, task)");
  auto contact = contact_from_json(json::parse(R"({"queue": "q", "prefered_agent": "a"})"));
  REQUIRE(!contact.ok());
  CHECK(contact.error().message ==
        "$.prefered_agent: unknown field (expected one of: id, queue, channel, priority, caller, "
        "attributes, skills, preferred_agent, preferred_wait_seconds)");
}

TEST_CASE("a refused routing configuration adds nothing") {
  Router router;
  auto st = load_routing_config(router, json::parse(R"({
    "queues": [{"id": "a"}, {"id": "b"}],
    "agents": [{"id": "x", "queues": ["a"]}, {"id": "y", "capacity": {"voice": -1}}]})"));
  REQUIRE(!st.ok());
  CHECK(st.error().message == "$.agents[1].capacity.voice: expected a capacity between 0 and 1000");
  CHECK(router.queue_ids().empty());
  CHECK(router.agent_ids().empty());
  // Ids repeated inside one document are caught before anything is added.
  st = load_routing_config(router, json::parse(R"({"queues": [{"id": "a"}, {"id": "a"}]})"));
  REQUIRE(!st.ok());
  CHECK(st.error().message == "$.queues[1].id: queue 'a' already exists");
  st = load_routing_config(router, json::parse(R"({"queues": [{"id": "a"}],
    "agents": [{"id": "x"}, {"id": "x"}]})"));
  REQUIRE(!st.ok());
  CHECK(st.error().message == "$.agents[1].id: agent 'x' already exists");
  CHECK(router.queue_ids().empty());
  // A queue may name agents that come later; an agent's queues must exist.
  REQUIRE(load_routing_config(router, json::parse(R"({"queues": [{"id": "a", "members": ["x"]}],
    "agents": [{"id": "x"}]})")).ok());
  REQUIRE(router.login("x", 0).ok());
  CHECK(router.queue_snapshot("a", 0)->agents_logged_in == 1);
  st = load_routing_config(router, json::parse(R"({"agents": [{"id": "x"}]})"));
  REQUIRE(!st.ok());
  CHECK(st.error().message == "$.agents[0].id: agent 'x' already exists");
}

TEST_CASE("more rings than the router can track are refused with the path") {
  json rings = json::array();
  for (int i = 0; i < 33; ++i) rings.push_back(json{{"timeout_seconds", 1}});
  auto q = queue_from_json(json{{"id", "q"}, {"rings", rings}});
  REQUIRE(!q.ok());
  CHECK(q.error().message == "$.rings: at most 32 rings");
  rings.erase(rings.begin());
  CHECK(queue_from_json(json{{"id", "q"}, {"rings", rings}}).ok());
}

TEST_CASE("engine options read from JSON keep what they do not mention") {
  RouterOptions base;
  base.seed = 5;
  base.reoffer_delay_ms = 1000;
  auto o = router_options_from_json(json::parse(R"({"strict_fairness": true,
    "service_level_seconds": 15})"), "$.options", base);
  REQUIRE(o.ok());
  CHECK(o->seed == 5);
  CHECK(o->reoffer_delay_ms == 1000);
  CHECK(o->strict_fairness);
  CHECK(o->default_service_level_ms == 15'000);
  o = router_options_from_json(json::parse(R"({"seed": 18446744073709551615,
    "reoffer_delay_seconds": 2.5})"), "$.options", base);
  REQUIRE(o.ok());
  CHECK(o->seed == 18446744073709551615ull);
  CHECK(o->reoffer_delay_ms == 2500);
}

TEST_CASE("last-agent routing is a queue option in seconds") {
  auto q = queue_from_json(json::parse(R"({"id": "q", "last_agent_wait_seconds": 12.5})"));
  REQUIRE(q.ok());
  CHECK(q->last_agent_wait_ms == 12'500);
  CHECK(queue_from_json(json::parse(R"({"id": "q"})"))->last_agent_wait_ms == 0);
  q = queue_from_json(json::parse(R"({"id": "q", "last_agent_wait_seconds": null})"));
  REQUIRE(!q.ok());
  CHECK(q.error().message == "$.last_agent_wait_seconds: expected a number of seconds");
}
