// When memory runs out inside an event, the engine lets std::bad_alloc out
// (the C ABI's guard turns it into HL_ENOMEM) and must stay safe to use and
// to destroy: no leak, no dangling record for a later event to follow. Every
// allocation in this binary passes through the replacement operator new of
// tests/failing_allocator.hpp, which can be told to fail the Nth from a
// given point. A whole call
// (login, arrival through an IVR menu, the menu's answer, the offer taken,
// call control, the hang-up, wrap-up) is run again and again, failing one
// allocation inside one step each time, for every allocation of every step;
// the steps after the failure run as a host would go on (each may fail
// too, for the state the failure left). Under AddressSanitizer a record
// left half made and used later shows as an error; here, the count of live
// allocations must come back to where it started once the engine is gone,
// and the router's indexes must agree with its records after every step.
// A failed event may be partly applied (docs/c-api.md, "Running out of
// memory"): how many are is counted and reported, not required.
//
// The engine is built with what a batch simulation turns off (screen pops in
// rings; IVR-node and conversation notifications): those build JSON
// documents with nlohmann::json, whose destructor allocates and so ends the
// process when that allocation fails (see nlohmann/json#5135). Everything
// else a call does runs here. The router's ordered sets take their nodes
// from its pool (util/node_pool.hpp), so the allocations failed there are
// the pool's chunks.
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "failing_allocator.hpp"
#include "hotline/engine/engine.hpp"

namespace counted = hotline::testing::allocations;

namespace {

using namespace hotline;
using engine::Engine;

const char* const kConfig = R"({
  "queues": [
    {"id": "sales", "wrap_up_seconds": 10, "max_length": 5},
    {"id": "support", "strategy": "most_skilled", "skills": ["billing"],
     "rings": [{"target": "contact.language IN agent.languages", "timeout_seconds": 30},
               {"min_level": 1}]}
  ],
  "agents": [
    {"id": "ann", "name": "Ann", "queues": ["sales", "support"], "skills": {"billing": 3},
     "attributes": {"languages": ["en", "zh"], "site": {"city": "Haifa"}}},
    {"id": "bob", "queues": ["support"], "skills": {"billing": 1}}
  ],
  "flows": [{"id": "front", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales, 2 for support"],
             "options": {"1": "sales", "2": "support"}, "fail": "bye"},
    "sales": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
    "support": {"type": "queue", "queue": "support", "hold": ["moh.wav"]},
    "bye": {"type": "hangup"}}}]
})";

engine::EngineOptions quiet_options() {
  engine::EngineOptions o;
  o.screen_pop_in_rings = false;
  o.ivr_node_notes = false;
  o.conversation_notes = false;
  return o;
}

std::uint64_t last_reservation(Engine& e) {
  std::uint64_t r = 0;
  for (const auto& c : e.commands()) {
    if (c.kind == engine::Command::Kind::kRingAgent) r = c.reservation;
  }
  return r;
}

void drain(Engine& e) {
  e.commands().clear();
  e.notifications().clear();
}

// A step of the call: an event, then the outboxes emptied as a host does.
using Step = std::function<Status(Engine&, TimeMs)>;

struct Outcome {
  bool reached = false;     // the failure happened in the armed step
  bool reported = false;    // ... and came out as std::bad_alloc
  bool earlier_ok = true;   // the steps before the armed one succeeded
  bool unchanged = true;    // the failed step left calls and agents as they were
  bool consistent = true;   // the router's indexes agreed with its records after every step
};

// What an event applied whole or not at all leaves as it found it when it
// fails: the calls the engine holds and each agent's state and contacts.
struct Seen {
  std::size_t calls = 0;
  std::vector<std::pair<routing::AgentState, std::array<int, routing::kChannelCount>>> agents;
  bool operator==(const Seen& o) const { return calls == o.calls && agents == o.agents; }
};

Seen seen(const Engine& e) {
  Seen s;
  s.calls = e.live_calls();
  for (const char* id : {"ann", "bob"}) {
    auto a = e.router().agent_snapshot(id);
    REQUIRE(a.ok());
    s.agents.emplace_back(a->state, a->active);
  }
  return s;
}

constexpr std::size_t kSteps = 13;

