// A configuration read as its text streams in (its agents read aside) must
// give what parsing the text and loading the document gives: the same
// agents, and the same refusal, with the same JSON path, for the same text.
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/routing/config_json.hpp"
#include "hotline/routing/config_text.hpp"
#include "router_fixture.hpp"
#include "routing/config_text_readers.hpp"

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

TEST_CASE("a configuration nested without end is refused, not read until the stack runs out") {
  // 100,000 levels under a key crashed the process: the event reader built
  // them, and the copies and destruction after it recursed through them.
  PreparsedAgents agents;
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  for (const std::string& text : {R"({"options": {"seed": )" + deep + "}}",
                                  R"({"agents": [{"id": "a", "attributes": {"x": )" + deep + "}}]}",
                                  deep}) {
    auto document = read_config_text(text, agents);
    REQUIRE(!document.ok());
    CHECK(document.error().code == Errc::kInvalidArgument);
    CHECK(document.error().message.find("nested deeper than 64 levels") != std::string::npos);
    CHECK(agents.agents.empty());
  }
  CHECK(read_config_text(R"({"options": {"seed": )" + deep + "}}", agents).error().message ==
        "$.options: nested deeper than 64 levels");
  CHECK(read_config_text(deep, agents).error().message == "$: nested deeper than 64 levels");
  // 64 levels are read, by either reader, to the same document.
  const std::string at_limit =
      R"({"x": )" + std::string(63, '[') + "1" + std::string(63, ']') + "}";
  auto document = read_config_text(at_limit, agents);
  REQUIRE(document.ok());
  CHECK(*document == json::parse(at_limit));
  auto streamed = read_config_text_events(at_limit, agents);
  REQUIRE(streamed.ok());
  CHECK(*streamed == json::parse(at_limit));
  const std::string past_limit =
      R"({"x": )" + std::string(64, '[') + "1" + std::string(64, ']') + "}";
  CHECK(!read_config_text(past_limit, agents).ok());
  CHECK(!read_config_text_simd(past_limit, agents).has_value());
}

