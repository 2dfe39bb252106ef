// The routes, the histograms and the event audience over a real engine and
// driver, without a socket: a call goes through the engine and the server's
// parts see what a live server would.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "center_metrics.hpp"
#include "event_audience.hpp"
#include "notification_json.hpp"
#include "ops_api.hpp"

using namespace hotline;
using namespace hotline::ops;
using nlohmann::json;

namespace {

const char* kCenter = R"({
  "queues": [{"id": "sales", "wrap_up_seconds": 5, "service_level_seconds": 10}],
  "agents": [{"id": "ann", "name": "Ann", "queues": ["sales"]},
             {"id": "bob", "name": "Bob", "queues": ["sales"]},
             {"id": "sam", "name": "Sam", "role": "supervisor", "queues": []}]})";

const json kTokens = json::array({
    {{"token", "ann-token-0123456789"}, {"role", "agent"}, {"agent_id", "ann"}},
    {{"token", "bob-token-0123456789"}, {"role", "agent"}, {"agent_id", "bob"}},
    {{"token", "supervisor-token-0123"}, {"role", "supervisor"}},
});

// Keeps every notification, and feeds the histograms as the server does.
struct Recorder : runtime::NotificationSink {
  explicit Recorder(CallTimings& t) : timings(t) {}
  void notification(const engine::Notification& n) override {
    timings.observe(n);
    seen.push_back(n);
  }
  void host_error(const runtime::HostError&) override {}
  CallTimings& timings;
  std::vector<engine::Notification> seen;
};

struct Center {
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};
  CallTimings timings{{5, 10, 30}, {60, 120}};
  Recorder recorder{timings};
  // Kept as the Result it is read from: GCC 12 at -O2 mistakes the inlined
  // destruction of a temporary Result's error alternative for freeing a
  // non-heap object (-Wfree-nonheap-object).
  Result<AccessTable> tokens = AccessTable::from_json(kTokens, "$.tokens");
  AccessTable& access = tokens.value();
  TimeMs now = 1'000;
  OpsApi api{engine, driver, kpi, timings, access, [this] { return now; },
             [this] { driver.deliver(); }};

  Center() {
    driver.use_sink(&recorder);
    REQUIRE(engine.load_config(json::parse(kCenter), now).ok());
    driver.deliver();
  }

  HttpResponse call(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& body = {}) {
    return api.handle(HttpRequest{method, path, token.empty() ? "" : "Bearer " + token, body, {}});
  }

  EventAudience audience() {
    return EventAudience([this](std::string_view agent_id) { return api.is_supervisor(agent_id); });
  }

  // The reservation of the ring_agent command waiting for `agent`.
  std::uint64_t ringing(const std::string& agent) {
    for (const auto& c : driver.waiting_commands()) {
      if (c.kind == engine::Command::Kind::kRingAgent && c.agent_id == agent) return c.reservation;
    }
    FAIL("no ring_agent for " << agent);
    return 0;
  }

  // A caller waits `wait_ms` in sales, ann talks `talk_ms`, then her 5 s wrap-up.
  void answered_call(const std::string& id, DurationMs wait_ms, DurationMs talk_ms) {
    engine::CallInfo info;
    info.call_id = id;
    info.caller = "+15550100";
    info.queue_id = "sales";
    REQUIRE(engine.call_arrived(info, now).ok());
    driver.deliver();
    now += wait_ms;
    REQUIRE(engine.agent_answered(ringing("ann"), now).ok());
    driver.waiting_commands().clear();
    driver.deliver();
    now += talk_ms;
    REQUIRE(engine.agent_hung_up(id, now).ok());
    driver.deliver();
    now += 5'000;
    engine.advance(now);
    driver.deliver();
    driver.waiting_commands().clear();
  }
};

}  // namespace

