#include "hotline/metrics/erlang.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace hotline::metrics {

double erlang_b(int agents, double erlangs) noexcept {
  // B(0) = 1; B(n) = A·B(n−1) / (n + A·B(n−1)): no factorials, no overflow.
  double b = 1.0;
  for (int n = 1; n <= agents; ++n) b = erlangs * b / (n + erlangs * b);
  return b;
}

ErlangCResult erlang_c(const Workload& w, int agents) noexcept {
  ErlangCResult r;
  r.agents = agents;
  const double a = w.offered_erlangs();
  const double n = agents;
  if (agents <= 0 || a <= 0 || w.aht_seconds <= 0) {
    r.stable = a <= 0;
    r.probability_wait = a <= 0 ? 0 : 1;
    r.service_level = a <= 0 ? 1 : 0;
    r.occupancy = 0;
    return r;
  }
  r.occupancy = std::min(1.0, a / n);
  if (n <= a) return r;  // unstable: everyone waits, for ever longer
  r.stable = true;
  const double b = erlang_b(agents, a);
  r.probability_wait = n * b / (n - a * (1 - b));
  r.service_level =
      1 - r.probability_wait * std::exp(-(n - a) * w.target_answer_seconds / w.aht_seconds);
  r.asa_seconds = r.probability_wait * w.aht_seconds / (n - a);
  return r;
}

namespace {

int scheduled_for(int agents, double shrinkage) {
  if (shrinkage <= 0) return agents;
  if (shrinkage >= 1) return 0;
  // A tiny epsilon keeps 14 / 0.7 = 20 from rounding up to 21.
  return static_cast<int>(std::ceil(agents / (1 - shrinkage) - 1e-9));
}

}  // namespace

StaffingResult erlang_c_agents(const Workload& w, const StaffingGoal& goal) noexcept {
  const double a = w.offered_erlangs();
  int n = std::max(1, static_cast<int>(std::floor(a)) + 1);
  if (goal.max_occupancy > 0 && goal.max_occupancy < 1) {
    n = std::max(n, static_cast<int>(std::ceil(a / goal.max_occupancy - 1e-9)));
  }
  for (; n < 1'000'000; ++n) {
    if (erlang_c(w, n).service_level >= goal.service_level) break;
  }
  return StaffingResult{n, scheduled_for(n, goal.shrinkage)};
}

ErlangAResult erlang_a(const Workload& w, int agents, double patience_seconds) noexcept {
  ErlangAResult r;
  r.agents = agents;
  const double lambda = w.arrivals_per_hour / 3600.0;
  if (lambda <= 0 || w.aht_seconds <= 0 || agents <= 0) {
    r.probability_wait = lambda > 0 ? 1 : 0;
    r.probability_abandon = lambda > 0 ? 1 : 0;
    r.service_level = lambda > 0 ? 0 : 1;
    return r;
  }
  const double mu = 1.0 / w.aht_seconds;
  const double theta = 1.0 / std::max(patience_seconds, 1e-9);
  // Birth–death chain: birth λ; death kμ for k ≤ N, Nμ + (k−N)θ above.
  // Unnormalised terms with running rescaling, truncated once the tail is
  // negligible (abandonment makes it decay geometrically at last).
  std::vector<double> p{1.0};
  double total = 1.0;
  const int n = agents;
  for (int k = 1; k < n + 2'000'000; ++k) {
    const double death = k <= n ? k * mu : n * mu + (k - n) * theta;
    const double next = p.back() * lambda / death;
    p.push_back(next);
    total += next;
    if (total > 1e250) {
      for (double& x : p) x /= total;
      total = 1.0;
    }
    if (k > n && next < total * 1e-16 && death > lambda) break;
  }
  for (double& x : p) x /= total;
  double wait = 0, queue = 0, busy = 0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    const int in_system = static_cast<int>(k);
    if (in_system >= n) wait += p[k];
    if (in_system > n) queue += (in_system - n) * p[k];
    busy += std::min(in_system, n) * p[k];
  }
  r.probability_wait = wait;
  r.probability_abandon = theta * queue / lambda;
  r.average_wait_seconds = queue / lambda;
  r.occupancy = busy / n;

  // Answered within T: an arrival that finds q callers ahead moves up at
  // rate Nμ + iθ (i still ahead) and gives up at rate θ. The chance it is
  // answered by T is found by uniformisation of that killed chain, for all
  // starting positions at once (weighted by the arrival-time distribution).
  const std::size_t ahead_max = p.size() > static_cast<std::size_t>(n) ? p.size() - n : 0;
  if (ahead_max == 0 || wait <= 0) {
    r.service_level = 1 - wait;
    return r;
  }
  std::vector<double> v(ahead_max);  // v[i]: probability of having i callers ahead
  for (std::size_t q = 0; q < ahead_max; ++q) v[q] = p[n + q];
  const double uni = n * mu + static_cast<double>(ahead_max) * theta + theta;
  const double mean_steps = uni * w.target_answer_seconds;
  double served = 0, within = 0;
  double poisson = std::exp(-mean_steps);  // P(0 uniformised steps by T)
  std::vector<double> next(ahead_max);
  const int max_steps = static_cast<int>(mean_steps + 12 * std::sqrt(mean_steps) + 50);
  for (int step = 1; step <= max_steps; ++step) {
    std::fill(next.begin(), next.end(), 0.0);
    for (std::size_t i = 0; i < ahead_max; ++i) {
      if (v[i] == 0) continue;
      const double move = (n * mu + static_cast<double>(i) * theta) / uni;
      const double give_up = theta / uni;
      if (i == 0) served += v[i] * move;
      else next[i - 1] += v[i] * move;
      next[i] += v[i] * (1 - move - give_up);
    }
    v.swap(next);
    // After `step` uniformised events the answered mass is `served`; the
    // mass answered by T sums it weighted by P(exactly `step` events by T).
    poisson *= mean_steps / step;
    within += served * poisson;
  }
  r.service_level = (1 - wait) + within;
  return r;
}

StaffingResult erlang_a_agents(const Workload& w, double patience_seconds,
                               const StaffingGoal& goal) noexcept {
  int n = 1;
  const double a = w.offered_erlangs();
  if (goal.max_occupancy > 0 && goal.max_occupancy < 1) {
    n = std::max(n, static_cast<int>(std::ceil(a / goal.max_occupancy - 1e-9)));
  }
  for (; n < 100'000; ++n) {
    if (erlang_a(w, n, patience_seconds).service_level >= goal.service_level) break;
  }
  return StaffingResult{n, scheduled_for(n, goal.shrinkage)};
}

}  // namespace hotline::metrics