namespace {

// Equal as documents and in every value's type: nlohmann compares 5 and 5u
// as equal, but the loaders tell signed from unsigned integers apart.
bool same_document(const json& a, const json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !same_document(*it, *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_document(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

TEST_CASE("the simdjson reader gives what the event reader gives, or leaves the text to it") {
  struct Case {
    std::string text;
    bool simd;  // read by simdjson, not left to the events
  };
  const std::vector<Case> cases = {
      // Agents read from their elements: every field, in any order.
      {R"({"queues": [{"id": "q"}], "agents": [
          {"number": "+4930", "role": "supervisor", "queues": ["q"], "id": "a",
           "skills": {"z": 1, "b": 1000, "m": 0}, "capacity": {"task": 2, "voice": 0,
           "chat": 3, "email": 1000}, "name": "Ann"},
          {"id": "b", "skills": ["x", "x", "y"], "role": "agent", "number": ""},
          {"id": "c", "role": "", "queues": [], "skills": {}, "capacity": {}},
          {"id": "d\"e\\f\n\u00e9\ud83d\ude00", "name": "\u0041"}]})",
       true},
      // Attributes of every kind, a repeated key among them.
      {R"({"agents": [{"id": "a", "attributes": {"n": -3, "u": 18446744073709551615,
          "big": 9223372036854775808, "f": 1.5e3, "g": -0.0, "h": 1e-400, "b": true,
          "z": null, "s": "x", "e": "", "l": [1, "x", true, null, 2.5, {"k": [1, "y"]}, ""],
          "o": {"p": {"q": "r"}}, "el": [], "eo": {}, "dup": 1, "dup": "two"}}]})",
       true},
      // An element the reader leaves to agent_from_json, accepted or refused.
      {R"({"agents": [{"id": "a"}, {"id": "b", "id": "c"}, {"id": "d"}]})", true},
      {R"({"agents": [{"id": "a", "skills": {"x": 1, "x": 5}}]})", true},
      {R"({"agents": [{"id": "a", "skills": {"x": 1.0}}]})", true},
      {R"({"agents": [{"id": "a", "skills": {"x": 1001}}, {"id": ""}]})", true},
      {R"({"agents": [{"id": "a", "skills": {"x": -1}}]})", true},
      {R"({"agents": [{"id": "a", "skills": {"x": 9223372036854775808}}]})", true},
      {R"({"agents": [{"id": "a", "skills": [1]}]})", true},
      {R"({"agents": [{"id": "a", "capacity": {"voice": 1, "fax": 2}}]})", true},
      {R"({"agents": [{"id": "a", "capacity": {"voice": 1, "voice": 2000}}]})", true},
      {R"({"agents": [{"id": "a", "capacity": []}]})", true},
      {R"({"agents": [{"id": "a", "queues": ["q", 1]}]})", true},
      {R"({"agents": [{"id": "a", "queues": "q"}]})", true},
      {R"({"agents": [{"id": "a", "role": "boss"}]})", true},
      {R"({"agents": [{"id": "a", "role": 1}]})", true},
      {R"({"agents": [{"id": "a", "name": 5}]})", true},
      {R"({"agents": [{"id": "a", "number": null}]})", true},
      {R"({"agents": [{"id": "a", "attributes": {"l": [[1]]}}]})", true},
      {R"({"agents": [{"id": "a", "attributes": []}]})", true},
      {R"({"agents": [{"id": "a", "attributes": {"x": {"y": [[]]}, "w": []}}]})", true},
      {R"({"agents": [{"id": "a", "attributes": )" + std::string(40, '[') + "1" +
           std::string(40, ']') + "}]}",
       true},
      {R"({"agents": [{"id": "a", "attributes": {"o":)" + [] {
         std::string deep;
         for (int i = 0; i < 40; ++i) deep += R"({"o":)";
         return deep + "1" + std::string(41, '}') + "}]}";
       }(),
       true},
      {R"({"agents": [null, true, "a", 1, 1.5, [], {}]})", true},
      // The rest of the document, repeated keys and "agents" that is not an array.
      {R"({"options": {"seed": 18446744073709551615, "x": [-1, 0, 1, -2.5, "s", null, false]},
          "queues": [{"id": "q", "priority": -5, "max_wait_seconds": 1e2}], "flows": [],
          "queues": [], "agents": 5, "agents": [{"id": "a"}]})",
       true},
      {R"({"agents": [{"id": "a"}], "agents": null})", true},
      {R"({"agents": {"id": "a"}})", true},
      {"[1, 2]", true},
      {"\"text\"", true},
      {"null", true},
      {"{}", true},
      {" \t\r\n{\"agents\" : [ ] } \n", true},
      // "-0" inside a word, and numbers that only start with it.
      {R"({"agents": [{"id": "team-0", "attributes": {"a": -0.5, "b": -0e1, "c": -01}}]})",
       false},
      {R"({"agents": [{"id": "team-0", "attributes": {"a": -0.5, "b": -0e1, "c": -10}}]})",
       true},
      // Left to the events: "-0" (or what may be one), numbers beyond 64 bits,
      // nesting beyond simdjson's depth, and text that is not JSON.
      {R"({"options": {"seed": -0}})", false},
      {R"({"x": [1,-0]})", false},
      {"-0", false},
      {R"({"agents": [{"id": "a", "name": "b, -0"}]})", false},
      {R"({"x": 123456789012345678901234567890})", false},
      {R"({"x": -9223372036854775809})", false},
      {R"({"x": )" + std::string(2000, '[') + std::string(2000, ']') + "}", false},
      {R"({"agents": [{"id": "a"}, {"id": "b",}]})", false},
      {"{\"agents\": [{\"id\": \"\xff\"}]}", false},
      {"{\"agents\": [{\"id\": \"a\tb\"}]}", false},
      {R"({"agents": [{"id": "\udc00"}]})", false},
      {R"({"x": 1e400})", false},
      {"", false},
      {R"({"agents": []} trailing)", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    PreparsedAgents by_simd;
    PreparsedAgents by_events;
    const auto simd = read_config_text_simd(c.text, by_simd);
    const auto events = read_config_text_events(c.text, by_events);
    CHECK(simd.has_value() == c.simd);
    if (!simd) {
      // The public reader gives the events' outcome, refusal wording and all.
      PreparsedAgents agents;
      const auto read = read_config_text(c.text, agents);
      REQUIRE(read.ok() == events.ok());
      if (read.ok()) {
        CHECK(same_document(*read, *events));
        CHECK(agents.agents.size() == by_events.agents.size());
      } else {
        CHECK(read.error().message == events.error().message);
      }
      continue;
    }
    REQUIRE(events.ok());
    CHECK(same_document(*simd, *events));
    CHECK(by_simd.read == by_events.read);
    REQUIRE(by_simd.agents.size() == by_events.agents.size());
    for (std::size_t i = 0; i < by_simd.agents.size(); ++i) {
      check_same_agent(by_simd.agents[i], by_events.agents[i]);
    }
    REQUIRE(by_simd.error.has_value() == by_events.error.has_value());
    if (by_simd.error) {
      CHECK(by_simd.error->code == by_events.error->code);
      CHECK(by_simd.error->message == by_events.error->message);
    }
  }
}

