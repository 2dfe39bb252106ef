// The call actions and forced states over a real engine and driver, without
// a socket: who may act on which call, and what the engine makes of it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "ops_api.hpp"

using namespace hotline;
using namespace hotline::ops;
using nlohmann::json;

namespace {

const char* kCenter = R"({
  "queues": [{"id": "sales", "wrap_up_seconds": 30}, {"id": "care"}],
  "agents": [{"id": "ann", "name": "Ann", "queues": ["sales"]},
             {"id": "bob", "name": "Bob", "queues": ["sales", "care"]},
             {"id": "sam", "name": "Sam", "role": "supervisor", "queues": []}]})";

constexpr const char* kAnn = "ann-token-0123456789";
constexpr const char* kBob = "bob-token-0123456789";
constexpr const char* kSam = "sam-token-0123456789";
constexpr const char* kNoAgentSupervisor = "lead-token-0123456789";
constexpr const char* kAdmin = "admin-token-0123456789";

const json kTokens = json::array({
    {{"token", kAnn}, {"role", "agent"}, {"agent_id", "ann"}},
    {{"token", kBob}, {"role", "agent"}, {"agent_id", "bob"}},
    {{"token", kSam}, {"role", "supervisor"}, {"agent_id", "sam"}},
    {{"token", kNoAgentSupervisor}, {"role", "supervisor"}},
    {{"token", kAdmin}, {"role", "admin"}},
});

// Hands every notification to the API, as the server does, and keeps it.
struct Forwarder : runtime::NotificationSink {
  void notification(const engine::Notification& n) override {
    if (api) api->observe(n);
    seen.push_back(n);
  }
  void host_error(const runtime::HostError&) override {}
  OpsApi* api = nullptr;
  std::vector<engine::Notification> seen;
};

struct Center {
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};
  CallTimings timings{{5, 10}, {60}};
  Forwarder forwarder;
  Result<AccessTable> tokens = AccessTable::from_json(kTokens, "$.tokens");
  AccessTable& access = tokens.value();
  TimeMs now = 1'000;
  OpsApi api{engine, driver, kpi, timings, access, [this] { return now; },
             [this] { driver.deliver(); }};

  Center() {
    forwarder.api = &api;
    driver.use_sink(&forwarder);
    REQUIRE(engine.load_config(json::parse(kCenter), now).ok());
    for (const char* agent : {"ann", "bob", "sam"}) REQUIRE(engine.agent_login(agent, now).ok());
    driver.deliver();
  }

  HttpResponse post(const std::string& path, const char* token, const json& body) {
    return api.handle(HttpRequest{"POST", path, std::string("Bearer ") + token, body.dump(), {}});
  }
  HttpResponse act(const std::string& call, const char* token, const json& body) {
    return post("/api/v1/calls/" + call + "/actions", token, body);
  }

  // A caller in sales; the router rings ann first (bob is busy or not).
  void arrives(const std::string& id, const std::string& queue = "sales") {
    engine::CallInfo info;
    info.call_id = id;
    info.caller = "+15550100";
    info.queue_id = queue;
    REQUIRE(engine.call_arrived(info, now).ok());
    driver.deliver();
  }

  std::string ringing(const std::string& call) {
    for (const auto& c : driver.waiting_commands()) {
      if (c.kind == engine::Command::Kind::kRingAgent && c.call_id == call) return c.agent_id;
    }
    return {};
  }

  const char* token_of(const std::string& agent) const { return agent == "ann" ? kAnn : kBob; }
  const char* other_than(const std::string& agent) const { return agent == "ann" ? kBob : kAnn; }

  bool supervised(const std::string& action, const std::string& actor) const {
    for (const auto& n : forwarder.seen) {
      if (n.kind == engine::Notification::Kind::kSupervision && n.text == action &&
          n.actor == actor) {
        return true;
      }
    }
    return false;
  }
};

std::string error_of(const HttpResponse& r) { return json::parse(r.body).value("error", ""); }

}  // namespace

