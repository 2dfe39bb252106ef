// Staffing calculators: Erlang C (M/M/N, callers wait forever) and Erlang A
// (M/M/N+M, callers abandon after an exponential patience). Formulas and
// their sources are in docs/metrics.md.
#pragma once

#include <optional>

namespace hotline::metrics {

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

// Erlang B blocking probability, by the numerically stable recursion.
double erlang_b(int agents, double erlangs) noexcept;

ErlangCResult erlang_c(const Workload& w, int agents) noexcept;
StaffingResult erlang_c_agents(const Workload& w, const StaffingGoal& goal) noexcept;

// `patience_seconds`: the callers' mean patience (1/θ).
ErlangAResult erlang_a(const Workload& w, int agents, double patience_seconds) noexcept;
StaffingResult erlang_a_agents(const Workload& w, double patience_seconds,
                               const StaffingGoal& goal) noexcept;

}  // namespace hotline::metrics
