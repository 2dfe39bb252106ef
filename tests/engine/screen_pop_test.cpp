// The screen pop: the ring_agent command carries the caller, the customer,
// the IVR nodes the call went through and the digits it collected
// (docs/call-control.md), and Engine::call_context gives the same object.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "flows": [{"id": "pop", "start": "menu", "nodes": {
    "menu": {"type": "menu", "options": {"1": "account", "2": "staffed"}, "fail": "staffed"},
    "account": {"type": "collect", "min_digits": 4, "max_digits": 4, "variable": "account",
                "next": "pin", "fail": "staffed"},
    "pin": {"type": "collect", "min_digits": 2, "max_digits": 2, "variable": "pin",
            "next": "staffed", "fail": "staffed"},
    "staffed": {"type": "set", "assign": {"lang": "'en'"}, "next": "queue"},
    "queue": {"type": "queue", "queue": "support"}}}],
  "queues": [{"id": "support"}, {"id": "direct"}],
  "agents": [{"id": "a", "queues": ["support", "direct"]}]})";

void load(Engine& e, const char* config) {
  const Status st = e.load_config(json::parse(config), 0);
  REQUIRE_MESSAGE(st.ok(), (st.ok() ? std::string() : st.error().message));
  REQUIRE(e.agent_login("a", 0).ok());
}

const Command* ring_command(Engine& e) {
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent) return &c;
  }
  return nullptr;
}

void press(Engine& e, const char* call_id, const char* keys, TimeMs at) {
  for (const char* k = keys; *k; ++k) REQUIRE(e.digit(call_id, *k, at).ok());
}

}  // namespace

TEST_CASE("ring_agent carries the IVR path, the collected digits and the customer") {
  Engine e;
  load(e, kConfig);
  CallInfo call;
  call.call_id = "c1";
  call.caller = "+8613800000001";
  call.dialled = "95555";
  call.flow_id = "pop";
  auto customer = expr::Attributes::from_json(json::parse(R"({"name": "Li Wei", "tier": "vip"})"));
  REQUIRE(customer.ok());
  call.attributes = std::move(*customer);
  REQUIRE(e.call_arrived(call, 1000).ok());
  press(e, "c1", "1", 1100);
  press(e, "c1", "4321", 1200);
  press(e, "c1", "07", 1300);
  const Command* ring = ring_command(e);
  REQUIRE(ring != nullptr);
  CHECK(ring->agent_id == "a");
  const json expected = json::parse(R"({
    "caller": "+8613800000001", "dialled": "95555", "queue_id": "support",
    "customer": {"name": "Li Wei", "tier": "vip"},
    "ivr_path": ["menu", "account", "pin", "staffed", "queue"],
    "digits": {"account": "4321", "pin": "07"}})");
  CHECK(json::parse(ring->args_json) == expected);
  auto context = e.call_context("c1");
  REQUIRE(context.ok());
  CHECK(json::parse(*context) == expected);
}

TEST_CASE("a call without a flow pops with an empty path and no digits") {
  Engine e;
  load(e, kConfig);
  CallInfo call;
  call.call_id = "c2";
  call.caller = "1001";
  call.queue_id = "direct";
  REQUIRE(e.call_arrived(call, 1000).ok());
  const Command* ring = ring_command(e);
  REQUIRE(ring != nullptr);
  CHECK(json::parse(ring->args_json) == json::parse(R"({
    "caller": "1001", "dialled": "", "queue_id": "direct", "customer": {},
    "ivr_path": [], "digits": {}})"));
}