TEST_CASE("an agent answers the call ringing them, holds, resumes, hangs up and wraps up") {
  Center c;
  c.arrives("c1");
  const std::string agent = c.ringing("c1");
  REQUIRE(!agent.empty());
  CHECK(c.act("c1", c.other_than(agent), {{"action", "answer"}}).status == 404);
  CHECK(c.act("c1", c.token_of(agent), {{"action", "answer"}}).status == 200);
  CHECK(c.ringing("c1").empty());
  CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kBusy);

  CHECK(c.act("c1", c.other_than(agent), {{"action", "hold"}}).status == 403);
  CHECK(c.act("c1", c.token_of(agent), {{"action", "hold"}}).status == 200);
  const HttpResponse twice = c.act("c1", c.token_of(agent), {{"action", "hold"}});
  CHECK(twice.status == 409);
  CHECK(error_of(twice).find("c1") != std::string::npos);
  CHECK(c.act("c1", c.token_of(agent), {{"action", "resume"}}).status == 200);
  CHECK(c.act("c1", c.token_of(agent), {{"action", "hangup"}}).status == 200);
  CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kWrapUp);
  const HttpResponse coded =
      c.act("c1", c.token_of(agent), {{"action", "wrapup"}, {"code", "refund"}, {"done", true}});
  CHECK(coded.status == 200);
  CHECK(json::parse(coded.body) == json{{"call_id", "c1"}, {"action", "wrapup"}});
  CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kAvailable);
  bool coded_seen = false;
  for (const auto& n : c.forwarder.seen) {
    coded_seen = coded_seen || (n.kind == engine::Notification::Kind::kWrapUpCode &&
                                n.text == "refund" && n.agent_id == agent);
  }
  CHECK(coded_seen);
  // The call is over for the API too: nothing is left to act on.
  CHECK(c.act("c1", c.token_of(agent), {{"action", "hold"}}).status == 404);
}

TEST_CASE("a transfer names exactly one party, and to a queue puts the agent in wrap-up") {
  Center c;
  c.arrives("c2");
  const std::string agent = c.ringing("c2");
  REQUIRE(c.act("c2", c.token_of(agent), {{"action", "answer"}}).status == 200);
  const HttpResponse both = c.act(
      "c2", c.token_of(agent), {{"action", "transfer"}, {"queue_id", "care"}, {"target", "100"}});
  CHECK(both.status == 400);
  CHECK(error_of(both) == "$: give exactly one of queue_id, agent_id, target");
  CHECK(c.act("c2", c.token_of(agent), {{"action", "transfer"}, {"queue_id", "nowhere"}}).status ==
        404);
  CHECK(c.act("c2", c.token_of(agent), {{"action", "transfer"}, {"queue_id", "care"}}).status ==
        200);
  CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kWrapUp);
}

TEST_CASE("a supervisor may take an agent action on any call; an admin too") {
  Center c;
  c.arrives("c3");
  CHECK(c.act("c3", kNoAgentSupervisor, {{"action", "answer"}}).status == 200);
  CHECK(c.act("c3", kAdmin, {{"action", "hold"}}).status == 200);
  CHECK(c.act("c3", kSam, {{"action", "resume"}}).status == 200);
  CHECK(c.act("nope", kSam, {{"action", "hold"}}).status == 404);
}

TEST_CASE("supervisor actions need a supervisor token naming a supervisor agent") {
  Center c;
  c.arrives("c4");
  const std::string agent = c.ringing("c4");
  REQUIRE(c.act("c4", c.token_of(agent), {{"action", "answer"}}).status == 200);
  CHECK(c.act("c4", c.token_of(agent), {{"action", "monitor"}}).status == 403);
  CHECK(c.act("c4", kAdmin, {{"action", "barge"}}).status == 403);
  const HttpResponse anonymous = c.act("c4", kNoAgentSupervisor, {{"action", "whisper"}});
  CHECK(anonymous.status == 403);
  CHECK(error_of(anonymous).find("names no supervisor agent") != std::string::npos);
  CHECK_FALSE(c.supervised("whisper", "sam"));

  CHECK(c.act("c4", kSam, {{"action", "monitor"}}).status == 200);
  CHECK(c.supervised("monitor", "sam"));
  CHECK(c.act("c4", kSam, {{"action", "force_release"}}).status == 200);
  CHECK(c.supervised("force_release", "sam"));
  CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kWrapUp);
}

TEST_CASE("a supervisor forces an agent not ready or out; an agent may not") {
  Center c;
  CHECK(c.post("/api/v1/agents/bob/force", kAnn, {{"state", "not_ready"}, {"reason", "x"}})
            .status == 403);
  CHECK(c.post("/api/v1/agents/bob/force", kNoAgentSupervisor, {{"state", "logout"}}).status ==
        403);
  const HttpResponse forced =
      c.post("/api/v1/agents/bob/force", kSam, {{"state", "not_ready"}, {"reason", "coaching"}});
  CHECK(forced.status == 200);
  CHECK(json::parse(forced.body)["state"] == "not_ready");
  CHECK(json::parse(forced.body)["reason"] == "coaching");
  CHECK(c.supervised("force_not_ready", "sam"));
  CHECK(c.post("/api/v1/agents/bob/force", kSam, {{"state", "logout"}}).status == 200);
  CHECK(c.engine.router().agent_snapshot("bob")->state == routing::AgentState::kLoggedOut);
  CHECK(c.post("/api/v1/agents/bob/force", kSam, {{"state", "logout"}}).status == 409);
  CHECK(c.post("/api/v1/agents/zed/force", kSam, {{"state", "logout"}}).status == 404);
  CHECK(error_of(c.post("/api/v1/agents/ann/force", kSam, {{"state", "not_ready"}})) ==
        "$.reason: not_ready needs a reason code");
  CHECK(error_of(c.post("/api/v1/agents/ann/force", kSam, {{"state", "away"}, {"why", 1}})) ==
        "$.why: unknown field (expected one of: state, reason)");
}

