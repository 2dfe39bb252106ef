// A small contact center for the call-control tests: queues, agents and a
// supervisor, calls brought to an agent, and the host's view of what the
// engine asked (each command as one line of text, easy to compare whole).
#pragma once

#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

namespace call_control_test {

using namespace hotline;
using namespace hotline::engine;

// sales: sam and bea, 30 s wrap-up, music on hold; support: tom; sue is a
// supervisor, ann an agent without that role.
inline const char* kConfig = R"({
  "queues": [
    {"id": "sales", "wrap_up_seconds": 30, "music_on_hold": ["audio/hold.wav", "tts:Please hold"]},
    {"id": "support"}],
  "agents": [
    {"id": "sam", "queues": ["sales"], "number": "1042"},
    {"id": "bea", "queues": ["sales"]},
    {"id": "tom", "queues": ["support"]},
    {"id": "ann"},
    {"id": "sue", "role": "supervisor"}]})";

// Commands as lines, printed one a line when a comparison fails.
struct Lines : std::vector<std::string> {
  using std::vector<std::string>::vector;
};

inline std::ostream& operator<<(std::ostream& os, const Lines& lines) {
  os << "[";
  for (const std::string& l : lines) os << "\n  " << l;
  return os << "\n]";
}

inline std::string line(const Command& c) {
  std::string s = command_kind_name(c.kind);
  s += " " + c.call_id;
  if (!c.leg.empty()) s += " leg=" + c.leg;
  if (!c.agent_id.empty()) s += " agent=" + c.agent_id;
  if (!c.target.empty()) s += " target=" + c.target;
  if (!c.action.empty()) s += " action=" + c.action;
  if (!c.mix_json.empty()) s += " " + c.mix_json;
  for (const Prompt& p : c.prompts) s += (p.kind == Prompt::Kind::kTts ? " tts:" : " ") + p.value;
  return s;
}

// The commands since the last call, as lines; the outbox is emptied.
inline Lines sent(Engine& e) {
  Lines out;
  for (const Command& c : e.commands()) out.push_back(line(c));
  e.commands().clear();
  return out;
}

// The engine's call-level notifications of one kind since the last drain.
inline std::vector<Notification> told(Engine& e, Notification::Kind kind) {
  std::vector<Notification> out;
  for (const Notification& n : e.notifications()) {
    if (n.kind == kind) out.push_back(n);
  }
  return out;
}

inline void drain(Engine& e) {
  e.commands().clear();
  e.notifications().clear();
}

inline routing::AgentState state_of(const Engine& e, const char* agent) {
  return e.router().agent_snapshot(agent)->state;
}

inline std::uint64_t ring_for(Engine& e, const std::string& agent) {
  std::uint64_t reservation = 0;
  for (const Command& c : e.commands()) {
    if (c.kind == Command::Kind::kRingAgent && c.agent_id == agent) reservation = c.reservation;
  }
  return reservation;
}

inline void configure(Engine& e, const char* config = kConfig) {
  const Status st = e.load_config(nlohmann::json::parse(config), 0);
  INFO((st ? std::string() : st.error().message));
  REQUIRE(st.ok());
}

// Logs `agent` in, brings call `call_id` in `queue` to them (answered at
// `at`) and empties the outboxes.
inline void connect(Engine& e, const std::string& call_id, const std::string& agent,
                    TimeMs at, const std::string& queue = "sales") {
  if (state_of(e, agent.c_str()) == routing::AgentState::kLoggedOut) {
    REQUIRE(e.agent_login(agent, at - 2000).ok());
  }
  CallInfo call;
  call.call_id = call_id;
  call.caller = "+4930" + call_id;
  call.queue_id = queue;
  REQUIRE(e.call_arrived(call, at - 1000).ok());
  const std::uint64_t reservation = ring_for(e, agent);
  REQUIRE(reservation != 0);
  REQUIRE(e.agent_answered(reservation, at).ok());
  drain(e);
}

// A refused action leaves no command and no notification behind.
inline void check_nothing_sent(Engine& e) {
  CHECK(e.commands().empty());
  CHECK(e.notifications().empty());
}

}  // namespace call_control_test