// The whole call on a fresh engine, the k-th allocation of step `armed`
// failing (none for k = 0).
Outcome run_call(std::size_t armed, long k) {
  Outcome out;
  Engine e(quiet_options());
  TimeMs now = 1'000'000;
  {
    const auto config = nlohmann::json::parse(kConfig);
    REQUIRE(e.load_config(config, now).ok());
  }  // the document is gone before anything fails
  // The calls' descriptions are made before anything fails: building them
  // is the host's work, not the engine's.
  engine::CallInfo first;
  first.call_id = "call-1";
  first.caller = "+15550100";
  first.flow_id = "front";
  first.attributes.set("language", "zh");
  first.attributes.set("orders", std::vector<std::string>{"A1", "B2"});
  engine::CallInfo second;
  second.call_id = "call-2";
  second.caller = "+15550101";
  second.queue_id = "support";
  second.attributes.set("language", "de");
  std::uint64_t reservation = 0;
  const std::vector<Step> steps = {
      [](Engine& en, TimeMs t) { return en.agent_login("ann", t); },
      [&](Engine& en, TimeMs t) { return en.call_arrived(std::move(first), t); },
      [](Engine& en, TimeMs t) { return en.prompt_done("call-1", t + 3000); },
      [&](Engine& en, TimeMs t) {
        Status st = en.digit("call-1", '1', t + 3000);
        reservation = last_reservation(en);
        return st;
      },
      [&](Engine& en, TimeMs t) { return en.agent_answered(reservation, t + 5000); },
      [](Engine& en, TimeMs t) { return en.hold("call-1", t + 20000); },
      [](Engine& en, TimeMs t) { return en.resume("call-1", t + 30000); },
      [](Engine& en, TimeMs t) { return en.agent_hung_up("call-1", t + 60000); },
      [](Engine& en, TimeMs t) { return en.wrap_up_code("call-1", "sale", t + 61000); },
      [](Engine& en, TimeMs t) {
        en.advance(t + 80000);
        return Status{};
      },
      // A second caller, straight into the queue, who gives up waiting.
      [&](Engine& en, TimeMs t) { return en.call_arrived(std::move(second), t + 81000); },
      [](Engine& en, TimeMs t) { return en.call_hung_up("call-2", t + 90000); },
      [](Engine& en, TimeMs t) { return en.agent_logout("ann", t + 91000); },
  };
  REQUIRE(steps.size() == kSteps);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const bool arm = i == armed && k > 0;
    Seen before_step;
    if (arm) {
      before_step = seen(e);
      counted::fail_in(k);
    }
    Status st;
    bool threw = false;
    try {
      st = steps[i](e, now);
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    if (arm) {
      out.reached = counted::disarm();
      out.reported = threw;
      if (threw) out.unchanged = seen(e) == before_step;
    } else if (i < armed && (threw || !st.ok())) {
      out.earlier_ok = false;
    }
    out.consistent = out.consistent && e.router().waiting_heads_match_for_testing() &&
                     e.router().queue_copies_match_for_testing();
    drain(e);
  }
  return out;
}

TEST_CASE("an allocation failing anywhere in a call leaves the engine whole and frees all") {
  // Once without failures, every step succeeding: what is set up once for
  // the process is then in place before anything is counted.
  CHECK(run_call(kSteps, 0).earlier_ok);
  long failures = 0;
  long partly_applied = 0;
  long per_step[kSteps] = {};
  for (std::size_t step = 0; step < kSteps; ++step) {
    for (long k = 1;; ++k) {
      // Counted around the run alone: a failed CHECK's report allocates.
      const long before = counted::live();
      if (std::getenv("SHOW")) std::fprintf(stderr, "run %zu %ld\n", step, k);
      const Outcome o = run_call(step, k);
      const long left = counted::live() - before;
      CAPTURE(step);
      CAPTURE(k);
      CHECK(o.earlier_ok);
      CHECK(left == 0);
      if (!o.reached) break;
      // The failure is reported, never swallowed: an event either happens
      // or the host hears that it did not.
      CHECK(o.reported);
      CHECK(o.consistent);
      ++failures;
      partly_applied += o.unchanged ? 0 : 1;
      ++per_step[step];
    }
  }
  MESSAGE(failures << " allocations failed in turn, " << partly_applied
                   << " of them leaving their event partly applied");
  // The failures reached the steps that allocate most: the arrival through
  // the IVR and the menu's answer that queues and offers the call.
  CHECK(per_step[1] > 10);
  CHECK(per_step[3] > 10);
}

}  // namespace