TEST_CASE("a malformed action is refused with its path before anything is checked or done") {
  Center c;
  c.arrives("c5");
  const std::string agent = c.ringing("c5");
  REQUIRE(c.act("c5", c.token_of(agent), {{"action", "answer"}}).status == 200);
  const char* token = c.token_of(agent);
  CHECK(error_of(c.act("c5", token, {{"action", "dance"}})).find("$.action: must be one of "
                                                                 "answer, hangup,") == 0);
  CHECK(error_of(c.act("c5", token, json::object())).find("$.action: required") == 0);
  CHECK(error_of(c.act("c5", token, {{"action", "hold"}, {"queue_id", "care"}})) ==
        "$.queue_id: unknown field (expected one of: action)");
  CHECK(error_of(c.act("c5", token, {{"action", "transfer"}, {"why", 1}})) ==
        "$.why: unknown field (expected one of: action, queue_id, agent_id, target)");
  CHECK(error_of(c.act("c5", token, {{"action", "wrapup"}, {"code", 5}})) ==
        "$.code: must be a non-empty string");
  const HttpResponse not_json = c.api.handle(HttpRequest{
      "POST", "/api/v1/calls/c5/actions", std::string("Bearer ") + token, "{", {}});
  CHECK(not_json.status == 400);
  CHECK(json::parse(not_json.body)["path"] == "$");
  CHECK(c.api.handle(HttpRequest{"GET", "/api/v1/calls/c5/actions", std::string("Bearer ") + token,
                                 "", {}})
            .status == 405);
  CHECK(c.api.handle(HttpRequest{"POST", "/api/v1/calls/c5/actions", "", "{}", {}}).status == 401);
  CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kBusy);
}

TEST_CASE("ownership follows a supervisor's take-over: the agent may no longer act") {
  Center c;
  c.arrives("c6");
  const std::string agent = c.ringing("c6");
  REQUIRE(c.act("c6", c.token_of(agent), {{"action", "answer"}}).status == 200);
  REQUIRE(c.act("c6", kSam, {{"action", "take_over"}}).status == 200);
  // The engine dialled the supervisor; the take-over happens when their leg answers.
  REQUIRE(c.engine.leg_answered("c6", "sam", c.now).ok());
  c.driver.deliver();
  CHECK(c.act("c6", c.token_of(agent), {{"action", "hold"}}).status == 403);
  CHECK(c.act("c6", kSam, {{"action", "hold"}}).status == 200);
  CHECK(c.act("c6", kSam, {{"action", "resume"}}).status == 200);
  CHECK(c.act("c6", kSam, {{"action", "hangup"}}).status == 200);
  // The supervisor has no wrap-up: the call is forgotten when it ends.
  CHECK(c.act("c6", c.token_of(agent), {{"action", "hold"}}).status == 404);
}

TEST_CASE("answering the last of several waiting rings consumes that ring and keeps the others") {
  for (const char* answerer : {"admin", "agent"}) {
    CAPTURE(answerer);
    Center c;
    for (const char* id : {"w1", "w2", "w3"}) c.arrives(id, "sales");
    for (const char* id : {"w4", "w5", "w6"}) c.arrives(id, "care");
    // A deque: each ring sits in its own block, so the rings are not one array.
    auto& waiting = c.driver.waiting_commands();
    REQUIRE(waiting.size() >= 2);
    std::vector<std::string> ringing_calls;
    for (const auto& cmd : waiting) {
      if (cmd.kind == engine::Command::Kind::kRingAgent) ringing_calls.push_back(cmd.call_id);
    }
    REQUIRE(ringing_calls.size() == 2);
    const std::string last = ringing_calls.back();
    const std::string first = ringing_calls.front();
    const std::string agent = c.ringing(last);
    const std::size_t before = waiting.size();

    const char* token = std::string(answerer) == "admin" ? kAdmin : c.token_of(agent);
    CHECK(c.act(last, token, {{"action", "answer"}}).status == 200);
    CHECK(c.ringing(last).empty());
    CHECK_FALSE(c.ringing(first).empty());
    CHECK(c.engine.router().agent_snapshot(agent)->state == routing::AgentState::kBusy);
    CHECK(c.driver.waiting_commands().size() >= before - 1);
  }
}

TEST_CASE("a refused answer leaves the ring waiting") {
  Center c;
  c.arrives("r1");
  const std::string agent = c.ringing("r1");
  REQUIRE(!agent.empty());
  // The caller leaves while the agent's phone rings: the engine refuses the answer.
  REQUIRE(c.engine.call_hung_up("r1", c.now).ok());
  const HttpResponse refused = c.act("r1", c.token_of(agent), {{"action", "answer"}});
  CHECK(refused.status != 200);
  CHECK(c.ringing("r1") == agent);
}