TEST_CASE("digits collected twice for one variable pop the later ones") {
  Engine e;
  load(e, R"({
    "flows": [{"id": "again", "start": "ask", "nodes": {
      "ask": {"type": "collect", "min_digits": 1, "max_digits": 1, "variable": "choice",
              "next": "check", "fail": "queue"},
      "check": {"type": "branch", "conditions": [{"if": "vars.choice == '9'", "next": "ask"}],
                "default": "queue"},
      "queue": {"type": "queue", "queue": "support"}}}],
    "queues": [{"id": "support"}],
    "agents": [{"id": "a", "queues": ["support"]}]})");
  CallInfo call;
  call.call_id = "c3";
  call.flow_id = "again";
  REQUIRE(e.call_arrived(call, 1000).ok());
  press(e, "c3", "9", 1100);
  press(e, "c3", "3", 1200);
  const Command* ring = ring_command(e);
  REQUIRE(ring != nullptr);
  const json pop = json::parse(ring->args_json);
  CHECK(pop["ivr_path"] == json::parse(R"(["ask", "check", "ask", "check", "queue"])"));
  CHECK(pop["digits"] == json::parse(R"({"choice": "3"})"));
}

TEST_CASE("the path of a caller looping in a menu stops growing at 64 nodes") {
  Engine e;
  load(e, R"({
    "flows": [{"id": "loop", "start": "menu", "nodes": {
      "menu": {"type": "menu", "options": {"1": "menu", "2": "queue"}, "fail": "queue"},
      "queue": {"type": "queue", "queue": "support"}}}],
    "queues": [{"id": "support"}],
    "agents": [{"id": "a", "queues": ["support"]}]})");
  CallInfo call;
  call.call_id = "c4";
  call.flow_id = "loop";
  REQUIRE(e.call_arrived(call, 1000).ok());
  for (int i = 0; i < 100; ++i) press(e, "c4", "1", 1100 + i);
  press(e, "c4", "2", 1300);
  const Command* ring = ring_command(e);
  REQUIRE(ring != nullptr);
  const json path = json::parse(ring->args_json)["ivr_path"];
  CHECK(path.size() == 64);
  CHECK(path.back() == "menu");
}

TEST_CASE("call_context of a call the engine does not hold is not found") {
  Engine e;
  auto context = e.call_context("nobody");
  REQUIRE_FALSE(context.ok());
  CHECK(context.error().code == Errc::kNotFound);
}

TEST_CASE("call_context names the queue a transferred call is in now") {
  Engine e;
  load(e, kConfig);
  CallInfo call;
  call.call_id = "c5";
  call.caller = "1001";
  call.queue_id = "direct";
  REQUIRE(e.call_arrived(call, 1000).ok());
  const Command* ring = ring_command(e);
  REQUIRE(ring != nullptr);
  const std::uint64_t reservation = ring->reservation;
  REQUIRE(e.agent_answered(reservation, 2000).ok());
  REQUIRE(e.transfer_to_queue("c5", "support", 3000).ok());
  auto context = e.call_context("c5");
  REQUIRE(context.ok());
  CHECK(json::parse(*context)["queue_id"] == "support");
}

TEST_CASE("with screen pops left out of rings the ring is the same and call_context pops") {
  // Two engines take the same call; one builds no screen pop for its rings.
  EngineOptions without;
  without.screen_pop_in_rings = false;
  Engine plain;
  Engine lean(without);
  load(plain, kConfig);
  load(lean, kConfig);
  CallInfo call;
  call.call_id = "c6";
  call.caller = "+8613800000006";
  call.flow_id = "pop";
  for (Engine* e : {&plain, &lean}) {
    REQUIRE(e->call_arrived(call, 1000).ok());
    press(*e, "c6", "1", 1100);
    press(*e, "c6", "1234", 1200);
    press(*e, "c6", "56", 1300);
  }
  const Command* full = ring_command(plain);
  const Command* bare = ring_command(lean);
  REQUIRE(full != nullptr);
  REQUIRE(bare != nullptr);
  CHECK(bare->args_json.empty());
  CHECK(bare->call_id == full->call_id);
  CHECK(bare->agent_id == full->agent_id);
  CHECK(bare->queue_id == full->queue_id);
  CHECK(bare->reservation == full->reservation);
  auto context = lean.call_context("c6");
  REQUIRE(context.ok());
  CHECK(json::parse(*context) == json::parse(full->args_json));
  // A configuration's options leave the host's choice alone.
  REQUIRE(lean.load_config(json::parse(R"({"options": {"host_timeout_seconds": 9}})"), 2000).ok());
  CHECK_FALSE(lean.options().screen_pop_in_rings);
}
