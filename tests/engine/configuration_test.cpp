// The engine's configuration document: its top level, the "options" object
// that sets the engine up, and the promise that a refused document changes
// nothing.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

std::string error_of(Engine& e, const char* config) {
  auto st = e.load_config(json::parse(config), 0);
  REQUIRE(!st.ok());
  CHECK(st.error().code == Errc::kInvalidArgument);
  return st.error().message;
}

std::string error_of(const char* config) {
  Engine e;
  return error_of(e, config);
}

// The agents rung since the last call, in order; clears the outbox.
std::vector<Command> rings(Engine& e) {
  std::vector<Command> v;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent) v.push_back(c);
  }
  e.commands().clear();
  return v;
}

CallInfo call_to(std::string id, std::string queue) {
  CallInfo c;
  c.call_id = std::move(id);
  c.queue_id = std::move(queue);
  return c;
}

// Who the random strategy picks for 40 calls in a row, each served at once.
std::vector<std::string> random_picks(const char* options) {
  Engine e;
  json config = json::parse(R"({
    "queues": [{"id": "q", "strategy": "random"}],
    "agents": [{"id": "a", "queues": ["q"]}, {"id": "b", "queues": ["q"]},
               {"id": "c", "queues": ["q"]}]})");
  if (options) config["options"] = json::parse(options);
  REQUIRE(e.load_config(config, 0).ok());
  for (const char* id : {"a", "b", "c"}) REQUIRE(e.agent_login(id, 0).ok());
  std::vector<std::string> picks;
  TimeMs now = 1000;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "call" + std::to_string(i);
    REQUIRE(e.call_arrived(call_to(id, "q"), now).ok());
    auto r = rings(e);
    REQUIRE(r.size() == 1);
    picks.push_back(r[0].agent_id);
    REQUIRE(e.agent_answered(r[0].reservation, now).ok());
    REQUIRE(e.agent_hung_up(id, now).ok());
    e.commands().clear();
    now += 1000;
  }
  return picks;
}

}  // namespace

TEST_CASE("an unknown top-level key is refused with the keys the configuration accepts") {
  CHECK(error_of(R"({"queus": []})") ==
        "$.queus: unknown field (expected one of: options, calendars, flows, queues, agents)");
  CHECK(error_of(R"({"queues": [], "option": {}})") ==
        "$.option: unknown field (expected one of: options, calendars, flows, queues, agents)");
}

TEST_CASE("options are checked with their JSON path") {
  CHECK(error_of(R"({"options": {"sead": 4}})") ==
        "$.options.sead: unknown field (expected one of: seed, strict_fairness, "
        "reoffer_delay_seconds, service_level_seconds, host_timeout_seconds, "
        "first_contact_window_hours, store_drain_seconds, expected_calls)");
  CHECK(error_of(R"({"options": []})") == "$.options: expected an object of engine options");
  CHECK(error_of(R"({"options": {"seed": -1}})") ==
        "$.options.seed: expected a non-negative integer");
  CHECK(error_of(R"({"options": {"seed": 1.5}})") ==
        "$.options.seed: expected a non-negative integer");
  CHECK(error_of(R"({"options": {"strict_fairness": "yes"}})") ==
        "$.options.strict_fairness: expected true or false");
  CHECK(error_of(R"({"options": {"reoffer_delay_seconds": -2}})") ==
        "$.options.reoffer_delay_seconds: expected a non-negative number of seconds");
  CHECK(error_of(R"({"options": {"reoffer_delay_seconds": null}})") ==
        "$.options.reoffer_delay_seconds: expected a number of seconds");
  CHECK(error_of(R"({"options": {"service_level_seconds": "20"}})") ==
        "$.options.service_level_seconds: expected a number of seconds");
}

