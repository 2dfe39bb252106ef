// Staffing calculators: Erlang C (M/M/N, callers wait forever) and Erlang A
// (M/M/N+M, callers abandon after an exponential patience). Formulas and
// their sources are in docs/metrics.md.
//
// Every calculator checks its input first and refuses what it cannot answer
// in bounded time (NaN, infinities, negative times, a target outside (0, 1),
// a load beyond the limits below) with an error that names the field, so a
// caller never waits on a search that cannot end.
#pragma once

#include "hotline/util/result.hpp"

namespace hotline::metrics {

// Limits on input, chosen far above any real contact center and low enough
// that each calculation ends within a second (docs/metrics.md, "Limits").
inline constexpr double kMaxOfferedErlangs = 10'000;  // arrivals × AHT, in erlangs
inline constexpr int kMaxAgents = 1'000'000;
inline constexpr double kMaxSeconds = 1e7;  // AHT, T and patience: about 115 days
// Erlang A's answered-within-T step (states × uniformised steps) may not
// exceed this; beyond it the calculation is refused rather than left to run.
inline constexpr double kMaxErlangAWork = 1e8;

struct Workload {
  double arrivals_per_hour = 0;
  double aht_seconds = 0;          // average handle time (talk + hold + wrap-up)
  double target_answer_seconds = 20;  // T in "80 % answered within T"
  double offered_erlangs() const noexcept { return arrivals_per_hour * aht_seconds / 3600.0; }
};

struct ErlangCResult {
  int agents = 0;
  bool stable = false;        // agents > offered load; otherwise the queue grows forever
  double probability_wait = 1;
  double service_level = 0;   // answered within T
  double asa_seconds = 0;     // average speed of answer (all callers)
  double occupancy = 1;
};

struct ErlangAResult {
  int agents = 0;
  double probability_wait = 0;     // an arrival finds every agent busy
  double probability_abandon = 0;  // an arrival gives up before being served
  double service_level = 0;        // arrivals answered within T, over all arrivals
  double average_wait_seconds = 0; // time in queue, over all arrivals (E[Q] / λ)
  double occupancy = 0;            // served load over agents
};

struct StaffingGoal {
  double service_level = 0.8;  // at least this fraction answered within T
  double max_occupancy = 1.0;  // at most this busy (1: no cap)
  double shrinkage = 0.0;      // breaks, training, absence: scheduled = needed / (1 − shrinkage)
};

struct StaffingResult {
  int agents = 0;     // on the phones
  int scheduled = 0;  // to schedule, with shrinkage
};

// The checks every calculator runs; messages name the field
// ("aht_seconds: must be a finite number > 0 and <= 1e+07 (got -1)").
Status check_workload(const Workload& w);
Status check_agents(int agents);
Status check_patience(double patience_seconds);
Status check_goal(const StaffingGoal& goal);

// Erlang B blocking probability, by the numerically stable recursion
// (agents <= 0 blocks everything).
double erlang_b(int agents, double erlangs) noexcept;

Result<ErlangCResult> erlang_c(const Workload& w, int agents);
Result<StaffingResult> erlang_c_agents(const Workload& w, const StaffingGoal& goal);

// `patience_seconds`: the callers' mean patience (1/θ).
Result<ErlangAResult> erlang_a(const Workload& w, int agents, double patience_seconds);
Result<StaffingResult> erlang_a_agents(const Workload& w, double patience_seconds,
                                       const StaffingGoal& goal);

}  // namespace hotline::metrics
