// A call without a flow joins its queue directly, without the directive a
// flow's queue node hands the engine. Both must describe the same contact to
// the router: the same priority, skills, preferred agent, attributes and
// customer.last_agent. Over generated calls and agent events, two engines, one
// taking every call straight to its queue and one through a flow that only
// queues it, must make the same routing decisions in the same order. Half of
// the flowed calls go through a queue node that adds a priority, a skill and
// an attribute; their direct twins carry those themselves.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "hotline/engine/engine.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

constexpr int kQueues = 3;
constexpr int kAgents = 6;
const char* const kLanguages[] = {"en", "de", "fr"};
const char* const kTiers[] = {"gold", "basic"};

std::string agent_name(int i) { return "a" + std::to_string(i); }

// Queues whose rings read the contact's attributes and skills; the last one
// routes to the customer's last agent first.
json config() {
  json queues = json::array();
  for (int q = 0; q < kQueues; ++q) {
    json queue = {{"id", "q" + std::to_string(q)},
                  {"rings",
                   {{{"target", "contact.language IN agent.languages AND agent.skills.s >= 2"},
                     {"timeout_seconds", 10}},
                    {{"target", "contact.tier == \"gold\" OR agent.skills.s >= 1"},
                     {"timeout_seconds", 20}},
                    json::object()}}};
    if (q == kQueues - 1) queue["last_agent_wait_seconds"] = 15;
    queues.push_back(queue);
  }
  json agents = json::array();
  for (int i = 0; i < kAgents; ++i) {
    json member = json::array();
    for (int q = 0; q < kQueues; ++q) {
      if ((i + q) % 3 != 2) member.push_back("q" + std::to_string(q));
    }
    agents.push_back({{"id", agent_name(i)},
                      {"skills", {{"s", i % 4}, {"x", i % 2}}},
                      {"attributes", {{"languages", {kLanguages[i % 3], "en"}}}},
                      {"queues", member}});
  }
  json flows = json::array();
  for (int q = 0; q < kQueues; ++q) {
    const std::string queue = "q" + std::to_string(q);
    flows.push_back({{"id", "to_" + queue},
                     {"start", "q"},
                     {"nodes", {{"q", {{"type", "queue"}, {"queue", queue}}}}}});
    flows.push_back({{"id", "to_" + queue + "_raised"},
                     {"start", "q"},
                     {"nodes",
                      {{"q",
                        {{"type", "queue"},
                         {"queue", queue},
                         {"priority", 1},
                         {"skills", {{"x", 1}}},
                         {"attributes", {{"language", "en"}}}}}}}});
  }
  return {{"queues", queues}, {"agents", agents}, {"flows", flows}};
}

// What both engines must agree on: the rings and their withdrawals, the
// contacts queued, and every routing notification with the call, agent and
// queue it names. A flow's caller who hangs up leaves the queue through the
// session, the other through the router: the host must see the same.
std::vector<std::string> decisions(Engine& e) {
  std::vector<std::string> out;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent || c.kind == Command::Kind::kStopRinging) {
      out.push_back(std::string(command_kind_name(c.kind)) + " " + c.call_id + " " + c.agent_id +
                    " " + c.queue_id + " " + std::to_string(c.reservation));
    }
  }
  for (const Notification& n : e.notifications()) {
    if (n.kind == Notification::Kind::kRouting || n.kind == Notification::Kind::kContactQueued) {
      out.push_back("note " + std::to_string(static_cast<int>(n.kind)) + " " +
                    std::to_string(static_cast<int>(n.routing)) + " " + n.call_id + " " +
                    n.agent_id + " " + n.queue_id + " " + std::to_string(n.contact) + " " +
                    std::to_string(n.reservation) + " " + std::to_string(n.value));
    }
  }
  e.commands().clear();
  e.notifications().clear();
  return out;
}

// One line per decision, so that a difference prints readably.
std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// The rings among the decisions: reservation and call.
std::vector<std::pair<std::uint64_t, std::string>> rings_in(const std::vector<std::string>& lines) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const std::string& line : lines) {
    if (line.rfind("ring_agent ", 0) != 0) continue;
    const std::size_t call = line.find(' ') + 1;
    out.emplace_back(std::stoull(line.substr(line.rfind(' ') + 1)),
                     line.substr(call, line.find(' ', call) - call));
  }
  return out;
}

}  // namespace