TEST_CASE("routes check the token before anything else, then the role") {
  Center c;
  CHECK(c.call("GET", "/api/v1/queues", "").status == 401);
  CHECK(c.call("GET", "/no/such/route", "").status == 401);
  CHECK(c.call("GET", "/no/such/route", "ann-token-0123456789").status == 404);
  CHECK(c.call("DELETE", "/api/v1/agents", "ann-token-0123456789").status == 405);
  CHECK(c.call("GET", "/metrics", "ann-token-0123456789").status == 403);
  CHECK(c.call("GET", "/metrics", "supervisor-token-0123").status == 200);
  CHECK(c.call("POST", "/api/v1/agents/bob/state", "ann-token-0123456789",
               R"({"state": "login"})").status == 403);
  CHECK(c.engine.router().agent_snapshot("bob")->state == routing::AgentState::kLoggedOut);
  const HttpResponse own =
      c.call("POST", "/api/v1/agents/ann/state", "ann-token-0123456789", R"({"state": "login"})");
  CHECK(own.status == 200);
  CHECK(json::parse(own.body)["state"] == "available");
  CHECK(c.call("POST", "/api/v1/agents/bob/state", "supervisor-token-0123",
               R"({"state": "login"})").status == 200);
  CHECK(c.call("POST", "/api/v1/agents/bob/state/extra", "supervisor-token-0123",
               R"({"state": "login"})").status == 404);
}

TEST_CASE("a refused state change leaves the agent as they were") {
  Center c;
  const HttpResponse refused =
      c.call("POST", "/api/v1/agents/ann/state", "ann-token-0123456789", R"({"state": "ready"})");
  CHECK(refused.status == 409);
  CHECK(c.engine.router().agent_snapshot("ann")->state == routing::AgentState::kLoggedOut);
  const HttpResponse bad_utf8 = c.call("POST", "/api/v1/agents/ann/state", "ann-token-0123456789",
                                       "{\"state\": \"not_ready\", \"reason\": \"\xff\"}");
  CHECK(bad_utf8.status == 400);
}

