#include <doctest/doctest.h>

#include "hotline/metrics/erlang.hpp"

using namespace hotline::metrics;

namespace {
// The published worked example: 100 calls per 30 minutes, AHT 180 s,
// 80 % answered within 20 s.
Workload example() { return Workload{200, 180, 20}; }
}  // namespace

TEST_CASE("Erlang C on the worked example") {
  Workload w = example();
  CHECK(w.offered_erlangs() == doctest::Approx(10.0));
  StaffingResult need = erlang_c_agents(w, StaffingGoal{0.8, 1.0, 0.0}).value();
  CHECK(need.agents == 14);
  ErlangCResult r = erlang_c(w, 14).value();
  CHECK(r.stable);
  CHECK(r.probability_wait == doctest::Approx(0.1741).epsilon(0.001));
  CHECK(r.service_level == doctest::Approx(0.888).epsilon(0.001));
  CHECK(r.asa_seconds == doctest::Approx(7.8).epsilon(0.01));
  CHECK(r.occupancy == doctest::Approx(0.714).epsilon(0.001));
  // 13 agents are not enough.
  CHECK(erlang_c(w, 13)->service_level < 0.8);
  // With 30 % shrinkage, 20 must be scheduled.
  CHECK(erlang_c_agents(w, StaffingGoal{0.8, 1.0, 0.3})->scheduled == 20);
}

TEST_CASE("Erlang C edge cases and the occupancy cap") {
  Workload w = example();
  ErlangCResult unstable = erlang_c(w, 10).value();
  CHECK_FALSE(unstable.stable);
  CHECK(unstable.probability_wait == 1);
  CHECK(unstable.service_level == 0);
  // Capping occupancy at 65 % needs ceil(10 / 0.65) = 16 agents.
  CHECK(erlang_c_agents(w, StaffingGoal{0.8, 0.65, 0.0})->agents == 16);
  // Large centres stay finite: 2,000 erlangs.
  Workload big{40'000, 180, 20};
  StaffingResult need = erlang_c_agents(big, StaffingGoal{0.8, 1.0, 0.0}).value();
  CHECK(need.agents > 2000);
  CHECK(need.agents < 2100);
  CHECK(erlang_b(0, 5) == 1);
  CHECK(erlang_b(5, 0) == 0);
}

TEST_CASE("Erlang A approaches Erlang C as patience grows") {
  Workload w = example();
  ErlangAResult patient = erlang_a(w, 14, 1e7).value();
  ErlangCResult c = erlang_c(w, 14).value();
  CHECK(patient.probability_wait == doctest::Approx(c.probability_wait).epsilon(0.01));
  CHECK(patient.service_level == doctest::Approx(c.service_level).epsilon(0.01));
  CHECK(patient.probability_abandon < 1e-4);
  CHECK(patient.average_wait_seconds == doctest::Approx(c.asa_seconds).epsilon(0.01));
}

TEST_CASE("Erlang A: abandonment falls as agents are added; impatient callers leave") {
  Workload w = example();
  double previous = 1;
  for (int n = 6; n <= 16; ++n) {
    ErlangAResult r = erlang_a(w, n, 120).value();
    CAPTURE(n);
    CHECK(r.probability_abandon < previous);
    CHECK(r.probability_abandon >= 0);
    CHECK(r.service_level <= 1.0 + 1e-9);
    CHECK(r.service_level >= 0);
    previous = r.probability_abandon;
  }
  // Even with fewer agents than erlangs the queue stays finite: callers leave.
  ErlangAResult overloaded = erlang_a(w, 8, 60).value();
  CHECK(overloaded.probability_abandon > 0.1);
  CHECK(overloaded.occupancy < 1.0);
  // Abandonment makes a queue easier to staff than Erlang C says.
  StaffingResult a = erlang_a_agents(w, 120, StaffingGoal{0.8, 1.0, 0.0}).value();
  CHECK(a.agents <= 14);
  CHECK(a.agents >= 12);
}