TEST_CASE("an integer written -0 keeps its sign, as json::parse reads it") {
  PreparsedAgents agents;
  auto document = read_config_text(R"({"options": {"seed": -0, "other": 0}})", agents);
  REQUIRE(document.ok());
  CHECK(!(*document)["options"]["seed"].is_number_unsigned());
  CHECK((*document)["options"]["seed"].is_number_integer());
  CHECK((*document)["options"]["other"].is_number_unsigned());
}

TEST_CASE("an agent's targets see its configured skills, not an attribute named skills") {
  // The view under agent.skills is built from the skills alone: a "skills"
  // attribute, object or not, is replaced, never merged into.
  testing::Harness h;
  QueueConfig q = testing::queue("q");
  q.rings.push_back(Ring{testing::compile("agent.skills.billing >= 1 OR agent.skills.legal >= 1"),
                         1, kNever});
  h.add(q);
  AgentConfig claimed = testing::agent("claimed", {"q"}, {{"sales", 3}});
  claimed.attributes.object_at("skills").set("billing", 5);
  claimed.attributes.object_at("skills").set("legal", 5);
  h.add(claimed);
  AgentConfig listed = testing::agent("listed", {"q"}, {{"legal", 2}});
  listed.attributes.set("skills", "billing");
  h.add(listed);
  h.login("claimed");
  h.enqueue(testing::contact("q"));
  CHECK(h.offers().empty());  // its attribute does not make it a billing agent
  h.login("listed");
  CHECK(h.offered_agent() == "listed");
}

TEST_CASE("an agent's targets see its own id and name over attributes of those names, and a skill given twice at its later level") {
  testing::Harness h;
  QueueConfig q = testing::queue("q");
  q.rings.push_back(Ring{testing::compile("agent.id == 'a1' AND agent.name == 'Ann' AND "
                                          "agent.languages HAS 'de' AND agent.skills.x >= 3"),
                         1, kNever});
  h.add(q);
  AgentConfig impostor = testing::agent("b1", {"q"}, {{"x", 3}});
  impostor.name = "Bob";
  impostor.attributes.set("id", "a1");
  impostor.attributes.set("name", "Ann");
  impostor.attributes.set("languages", std::vector<std::string>{"de"});
  h.add(impostor);
  AgentConfig lower_last = testing::agent("a1", {"q"}, {{"x", 3}, {"x", 2}});
  lower_last.name = "Ann";
  lower_last.attributes.set("languages", std::vector<std::string>{"de"});
  h.add(lower_last);
  h.login("b1");
  h.login("a1");
  h.enqueue(testing::contact("q"));
  CHECK(h.offers().empty());  // b1 only claims the id; a1's skill x ends at level 2
  AgentConfig higher_last = testing::agent("a1", {"q"}, {{"x", 2}, {"x", 3}});
  higher_last.name = "Ann";
  higher_last.attributes.set("id", "b1");
  higher_last.attributes.set("languages", std::vector<std::string>{"en", "de"});
  REQUIRE(h.router.update_agent(higher_last, h.now).ok());
  CHECK(h.offered_agent() == "a1");
}