TEST_CASE("an answered call's wait and handle time land in its queue's histograms") {
  Center c;
  REQUIRE(c.call("POST", "/api/v1/agents/ann/state", "ann-token-0123456789",
                 R"({"state": "login"})").status == 200);
  c.answered_call("call-1", 7'000, 60'000);
  const QueueTimings& sales = c.timings.queues().at("sales");
  CHECK(sales.wait_seconds.count() == 1);
  CHECK(sales.wait_seconds.sum() == doctest::Approx(7.0));
  CHECK(sales.wait_seconds.cumulative_count(0) == 0);  // not within 5 s
  CHECK(sales.wait_seconds.cumulative_count(1) == 1);  // within 10 s
  CHECK(sales.handle_seconds.count() == 1);
  CHECK(sales.handle_seconds.sum() == doctest::Approx(65.0));  // talk and wrap-up
  CHECK(c.timings.followed() == 0);

  const HttpResponse metrics = c.call("GET", "/metrics", "supervisor-token-0123");
  REQUIRE(metrics.status == 200);
  const std::string& text = metrics.body;
  CHECK(text.find("hotline_queue_offered_total{queue=\"sales\"} 1\n") != std::string::npos);
  CHECK(text.find("hotline_queue_answered_total{queue=\"sales\"} 1\n") != std::string::npos);
  CHECK(text.find("hotline_queue_answered_within_threshold_total{queue=\"sales\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("hotline_queue_wait_seconds_bucket{queue=\"sales\",le=\"10\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("hotline_queue_handle_seconds_bucket{queue=\"sales\",le=\"60\"} 0\n") !=
        std::string::npos);
  CHECK(text.find("hotline_queue_agents{queue=\"sales\",state=\"available\"} 1\n") !=
        std::string::npos);
}

TEST_CASE("an agent's stream has their calls, even the events that name no agent") {
  Center c;
  REQUIRE(c.call("POST", "/api/v1/agents/ann/state", "supervisor-token-0123",
                 R"({"state": "login"})").status == 200);
  REQUIRE(c.call("POST", "/api/v1/agents/bob/state", "supervisor-token-0123",
                 R"({"state": "login"})").status == 200);
  REQUIRE(c.call("POST", "/api/v1/agents/bob/state", "supervisor-token-0123",
                 R"({"state": "not_ready", "reason": "training"})").status == 200);
  c.answered_call("call-7", 2'000, 30'000);

  EventAudience audience = c.audience();
  const Principal ann{Role::kAgent, "ann"};
  const Principal bob{Role::kAgent, "bob"};
  const Principal supervisor{Role::kSupervisor, ""};
  std::vector<json> for_ann;
  std::vector<json> for_bob;
  std::size_t for_supervisor = 0;
  for (const auto& n : c.recorder.seen) {
    audience.observe(n);
    if (audience.visible_to(ann, n)) for_ann.push_back(notification_json(n));
    if (audience.visible_to(bob, n)) for_bob.push_back(notification_json(n));
    if (audience.visible_to(supervisor, n)) ++for_supervisor;
    audience.settle(n);
  }
  CHECK(for_supervisor == c.recorder.seen.size());
  auto has = [](const std::vector<json>& events, const json& wanted) {
    return std::any_of(events.begin(), events.end(), [&](const json& e) {
      return std::all_of(wanted.items().begin(), wanted.items().end(),
                         [&](const auto& kv) { return e.value(kv.key(), json()) == kv.value(); });
    });
  };
  CHECK(has(for_ann, {{"kind", "call_ended"}, {"call_id", "call-7"}}));
  CHECK(has(for_ann, {{"event", "offer_accepted"}, {"agent_id", "ann"}}));
  CHECK_FALSE(has(for_bob, {{"call_id", "call-7"}}));
  CHECK(has(for_bob, {{"event", "agent_state_changed"}, {"to", "not_ready"}}));
  CHECK_FALSE(has(for_bob, {{"agent_id", "ann"}}));
  CHECK(audience.calls_followed() == 0);  // the ended call is forgotten
}

TEST_CASE("an agent's stream does not say a supervisor listens in, a supervisor's does") {
  Center c;
  REQUIRE(c.call("POST", "/api/v1/agents/ann/state", "supervisor-token-0123",
                 R"({"state": "login"})").status == 200);
  engine::CallInfo info;
  info.call_id = "call-9";
  info.caller = "+15550100";
  info.queue_id = "sales";
  REQUIRE(c.engine.call_arrived(info, c.now).ok());
  c.driver.deliver();
  c.now += 1'000;
  REQUIRE(c.engine.agent_answered(c.ringing("ann"), c.now).ok());
  c.driver.deliver();
  c.now += 1'000;
  // sam is dialled, answers, and listens; then whispers; then forces bob not ready.
  REQUIRE(c.engine.supervise("call-9", "sam", "monitor", "", c.now).ok());
  c.driver.deliver();
  REQUIRE(c.engine.leg_answered("call-9", "sam", c.now).ok());
  c.driver.deliver();
  REQUIRE(c.engine.supervise("call-9", "sam", "whisper", "", c.now).ok());
  c.driver.deliver();
  REQUIRE(c.call("POST", "/api/v1/agents/bob/state", "supervisor-token-0123",
                 R"({"state": "login"})").status == 200);
  REQUIRE(c.engine.force_not_ready("bob", "sam", "", c.now).ok());
  c.driver.deliver();
  REQUIRE(c.engine.supervise("call-9", "sam", "barge", "", c.now).ok());
  c.driver.deliver();

  EventAudience audience = c.audience();
  const Principal ann{Role::kAgent, "ann"};
  const Principal bob{Role::kAgent, "bob"};
  const Principal supervisor{Role::kSupervisor, ""};
  std::vector<json> for_ann;
  std::vector<json> for_bob;
  std::vector<json> for_supervisor;
  for (const auto& n : c.recorder.seen) {
    audience.observe(n);
    if (audience.visible_to(ann, n)) for_ann.push_back(notification_json(n));
    if (audience.visible_to(bob, n)) for_bob.push_back(notification_json(n));
    if (audience.visible_to(supervisor, n)) for_supervisor.push_back(notification_json(n));
    audience.settle(n);
  }
  auto count = [](const std::vector<json>& events, const json& wanted) {
    return std::count_if(events.begin(), events.end(), [&](const json& e) {
      return std::all_of(wanted.items().begin(), wanted.items().end(),
                         [&](const auto& kv) { return e.value(kv.key(), json()) == kv.value(); });
    });
  };
  const json monitor = {{"kind", "supervision"}, {"text", "monitor"}};
  const json whisper = {{"kind", "supervision"}, {"text", "whisper"}};
  const json sam_joined = {{"kind", "leg"}, {"call_id", "call-9"}, {"text", "sam"}};
  CHECK(count(for_supervisor, monitor) == 1);
  CHECK(count(for_supervisor, whisper) == 1);
  CHECK(count(for_supervisor, sam_joined) == 1);
  CHECK(count(for_ann, monitor) == 0);
  CHECK(count(for_ann, whisper) == 0);
  CHECK(count(for_ann, sam_joined) == 0);
  CHECK(count(for_ann, {{"kind", "conversation"}, {"call_id", "call-9"}}) > 0);
  // A barge is heard anyway; what was forced on bob is told to bob alone.
  CHECK(count(for_ann, {{"kind", "supervision"}, {"text", "barge"}}) == 1);
  const json forced = {{"kind", "supervision"}, {"text", "force_not_ready"}};
  CHECK(count(for_bob, forced) == 1);
  CHECK(count(for_ann, forced) == 0);
}

TEST_CASE("an agent's stream does not show a supervisor's leg named by their phone number") {
  Center c;
  REQUIRE(c.call("POST", "/api/v1/agents/ann/state", "supervisor-token-0123",
                 R"({"state": "login"})").status == 200);
  engine::CallInfo info;
  info.call_id = "call-11";
  info.caller = "+15550100";
  info.queue_id = "sales";
  REQUIRE(c.engine.call_arrived(info, c.now).ok());
  c.driver.deliver();
  c.now += 1'000;
  REQUIRE(c.engine.agent_answered(c.ringing("ann"), c.now).ok());
  c.driver.deliver();
  c.now += 1'000;
  // sam called in from a mobile: the host names the leg by that number.
  REQUIRE(c.engine.supervise("call-11", "sam", "monitor", "+4915100000", c.now).ok());
  c.driver.deliver();

  EventAudience audience = c.audience();
  const Principal ann{Role::kAgent, "ann"};
  const Principal supervisor{Role::kSupervisor, ""};
  std::vector<json> for_ann;
  std::vector<json> for_supervisor;
  for (const auto& n : c.recorder.seen) {
    audience.observe(n);
    if (audience.visible_to(ann, n)) for_ann.push_back(notification_json(n));
    if (audience.visible_to(supervisor, n)) for_supervisor.push_back(notification_json(n));
    audience.settle(n);
  }
  auto count = [](const std::vector<json>& events, const json& wanted) {
    return std::count_if(events.begin(), events.end(), [&](const json& e) {
      return std::all_of(wanted.items().begin(), wanted.items().end(),
                         [&](const auto& kv) { return e.value(kv.key(), json()) == kv.value(); });
    });
  };
  const json mobile_leg = {{"kind", "leg"}, {"call_id", "call-11"}, {"text", "+4915100000"}};
  CHECK(count(for_supervisor, mobile_leg) == 1);
  CHECK(count(for_ann, mobile_leg) == 0);
  CHECK(count(for_ann, {{"kind", "supervision"}}) == 0);
}
