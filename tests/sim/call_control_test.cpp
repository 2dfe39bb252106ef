// The simulated agents' call control costs what it should: holds lengthen
// the conversation, so AHT rises by the held share of calls times the hold
// length and occupancy with it; transfers send the expected share of calls
// on to the other queue; the report's Erlang staffing grows with the hold
// time; and the scenario's call_control keys are checked
// with JSON paths.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "hotline/metrics/erlang.hpp"
#include "report.hpp"
#include "simulator.hpp"

using namespace hotline;
using namespace hotline::sim;
using nlohmann::json;

namespace {

constexpr double kRingSeconds = 3;

// One queue of ten agents, 100 calls an hour for 16 hours, every
// conversation exactly 180 s with no wrap-up, callers who never give up.
json day(json call_control) {
  json j = json::parse(R"({
    "queues": [{"id": "sales", "offer_timeout_seconds": 0, "wrap_up_seconds": 0},
               {"id": "billing", "offer_timeout_seconds": 0, "wrap_up_seconds": 0}],
    "agents": [{"id": "a1", "queues": ["sales"]}, {"id": "a2", "queues": ["sales"]},
               {"id": "a3", "queues": ["sales"]}, {"id": "a4", "queues": ["sales"]},
               {"id": "a5", "queues": ["sales"]}, {"id": "a6", "queues": ["sales"]},
               {"id": "a7", "queues": ["sales"]}, {"id": "a8", "queues": ["sales"]},
               {"id": "a9", "queues": ["sales"]}, {"id": "a10", "queues": ["sales"]},
               {"id": "b1", "queues": ["billing"]}, {"id": "b2", "queues": ["billing"]},
               {"id": "b3", "queues": ["billing"]}, {"id": "b4", "queues": ["billing"]}],
    "simulation": {"seed": 11, "hours": 16, "ring_seconds": 3,
      "streams": [{"queue": "sales", "arrivals_per_hour": 100,
                   "handle_seconds": {"kind": "fixed", "mean_seconds": 180}}]}})");
  if (!call_control.is_null()) j["simulation"]["call_control"] = std::move(call_control);
  return j;
}

Outcome run_day(json call_control) {
  auto sc = scenario_from_json(day(std::move(call_control)));
  REQUIRE(sc.ok());
  return run(*sc);
}

metrics::AgentCounts sales_agents(const Outcome& o) {
  metrics::AgentCounts total;
  for (int i = 1; i <= 10; ++i) total += o.kpi.agent_total("a" + std::to_string(i));
  return total;
}

std::string error_of(json call_control) {
  auto sc = scenario_from_json(day(std::move(call_control)));
  REQUIRE(!sc.ok());
  return sc.error().message;
}

}  // namespace