TEST_CASE("expected_calls sizes the engine's tables and changes no decision") {
  const std::pair<const char*, const char*> refused_values[] = {
      {"-1", "must be between 0 and 10000000"},
      {"10000001", "must be between 0 and 10000000"},
      {"2.5", "expected an integer"},
      {R"("5000")", "expected an integer"}};
  for (const auto& [value, why] : refused_values) {
    const std::string config = std::string(R"({"options": {"expected_calls": )") + value + "}}";
    CHECK(error_of(config.c_str()) == std::string("$.options.expected_calls: ") + why);
  }
  // A refused figure leaves the options as they were.
  Engine refused;
  REQUIRE(refused.load_config(json::parse(R"({"options": {"expected_calls": 64}})"), 0).ok());
  CHECK(error_of(refused, R"({"options": {"expected_calls": 1e12}})") ==
        "$.options.expected_calls: expected an integer");
  CHECK(refused.options().expected_calls == 64);
  // Kept by a later document's options that do not name it.
  REQUIRE(refused.load_config(json::parse(R"({"options": {"seed": 3}})"), 0).ok());
  CHECK(refused.options().expected_calls == 64);

  // The same choices with and without it, and with fewer than the calls that come.
  const auto plain = random_picks(R"({"seed": 7})");
  CHECK(random_picks(R"({"seed": 7, "expected_calls": 5000})") == plain);
  CHECK(random_picks(R"({"seed": 7, "expected_calls": 4})") == plain);

  // From EngineOptions at creation too: calls beyond the figure still come in.
  EngineOptions options;
  options.expected_calls = 8;
  Engine e(options);
  REQUIRE(e.load_config(json::parse(R"({"queues": [{"id": "q"}]})"), 0).ok());
  for (int i = 0; i < 100; ++i) {
    REQUIRE(e.call_arrived(call_to("call" + std::to_string(i), "q"), 0).ok());
  }
  for (int i = 0; i < 100; ++i) REQUIRE(e.call_hung_up("call" + std::to_string(i), 1).ok());
  CHECK(e.options().expected_calls == 8);
}

TEST_CASE("the seed option decides the random strategy's choices, the same way every time") {
  const auto seven = random_picks(R"({"seed": 7})");
  CHECK(seven == random_picks(R"({"seed": 7})"));
  CHECK(seven != random_picks(R"({"seed": 8})"));
  CHECK(seven != random_picks(nullptr));  // the default seed is 1
  CHECK(random_picks(R"({"seed": 1})") == random_picks(nullptr));
}