TEST_CASE("an agent read without a document is the one agent_from_json reads, or left to it") {
  // Agents generated from the fields agent_from_json knows, each value drawn
  // from what it accepts and what it refuses, with now and then an unknown
  // or repeated key: whatever the reader without a document takes must be
  // what agent_from_json gives, and whatever agent_from_json refuses it must
  // leave alone. Plain agents, the shape of nearly every configuration, must
  // not be left over.
  std::mt19937_64 rng(11);
  auto pick = [&](std::initializer_list<const char*> values) {
    return std::string(*(values.begin() + rng() % values.size()));
  };
  const auto value_of = [&](int field) -> std::string {
    switch (field) {
      case 0: return pick({R"("a1")", R"("")", "7", R"("ünï")", "null", R"(["a"])"});
      case 1: return pick({R"("Ann")", R"("")", "3", "false"});
      case 2:
        return pick({R"({"billing": 3})", R"({"b": 0, "a": 1000})", R"(["x", "y"])", R"({"b": 1001})",
                     R"({"b": -1})", R"({"b": 2.5})", R"({"b": 2e0})", R"(["x", 1])", "{}", "[]",
                     R"("billing")"});
      case 3:
        return pick({R"({"languages": ["en", "de"]})", R"({"site": {"city": "B", "n": [1, true, null]}})",
                     R"({"x": 18446744073709551615})", R"({"x": -3.5, "y": null})", R"([1])",
                     R"({"l": [[1]]})", R"({"l": [{"k": 1}]})",
                     R"({"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": 1}}}}}}}})", "{}"});
      case 4:
        return pick({R"({"voice": 1, "chat": 3})", R"({"fax": 1})", R"({"voice": 1001})",
                     R"({"email": 0})", R"({"task": -1})", R"({"voice": 1.5})", "[]"});
      case 5: return pick({R"(["q1", "q2"])", "[]", R"(["q1", 2])", R"("q1")", R"([""])"});
      case 6: return pick({R"("agent")", R"("supervisor")", R"("")", R"("boss")", "1"});
      default: return pick({R"("+4930123")", R"("")", "4930123"});
    }
  };
  static const char* const kNames[] = {"id",       "name",   "skills", "attributes",
                                       "capacity", "queues", "role",   "number"};
  int fast = 0, plain = 0;
  for (int n = 0; n < 4000; ++n) {
    // One agent in five is plain: an id, skills, attributes and queues that
    // agent_from_json takes as they are.
    const bool is_plain = n % 5 == 0;
    std::string text = "{";
    auto add = [&](const std::string& key, const std::string& value) {
      text += (text.size() > 1 ? ", \"" : "\"") + key + "\": " + value;
    };
    if (is_plain) {
      add("id", "\"agent" + std::to_string(n) + "\"");
      add("skills", R"({"s1": 3})");
      add("attributes", R"({"languages": ["zh", "en"]})");
      add("queues", R"(["q1", "q2"])");
    } else {
      for (int field = 0; field < 8; ++field) {
        if (rng() % 3 == 0) continue;
        add(kNames[field], value_of(field));
        if (rng() % 25 == 0) add(kNames[field], value_of(field));  // repeated
      }
      if (rng() % 20 == 0) add("shift", R"("early")");  // unknown
    }
    text += "}";
    CAPTURE(text);
    const auto quick = read_plain_agent_simd(text);
    const auto full = agent_from_json(json::parse(text), "$.agents[0]");
    if (quick) {
      ++fast;
      REQUIRE_MESSAGE(full.ok(), full.error().message);
      check_same_agent(*quick, *full);
    }
    if (!full.ok()) CHECK_FALSE(quick.has_value());
    if (is_plain) plain += quick.has_value();
  }
  CHECK(plain == 800);  // every plain agent took the quick way
  CHECK(fast > plain);  // and so did varied others, so those were compared too
}