TEST_CASE("holds raise AHT by the held share times the hold length, and occupancy with it") {
  const Outcome plain = run_day(nullptr);
  const Outcome held = run_day(json::parse(R"({"sales": {"hold": {
      "probability": 0.5, "count": 1, "seconds": {"kind": "fixed", "mean_seconds": 60}}}})"));
  const metrics::QueueCounts p = plain.kpi.queue_total("sales");
  const metrics::QueueCounts h = held.kpi.queue_total("sales");
  REQUIRE(p.handled > 1000);
  REQUIRE(h.handled > 1000);
  CHECK(p.handled == p.offered);
  CHECK(h.handled == h.offered);
  // Without call control every conversation is its 180 s.
  CHECK(metrics::average_handle_time_ms(p) == doctest::Approx(180'000).epsilon(1e-9));
  // Half the calls held once for 60 s: 30 s more on average, within four
  // standard errors of the held share (0.5 · 0.5 / n, times 60 s).
  const double added_s = (metrics::average_handle_time_ms(h) - 180'000) / 1000;
  const double tolerance_s = 4 * 60 * std::sqrt(0.25 / static_cast<double>(h.handled));
  CAPTURE(added_s);
  CHECK(std::abs(added_s - 30) < tolerance_s);
  // The engine measured every hold: exactly the 60 s each, and the rest of
  // the handle time is the 180 s of talk.
  CHECK(h.holds > 0);
  CHECK(std::abs(static_cast<double>(h.holds) / static_cast<double>(h.handled) - 0.5) <
        4 * std::sqrt(0.25 / static_cast<double>(h.handled)));
  CHECK(h.hold_ms == h.holds * 60'000);
  CHECK(h.talk_ms == h.handled * 180'000);
  CHECK(p.holds == 0);
  CHECK(p.hold_ms == 0);
  // The agents are occupied through the holds: the busy share of their day
  // grows with the handling per call (ring + AHT) and the calls handled.
  const double expected_ratio =
      static_cast<double>(h.handled) * (kRingSeconds + metrics::average_handle_time_ms(h) / 1000) /
      (static_cast<double>(p.handled) * (kRingSeconds + metrics::average_handle_time_ms(p) / 1000));
  const double ratio =
      metrics::occupancy(sales_agents(held)) / metrics::occupancy(sales_agents(plain));
  CAPTURE(ratio);
  CAPTURE(expected_ratio);
  CHECK(ratio > 1.10);
  CHECK(ratio == doctest::Approx(expected_ratio).epsilon(0.02));
}

TEST_CASE("a consultation holds the caller for its length, and is counted") {
  const Outcome o = run_day(json::parse(R"({"sales": {"consult": {"probability": 0.4,
      "seconds": {"kind": "fixed", "mean_seconds": 40}, "target": "+15550100"}}})"));
  const metrics::QueueCounts q = o.kpi.queue_total("sales");
  REQUIRE(q.handled > 1000);
  CHECK(std::abs(static_cast<double>(q.consultations) / static_cast<double>(q.handled) - 0.4) <
        4 * std::sqrt(0.24 / static_cast<double>(q.handled)));
  // The caller holds from the consultation to the return: one hold of 40 s each.
  CHECK(q.holds == q.consultations);
  CHECK(q.hold_ms == q.consultations * 40'000);
  CHECK(q.talk_ms == q.handled * 180'000);
  CHECK(sales_agents(o).consultations == q.consultations);
}

TEST_CASE("transfers send the configured share of calls to the other queue") {
  const Outcome o = run_day(json::parse(R"({"sales": {"transfer": {
      "probability": 0.3, "queue": "billing"}}})"));
  const metrics::QueueCounts sales = o.kpi.queue_total("sales");
  const metrics::QueueCounts billing = o.kpi.queue_total("billing");
  REQUIRE(sales.handled > 1000);
  const double share = static_cast<double>(sales.transfers) / static_cast<double>(sales.handled);
  CAPTURE(share);
  CHECK(std::abs(share - 0.3) < 4 * std::sqrt(0.3 * 0.7 / static_cast<double>(sales.handled)));
  // Every transferred caller waits in billing and is handled there.
  CHECK(billing.offered == sales.transfers);
  CHECK(billing.handled == sales.transfers);
  CHECK(sales_agents(o).transfers == sales.transfers);
  // A transfer ends the first conversation part-way through: the talk in
  // sales falls short of 180 s by half of it, on average, for 30 % of calls.
  const double aht_s = metrics::average_handle_time_ms(sales) / 1000;
  CAPTURE(aht_s);
  CHECK(aht_s == doctest::Approx(180 - 0.3 * 90).epsilon(0.03));
}

TEST_CASE("call-control keys are checked, each error naming its JSON path") {
  CHECK(error_of(json::parse(R"({"sales": {"hold": {"probability": 0.5, "durations": 3}}})")) ==
        "$.simulation.call_control.sales.hold.durations: unknown field "
        "(expected one of: probability, count, seconds)");
  CHECK(error_of(json::parse(R"({"sales": {"park": {}}})")) ==
        "$.simulation.call_control.sales.park: unknown field "
        "(expected one of: hold, consult, transfer)");
  CHECK(error_of(json::parse(R"({"sales": {"consult": {"probability": 0.1, "who": "x"}}})")) ==
        "$.simulation.call_control.sales.consult.who: unknown field "
        "(expected one of: probability, seconds, target)");
  CHECK(error_of(json::parse(R"({"sales": {"transfer": {"probability": 0.1, "to": "x"}}})")) ==
        "$.simulation.call_control.sales.transfer.to: unknown field "
        "(expected one of: probability, queue)");
  CHECK(error_of(json::parse(R"({"support": {}})")) ==
        "$.simulation.call_control.support: no queue 'support' in $.queues");
  CHECK(error_of(json::parse(R"({"sales": {"hold": {"probability": 1.5}}})")) ==
        "$.simulation.call_control.sales.hold.probability: expected a probability from 0 to 1");
  CHECK(error_of(json::parse(R"({"sales": {"hold": {"count": 0.5}}})")) ==
        "$.simulation.call_control.sales.hold.count: "
        "expected the mean number of holds of a held call, 1 to 100");
  CHECK(error_of(json::parse(R"({"sales": {"hold": {"seconds": -4}}})")) ==
        "$.simulation.call_control.sales.hold.seconds: the mean must be positive");
  CHECK(error_of(json::parse(
            R"({"sales": {"hold": {"seconds": {"mean_seconds": 5, "mu": 1}}}})")) ==
        "$.simulation.call_control.sales.hold.seconds.mu: unknown field "
        "(expected one of: kind, mean_seconds, sigma)");
  CHECK(error_of(json::parse(
            R"({"sales": {"hold": {"seconds": {"kind": 3, "mean_seconds": 5}}}})")) ==
        "$.simulation.call_control.sales.hold.seconds.kind: "
        "expected exponential, lognormal or fixed");
  CHECK(error_of(json::parse(
            R"({"sales": {"hold": {"seconds": {"kind": "lognormal", "mean_seconds": 5,
                                               "sigma": -1}}}})")) ==
        "$.simulation.call_control.sales.hold.seconds.sigma: expected a number in (0, 10]");
  CHECK(error_of(json::parse(R"({"sales": {"hold": {"seconds": 90000}}})")) ==
        "$.simulation.call_control.sales.hold.seconds: the mean is more than a day (86400 s)");
  CHECK(error_of(json::parse(R"({"sales": {"consult": {"probability": 0.1}}})")) ==
        "$.simulation.call_control.sales.consult.target: required");
  CHECK(error_of(json::parse(R"({"sales": {"transfer": {"queue": "nowhere"}}})")) ==
        "$.simulation.call_control.sales.transfer.queue: no queue 'nowhere' in $.queues");
  CHECK(error_of(json::parse(R"({"sales": {"transfer": {"queue": "sales"}}})")) ==
        "$.simulation.call_control.sales.transfer.queue: the queue itself");
  CHECK(error_of(json::parse(R"({"sales": []})")) ==
        "$.simulation.call_control.sales: expected an object");
  CHECK(error_of(json::parse(R"([1])")) == "$.simulation.call_control: expected an object");
}

