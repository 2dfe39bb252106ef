// The core behind the C door: advancing to kNever, deadlines near the end
// of time, IVR node notifications, refusals at a queue's max length, and
// the contact description reaching the router.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"
#include "hotline/util/time.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "queues": [{"id": "sales", "max_length": 1, "wrap_up_seconds": 10}],
  "agents": [{"id": "ann", "queues": ["sales"]}, {"id": "bob", "queues": ["sales"]}],
  "flows": [{"id": "front", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["tts:Press 1"], "options": {"1": "q"}, "fail": "bye"},
    "q": {"type": "queue", "queue": "sales"},
    "bye": {"type": "hangup"}}}]})";

void configure(Engine& e) { REQUIRE(e.load_config(json::parse(kConfig), 0).ok()); }

std::vector<std::string> nodes_of(Engine& e, const std::string& call) {
  std::vector<std::string> out;
  for (const Notification& n : e.notifications()) {
    if (n.kind == Notification::Kind::kIvrNode && n.call_id == call) {
      out.push_back((n.value ? "entered " : "left ") + n.text);
    }
  }
  e.notifications().clear();
  return out;
}

std::vector<std::string> rings(Engine& e) {
  std::vector<std::string> out;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent) out.push_back(c.agent_id + ":" + c.call_id);
  }
  e.commands().clear();
  return out;
}

}  // namespace

TEST_CASE("add_saturating holds deadlines at the ends of the range") {
  CHECK(add_saturating(1000, 500) == 1500);
  CHECK(add_saturating(kNever - 5, 8000) == kNever);
  CHECK(add_saturating(INT64_MIN + 5, -8000) == INT64_MIN);
  CHECK(add_saturating(kNever, -1) == kNever - 1);
}

TEST_CASE("advance to kNever fires what is pending and returns") {
  Engine e;
  configure(e);
  e.advance(kNever);  // nothing pending
  REQUIRE(e.agent_login("ann", 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.queue_id = "sales";
  REQUIRE(e.call_arrived(call, 1000).ok());
  const auto offered = rings(e);
  REQUIRE(offered.size() == 1);
  e.notifications().clear();
  e.advance(kNever);  // the offer times out, and so on, until nothing is due
  CHECK(e.next_deadline() == kNever);
  CHECK(e.now() == kNever);
}

TEST_CASE("IVR sessions report the nodes they enter and leave") {
  Engine e;
  configure(e);
  CallInfo call;
  call.call_id = "c1";
  call.flow_id = "front";
  REQUIRE(e.call_arrived(call, 1000).ok());
  CHECK(nodes_of(e, "c1") == std::vector<std::string>{"entered menu"});
  REQUIRE(e.prompt_done("c1", 2000).ok());
  REQUIRE(e.digit("c1", '1', 2100).ok());
  CHECK(nodes_of(e, "c1") == std::vector<std::string>{"left menu", "entered q"});
  REQUIRE(e.call_hung_up("c1", 3000).ok());
  CHECK(nodes_of(e, "c1") == std::vector<std::string>{"left q"});
}

TEST_CASE("a full queue refuses a contact with its reason, not as an IVR error") {
  Engine e;
  configure(e);
  metrics::KpiCollector kpi;
  KpiFeed feed(kpi, e.router());
  CallInfo call;
  call.queue_id = "sales";
  call.call_id = "first";
  REQUIRE(e.call_arrived(call, 1000).ok());
  call.call_id = "second";
  REQUIRE(e.call_arrived(call, 2000).ok());
  int refusals = 0;
  for (const Notification& n : e.notifications()) {
    feed.on(n);
    CHECK(n.kind != Notification::Kind::kIvrError);
    if (n.kind == Notification::Kind::kContactRefused) {
      ++refusals;
      CHECK(n.call_id == "second");
      CHECK(n.queue_id == "sales");
      CHECK(n.text.find("is full") != std::string::npos);
    }
  }
  CHECK(refusals == 1);
  CHECK(kpi.queue_total("sales").refused == 1);
  CHECK(kpi.queue_total("other").refused == 0);
}

TEST_CASE("a preferred agent has the contact alone until the wait ends") {
  Engine e;
  configure(e);
  REQUIRE(e.agent_login("ann", 0).ok());
  REQUIRE(e.agent_login("bob", 0).ok());
  REQUIRE(e.agent_not_ready("bob", "meeting", 0).ok());
  rings(e);
  CallInfo call;
  call.call_id = "vip";
  call.queue_id = "sales";
  call.preferred_agent = "bob";
  call.preferred_wait_ms = 30000;
  REQUIRE(e.call_arrived(call, 1000).ok());
  CHECK(rings(e).empty());
  e.advance(30999);
  CHECK(rings(e).empty());
  e.advance(31000);
  CHECK(rings(e) == std::vector<std::string>{"ann:vip"});
}

TEST_CASE("a refused arrival leaves no call behind") {
  Engine e;
  configure(e);
  CallInfo call;
  call.call_id = "c1";
  call.caller = "caf\xe9";
  call.flow_id = "front";
  CHECK(e.call_arrived(call, 1000).error().code == Errc::kInvalidArgument);
  CHECK(e.live_calls() == 0);
  CHECK(e.commands().empty());
  CHECK(e.notifications().empty());
}