TEST_CASE("the re-offer delay option holds a declined call back from the agent who declined") {
  // One agent: after a decline the call can only come back to them.
  auto first_reoffer_after = [](const char* options) {
    Engine e;
    json config = json::parse(
        R"({"queues": [{"id": "q"}], "agents": [{"id": "a", "queues": ["q"]}]})");
    if (options) config["options"] = json::parse(options);
    REQUIRE(e.load_config(config, 0).ok());
    REQUIRE(e.agent_login("a", 0).ok());
    REQUIRE(e.call_arrived(call_to("c1", "q"), 1000).ok());
    auto r = rings(e);
    REQUIRE(r.size() == 1);
    REQUIRE(e.agent_rejected(r[0].reservation, 2000).ok());
    e.commands().clear();
    for (TimeMs t = 2000; t <= 120'000; t += 500) {
      e.advance(t);
      if (!rings(e).empty()) return t - 2000;
    }
    return DurationMs{-1};
  };
  CHECK(first_reoffer_after(nullptr) == 5000);  // the default
  CHECK(first_reoffer_after(R"({"reoffer_delay_seconds": 30})") == 30'000);
  CHECK(first_reoffer_after(R"({"reoffer_delay_seconds": 0.5})") == 500);
}

TEST_CASE("strict fairness serves the longest-waiting call across an agent's queues") {
  auto first_served = [](const char* options) {
    Engine e;
    json config = json::parse(R"({
      "queues": [{"id": "low"}, {"id": "high", "priority": 5}],
      "agents": [{"id": "a", "queues": ["low", "high"]}]})");
    if (options) config["options"] = json::parse(options);
    REQUIRE(e.load_config(config, 0).ok());
    REQUIRE(e.call_arrived(call_to("old", "low"), 1000).ok());
    REQUIRE(e.call_arrived(call_to("new", "high"), 61'000).ok());
    REQUIRE(e.agent_login("a", 62'000).ok());
    auto r = rings(e);
    REQUIRE(r.size() == 1);
    return r[0].call_id;
  };
  CHECK(first_served(nullptr) == "new");  // the higher queue priority wins
  CHECK(first_served(R"({"strict_fairness": false})") == "new");
  CHECK(first_served(R"({"strict_fairness": true})") == "old");
}

TEST_CASE("the service-level option is the threshold of queues that do not set their own") {
  // One call per queue, answered after 10 s.
  auto within_sl = [](const char* options) {
    Engine e;
    json config = json::parse(R"({
      "queues": [{"id": "plain"}, {"id": "own", "service_level_seconds": 15}],
      "agents": []})");
    if (options) config["options"] = json::parse(options);
    REQUIRE(e.load_config(config, 0).ok());
    metrics::KpiCollector kpi;
    KpiFeed feed(kpi, e.router());
    std::map<std::string, std::int64_t> counts;
    for (const char* q : {"plain", "own"}) {
      REQUIRE(e.add_agent(routing::AgentConfig{std::string("agent-") + q, "", {}, {}, {1, 0, 0},
                                               {q}, routing::AgentRole::kAgent, ""})
                  .ok());
      REQUIRE(e.call_arrived(call_to(std::string("call-") + q, q), 0).ok());
      REQUIRE(e.agent_login(std::string("agent-") + q, 10'000).ok());
      auto r = rings(e);
      REQUIRE(r.size() == 1);
      REQUIRE(e.agent_answered(r[0].reservation, 10'000).ok());
      for (const Notification& n : e.notifications()) feed.on(n);
      e.notifications().clear();
      counts[q] = kpi.queue_total(q).answered_within_sl;
    }
    return counts;
  };
  auto by_default = within_sl(nullptr);  // 20 s
  CHECK(by_default["plain"] == 1);
  CHECK(by_default["own"] == 1);
  auto strict = within_sl(R"({"service_level_seconds": 5})");
  CHECK(strict["plain"] == 0);
  CHECK(strict["own"] == 1);  // its own 15 s still holds
}

TEST_CASE("a refused configuration leaves the engine as it was") {
  Engine e;
  REQUIRE(e.load_config(json::parse(R"({"queues": [{"id": "old"}]})"), 0).ok());
  // Everything is valid but the last agent, which names a queue nobody has.
  const char* config = R"({
    "options": {"seed": 99},
    "calendars": {"hours": {"time_zone": "UTC", "weekly": {"mon": [["08:00", "18:00"]]}}},
    "flows": [{"id": "welcome", "start": "bye",
               "nodes": {"bye": {"type": "hangup"}}}],
    "queues": [{"id": "new"}],
    "agents": [{"id": "a", "queues": ["new"]}, {"id": "b", "queues": ["gone"]}]})";
  CHECK(error_of(e, config) == "$.agents[1].queues[0]: unknown queue 'gone'");
  CHECK(e.router().queue_ids() == std::vector<std::string>{"old"});
  CHECK(e.router().agent_ids().empty());
  CHECK(e.router().options().seed == 1);
  CallInfo c = call_to("c1", "");
  c.flow_id = "welcome";
  CHECK(e.call_arrived(c, 0).error().code == Errc::kNotFound);
  // A queue id taken before is refused the same way, before anything changes.
  CHECK(error_of(e, R"({"queues": [{"id": "fresh"}, {"id": "old"}]})") ==
        "$.queues[1].id: queue 'old' already exists");
  CHECK(e.router().queue_ids() == std::vector<std::string>{"old"});
}

TEST_CASE("a call whose customer was last served by an agent waits for that agent first") {
  Engine e;
  REQUIRE(e.load_config(json::parse(R"({
    "queues": [{"id": "q", "last_agent_wait_seconds": 20}],
    "agents": [{"id": "ann", "queues": ["q"]}, {"id": "bob", "queues": ["q"]}]})"),
                        0)
              .ok());
  REQUIRE(e.agent_login("bob", 0).ok());  // bob is idle the longest
  REQUIRE(e.agent_login("ann", 1000).ok());
  CallInfo c = call_to("c1", "q");
  c.attributes.set("last_agent", "ann");
  REQUIRE(e.call_arrived(c, 2000).ok());
  auto r = rings(e);
  REQUIRE(r.size() == 1);
  CHECK(r[0].agent_id == "ann");

  SUBCASE("and after the wait, anyone") {
    REQUIRE(e.agent_answered(r[0].reservation, 3000).ok());
    CallInfo d = call_to("c2", "q");
    d.attributes.set("last_agent", "ann");
    REQUIRE(e.call_arrived(d, 4000).ok());
    CHECK(rings(e).empty());  // bob is free but not asked yet
    e.advance(23'999);
    CHECK(rings(e).empty());
    e.advance(24'000);
    r = rings(e);
    REQUIRE(r.size() == 1);
    CHECK(r[0].call_id == "c2");
    CHECK(r[0].agent_id == "bob");
  }
}

TEST_CASE("a contact reads the call's attributes, a flow's data over them and the last agent") {
  // Each queue's one ring asks one thing of the contact; ann, in every
  // queue, is rung only when the contact's attributes answer it.
  auto offered = [](const char* flow_data, const char* target, bool with_last_agent) {
    Engine e;
    const json config = {
        {"queues", {{{"id", "q"}, {"rings", {{{"target", target}, {"timeout_seconds", 10}}}}}}},
        {"agents", {{{"id", "ann"}, {"queues", {"q"}}}}},
        {"flows",
         {{{"id", "f"},
           {"start", "n"},
           {"nodes",
            {{"n", {{"type", "queue"}, {"queue", "q"}, {"attributes", json::parse(flow_data)}}}}}}}}};
    REQUIRE(e.load_config(config, 0).ok());
    REQUIRE(e.agent_login("ann", 0).ok());
    CallInfo c = call_to("c1", "");
    c.flow_id = "f";
    expr::Attributes customer;
    customer.set("tier", "gold");
    c.attributes.set("customer", customer);
    c.attributes.set("region", "north");
    if (with_last_agent) c.attributes.set("last_agent", "ann");
    REQUIRE(e.call_arrived(c, 1000).ok());
    return rings(e).size() == 1;
  };
  const char* const topic = R"({"topic": "billing"})";
  // The call's own keys, its customer object and the flow's data, together.
  CHECK(offered(topic,
                "contact.region == \"north\" AND contact.customer.tier == \"gold\" AND "
                "contact.topic == \"billing\" AND contact.customer.last_agent == \"ann\"",
                true));
  // The last agent is added to the customer object, which keeps its keys.
  CHECK(offered("{}", "contact.customer.tier == \"gold\" AND contact.customer.last_agent == \"ann\"",
                true));
  CHECK_FALSE(offered("{}", "contact.customer.last_agent == \"ann\"", false));
  // The flow's data wins over the call's on a shared key.
  CHECK(offered(R"({"region": "south"})", "contact.region == \"south\"", true));
  CHECK(offered(R"({"region": "south"})", "contact.region == \"south\"", false));
  // Text the flow's data puts under "customer" is replaced by an object
  // holding the last agent alone; without a last agent, the text stays.
  CHECK(offered(R"({"customer": "text"})", "contact.customer.last_agent == \"ann\"", true));
  CHECK_FALSE(offered(R"({"customer": "text"})", "contact.customer.tier == \"gold\"", true));
  CHECK(offered(R"({"customer": "text"})", "contact.customer == \"text\"", false));
}

TEST_CASE("a flow's errors carry their path in the configuration document") {
  const std::string message = error_of(R"({"flows": [
    {"id": "ok", "start": "bye", "nodes": {"bye": {"type": "hangup"}}},
    {"id": "bad", "start": "bye", "nodes": {"bye": {"type": "hangup", "colour": "red"}}}]})");
  CHECK(message.rfind("$.flows[1].nodes.bye.colour: unknown field", 0) == 0);
}

TEST_CASE("the example configurations load under the strict rules") {
  auto read = [](const std::string& relative) {
    std::ifstream in(std::string(HOTLINE_SOURCE_DIR) + "/" + relative);
    REQUIRE_MESSAGE(in, relative);
    return json::parse(in);
  };
  {
    // The routing-only example host's configuration.
    Engine e;
    Status st = e.load_config(read("examples/burst/center.json"), 0);
    CHECK_MESSAGE(st.ok(), (st.ok() ? std::string() : st.error().message));
  }
  {
    // The demo's contact center, as the simulator hands it to the engine: its
    // own "simulation" part removed and flow_files read into flows.
    json center = read("examples/center/center.json");
    center.erase("simulation");
    json flows = json::array();
    for (const json& file : center["flow_files"]) {
      flows.push_back(read("examples/center/" + file.get<std::string>()));
    }
    center.erase("flow_files");
    center["flows"] = flows;
    Engine e;
    Status st = e.load_config(center, 0);
    CHECK_MESSAGE(st.ok(), (st.ok() ? std::string() : st.error().message));
    CHECK(!e.router().queue_ids().empty());
  }
}
