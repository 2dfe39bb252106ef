// A seeded day's whole outcome, pinned: every interval of every queue, agent
// and call count, the waiting samples, the tickets and the number of engine
// events. The simulator is made faster from time to time; it must still play
// out exactly the same day, event for event, so each scenario's outcome is
// reduced to one fingerprint taken from the simulator as it was before. The
// draws come from libstdc++'s random distributions, whose sequences the
// standard leaves to the library: another library plays another day.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "simulator.hpp"

using namespace hotline;
using namespace hotline::sim;
using nlohmann::json;

namespace {

void add_codes(std::string& out, const std::map<std::string, std::int64_t, std::less<>>& codes) {
  for (const auto& [code, n] : codes) out += fmt::format(" {}={}", code, n);
}

// Appends the values, each after a space.
template <typename... Values>
void line(std::string& out, const Values&... values) {
  ((out += fmt::format(" {}", values)), ...);
}

// Every number the outcome holds, one line per interval, in a fixed order.
std::string spelled_out(const Outcome& o) {
  std::string out = fmt::format("contacts {} events {} tickets {}\n", o.contacts,
                                o.engine_events, o.tickets);
  for (const auto& [at, waiting] : o.waiting_samples) out += fmt::format("w {} {}\n", at, waiting);
  for (const auto& [at, c] : o.kpi.call_intervals()) {
    out += fmt::format("c {} {} {}\n", at, c.calls, c.self_served);
  }
  for (const std::string& q : o.kpi.queues()) {
    for (const auto& [at, c] : o.kpi.queue_intervals(q)) {
      line(out, "q", q, at, c.offered, c.answered, c.answered_within_sl, c.abandoned,
           c.abandoned_within_sl, c.short_abandoned, c.overflowed, c.refused, c.removed,
           c.handled, c.transfers, c.holds, c.consultations, c.conferences, c.answer_wait_ms,
           c.abandon_wait_ms, c.longest_wait_ms, c.talk_ms, c.hold_ms, c.wrap_ms,
           c.issue_contacts, c.resolutions, c.first_contact_resolutions, c.csat_responses,
           c.csat_top_box, c.csat_sum);
      add_codes(out, c.wrap_up_codes);
      out += '\n';
    }
  }
  for (const std::string& a : o.kpi.agents()) {
    for (const auto& [at, c] : o.kpi.agent_intervals(a)) {
      line(out, "a", a, at, c.answered, c.missed, c.handled, c.transfers, c.holds,
           c.consultations, c.conferences, c.talk_ms, c.hold_ms, c.wrap_ms, c.available_ms,
           c.not_ready_ms, c.reserved_ms, c.busy_ms, c.wrap_state_ms, c.logged_in_ms,
           c.csat_responses, c.csat_top_box, c.csat_sum);
      add_codes(out, c.wrap_up_codes);
      out += '\n';
    }
  }
  return out;
}

// FNV-1a: a fingerprint that changes with any number above.
std::uint64_t fingerprint(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (char ch : text) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
  return h;
}

Scenario example_center() {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  const std::string folder = std::string(dir) + "/examples/center/";
  std::ifstream in(folder + "center.json");
  REQUIRE(in);
  json j = json::parse(in);
  for (const auto& name : j.at("flow_files")) {
    std::ifstream flow(folder + name.get<std::string>());
    REQUIRE(flow);
    j["flows"].push_back(json::parse(flow));
  }
  j.erase("flow_files");
  auto sc = scenario_from_json(j);
  REQUIRE(sc.ok());
  return std::move(sc).value();
}

// Two queues; the agents of the first hold, consult and transfer.
Scenario call_control_day() {
  auto sc = scenario_from_json(json::parse(R"({
    "queues": [{"id": "sales", "offer_timeout_seconds": 0},
               {"id": "billing", "offer_timeout_seconds": 0}],
    "agents": [{"id": "a1", "queues": ["sales"]}, {"id": "a2", "queues": ["sales"]},
               {"id": "a3", "queues": ["sales"]}, {"id": "a4", "queues": ["sales"]},
               {"id": "a5", "queues": ["sales"]}, {"id": "a6", "queues": ["sales"]},
               {"id": "b1", "queues": ["billing"]}, {"id": "b2", "queues": ["billing"]},
               {"id": "b3", "queues": ["billing"]}],
    "simulation": {"seed": 5, "hours": 6, "ring_seconds": 3, "no_answer_share": 0.05,
      "tickets": {"share": 0.5},
      "streams": [{"queue": "sales", "arrivals_per_hour": 90, "patience_seconds": 240}],
      "call_control": {"sales": {"hold": {"probability": 0.4, "count": 1.5, "seconds": 30},
                                 "consult": {"probability": 0.2, "seconds": 60,
                                             "target": "+15550100"},
                                 "transfer": {"probability": 0.15, "queue": "billing"}}}}})"));
  REQUIRE(sc.ok());
  return std::move(sc).value();
}

}  // namespace

TEST_CASE("a seeded menu-and-queue day plays out exactly as before") {
  const Outcome o = run(menu_day(20'000));
  CHECK(o.contacts == 20099);
  CHECK(o.engine_events == 100379);
  CHECK(fingerprint(spelled_out(o)) == 17775012338223180875u);
}

TEST_CASE("the example center's seeded day plays out exactly as before") {
  const Outcome o = run(example_center());
  CHECK(o.contacts == 1409);
  CHECK(o.engine_events == 19038);
  CHECK(o.tickets == 436);
  CHECK(fingerprint(spelled_out(o)) == 1341710533668060303u);
}

TEST_CASE("a seeded day with holds, consultations and transfers plays out exactly as before") {
  const Outcome o = run(call_control_day());
  CHECK(o.contacts == 507);
  CHECK(o.engine_events == 2404);
  CHECK(o.tickets == 225);
  CHECK(fingerprint(spelled_out(o)) == 7641607334665733813u);
}