TEST_CASE("the report's Erlang staffing sees the hold time") {
  Scenario sc = *scenario_from_json(day(nullptr));
  const Outcome plain = run(sc);
  auto held_sc = scenario_from_json(day(json::parse(R"({"sales": {"hold": {
      "probability": 1, "count": 2, "seconds": {"kind": "fixed", "mean_seconds": 90}}}})")));
  REQUIRE(held_sc.ok());
  const Outcome held = run(*held_sc);
  const auto plain_rows = staffing(plain, sc);
  const auto held_rows = staffing(held, *held_sc);
  REQUIRE(plain_rows.size() == 1);
  REQUIRE(held_rows.size() == 1);
  CHECK(plain_rows[0].queue == "sales");
  CHECK(plain_rows[0].aht_seconds == doctest::Approx(180));
  // Every call held about twice for 90 s: AHT near 360 s, which Erlang C
  // staffs with more agents for the same arrivals.
  CHECK(held_rows[0].aht_seconds == doctest::Approx(360).epsilon(0.05));
  const auto expected = [](const QueueStaffing& row) {
    return metrics::erlang_c_agents(metrics::Workload{row.arrivals_per_hour, row.aht_seconds, 20},
                                    metrics::StaffingGoal{})
        ->agents;
  };
  CHECK(plain_rows[0].erlang_c_agents == expected(plain_rows[0]));
  CHECK(held_rows[0].erlang_c_agents == expected(held_rows[0]));
  CHECK(held_rows[0].erlang_c_agents > plain_rows[0].erlang_c_agents + 3);
}