TEST_CASE("a call joining its queue directly routes as one queued by a flow") {
  Engine direct;
  Engine via_flow;
  REQUIRE(direct.load_config(config(), 0).ok());
  REQUIRE(via_flow.load_config(config(), 0).ok());
  std::mt19937_64 rng(20261130);
  TimeMs now = 1000;
  int calls = 0;
  int rings = 0;
  int stops = 0;  // rings withdrawn: a caller hanging up while a phone rings
  int raised = 0;  // calls through the node that adds to them
  // Rings not yet answered, and calls answered and not yet ended.
  std::vector<std::pair<std::uint64_t, std::string>> open;
  std::vector<std::string> connected;
  for (int i = 0; i < kAgents; ++i) {
    REQUIRE(direct.agent_login(agent_name(i), now).ok());
    REQUIRE(via_flow.agent_login(agent_name(i), now).ok());
  }
  CHECK(decisions(direct) == decisions(via_flow));
  for (int step = 0; step < 3000; ++step) {
    now += static_cast<TimeMs>(rng() % 4000);
    direct.advance(now);
    via_flow.advance(now);
    const unsigned what = rng() % 10;
    if (what < 5) {
      CallInfo call;
      call.call_id = "c" + std::to_string(calls++);
      call.caller = "+49" + std::to_string(rng() % 50);
      const int q = static_cast<int>(rng() % kQueues);
      call.priority = static_cast<int>(rng() % 3);
      if (rng() % 2) call.attributes.set("language", kLanguages[rng() % 3]);
      if (rng() % 2) call.attributes.set("tier", kTiers[rng() % 2]);
      if (rng() % 3 == 0) call.attributes.set("last_agent", agent_name(rng() % (kAgents + 1)));
      if (rng() % 3 == 0) call.skills.emplace_back(rng() % 2 ? "s" : "x", rng() % 3);
      if (rng() % 5 == 0) {
        call.preferred_agent = agent_name(rng() % kAgents);
        call.preferred_wait_ms = 5000;
      }
      CallInfo flowed = call;
      call.queue_id = "q" + std::to_string(q);
      flowed.flow_id = "to_q" + std::to_string(q);
      if (rng() % 2) {
        // What the raising node adds, the direct call brings itself.
        flowed.flow_id += "_raised";
        call.priority += 1;
        call.skills.emplace_back("x", 1);
        call.attributes.set("language", "en");
        ++raised;
      }
      REQUIRE(direct.call_arrived(call, now).ok());
      REQUIRE(via_flow.call_arrived(flowed, now).ok());
    } else if (what < 7 && !open.empty()) {
      const std::size_t pick = rng() % open.size();
      const auto [r, call] = open[pick];
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(pick));
      if (rng() % 3) {
        const bool answered = direct.agent_answered(r, now).ok();
        CHECK(answered == via_flow.agent_answered(r, now).ok());
        if (answered) connected.push_back(call);
      } else {
        CHECK(direct.agent_rejected(r, now).ok() == via_flow.agent_rejected(r, now).ok());
      }
    } else if (what < 8) {
      const int c = calls ? static_cast<int>(rng() % static_cast<unsigned>(calls)) : 0;
      const std::string id = "c" + std::to_string(c);
      CHECK(direct.call_hung_up(id, now).ok() == via_flow.call_hung_up(id, now).ok());
    } else if (what < 9 && !connected.empty()) {
      const std::size_t pick = rng() % connected.size();
      const std::string id = connected[pick];
      connected.erase(connected.begin() + static_cast<std::ptrdiff_t>(pick));
      CHECK(direct.agent_hung_up(id, now).ok() == via_flow.agent_hung_up(id, now).ok());
    } else {
      const std::string agent = agent_name(static_cast<int>(rng() % kAgents));
      CHECK(direct.agent_ready(agent, now).ok() == via_flow.agent_ready(agent, now).ok());
    }
    const std::vector<std::string> a = decisions(direct);
    const std::vector<std::string> b = decisions(via_flow);
    INFO("step ", step);
    REQUIRE(joined(a) == joined(b));
    for (const auto& ring : rings_in(a)) open.push_back(ring);
    rings += static_cast<int>(rings_in(a).size());
    for (const std::string& line : a) stops += line.rfind("stop_ringing ", 0) == 0;
  }
  // The corpus reaches the cases it is for: calls were queued and offered.
  CHECK(calls > 1000);
  CHECK(rings > 300);
  CHECK(stops > 20);
  CHECK(raised > 500);
}
