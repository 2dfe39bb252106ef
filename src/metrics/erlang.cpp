#include "hotline/metrics/erlang.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace hotline::metrics {

namespace {

Error invalid(const char* field, const char* rule, double got) {
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: must be {} (got {})", field, rule, got));
}

// Searches for the fewest agents in [from, kMaxAgents] that meet `target`:
// from a first guess, doubling steps up (or down) until the answer is
// bracketed, then bisection, so a large center costs a few dozen evaluations
// rather than one per agent. Service level rises with agents in both models,
// which is what makes the bisection sound; `from` − 1 is taken to fall short.
template <typename Evaluate>
Result<int> fewest_agents(int from, int guess, double target, Evaluate&& service_level_of) {
  int low = from - 1;
  int high = std::clamp(guess, from, kMaxAgents);
  auto meets = [&](int agents) -> Result<bool> {
    auto sl = service_level_of(agents);
    if (!sl) return std::move(sl).error();
    return *sl >= target;
  };
  auto first = meets(high);
  if (!first) return std::move(first).error();
  if (*first) {
    for (int step = 1; high - 1 > low; step *= 2) {
      const int probe = std::max(low, high - step);
      if (probe == low) break;
      auto ok = meets(probe);
      if (!ok) return std::move(ok).error();
      if (!*ok) {
        low = probe;
        break;
      }
      high = probe;
    }
  } else {
    for (int step = 1;; step = std::min(step * 2, kMaxAgents)) {
      if (high >= kMaxAgents) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("no number of agents up to {} reaches a service level of {}",
                                      kMaxAgents, target));
      }
      low = high;
      high = static_cast<int>(std::min<long long>(kMaxAgents, static_cast<long long>(high) + step));
      auto ok = meets(high);
      if (!ok) return std::move(ok).error();
      if (*ok) break;
    }
  }
  while (high - low > 1) {
    const int mid = low + (high - low) / 2;
    auto ok = meets(mid);
    if (!ok) return std::move(ok).error();
    if (*ok) high = mid;
    else low = mid;
  }
  return high;
}

int scheduled_for(int agents, double shrinkage) {
  if (shrinkage <= 0) return agents;
  // A tiny epsilon keeps 14 / 0.7 = 20 from rounding up to 21.
  const double scheduled = std::ceil(agents / (1 - shrinkage) - 1e-9);
  return scheduled >= kMaxAgents * 100.0 ? kMaxAgents * 100 : static_cast<int>(scheduled);
}

int occupancy_floor(double erlangs, const StaffingGoal& goal) {
  if (!(goal.max_occupancy < 1)) return 1;
  return std::max(1, static_cast<int>(std::ceil(erlangs / goal.max_occupancy - 1e-9)));
}

}  // namespace

Status check_workload(const Workload& w) {
  const auto in = [](double x, double low, double high) {
    return std::isfinite(x) && x >= low && x <= high;
  };
  if (!in(w.arrivals_per_hour, 0, HUGE_VAL)) {
    return invalid("arrivals_per_hour", "a finite number >= 0", w.arrivals_per_hour);
  }
  if (!in(w.aht_seconds, 0, kMaxSeconds) || w.aht_seconds == 0) {
    return invalid("aht_seconds", fmt::format("a finite number > 0 and <= {}", kMaxSeconds).c_str(),
                   w.aht_seconds);
  }
  if (!in(w.target_answer_seconds, 0, kMaxSeconds)) {
    return invalid("target_answer_seconds",
                   fmt::format("a finite number >= 0 and <= {}", kMaxSeconds).c_str(),
                   w.target_answer_seconds);
  }
  if (!(w.offered_erlangs() <= kMaxOfferedErlangs)) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("offered load: arrivals_per_hour × aht_seconds / 3600 = {} "
                                  "erlangs exceeds the limit of {}",
                                  w.offered_erlangs(), kMaxOfferedErlangs));
  }
  return {};
}

Status check_agents(int agents) {
  if (agents < 0 || agents > kMaxAgents) {
    return invalid("agents", fmt::format("between 0 and {}", kMaxAgents).c_str(), agents);
  }
  return {};
}

Status check_patience(double patience_seconds) {
  if (!std::isfinite(patience_seconds) || !(patience_seconds > 0) ||
      patience_seconds > kMaxSeconds) {
    return invalid("patience_seconds",
                   fmt::format("a finite number > 0 and <= {}", kMaxSeconds).c_str(),
                   patience_seconds);
  }
  return {};
}

Status check_goal(const StaffingGoal& goal) {
  if (!(goal.service_level > 0 && goal.service_level < 1)) {
    return invalid("service_level", "a probability strictly between 0 and 1", goal.service_level);
  }
  if (!(goal.max_occupancy > 0 && goal.max_occupancy <= 1)) {
    return invalid("max_occupancy", "greater than 0 and at most 1", goal.max_occupancy);
  }
  if (!(goal.shrinkage >= 0 && goal.shrinkage < 1)) {
    return invalid("shrinkage", "at least 0 and less than 1", goal.shrinkage);
  }
  return {};
}

double erlang_b(int agents, double erlangs) noexcept {
  // B(0) = 1; B(n) = A·B(n−1) / (n + A·B(n−1)): no factorials, no overflow.
  double b = 1.0;
  for (int n = 1; n <= agents; ++n) b = erlangs * b / (n + erlangs * b);
  return b;
}

Result<ErlangCResult> erlang_c(const Workload& w, int agents) {
  if (auto ok = check_workload(w); !ok) return std::move(ok).error();
  if (auto ok = check_agents(agents); !ok) return std::move(ok).error();
  ErlangCResult r;
  r.agents = agents;
  const double a = w.offered_erlangs();
  const double n = agents;
  if (agents == 0 || a <= 0) {
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

Result<StaffingResult> erlang_c_agents(const Workload& w, const StaffingGoal& goal) {
  if (auto ok = check_workload(w); !ok) return std::move(ok).error();
  if (auto ok = check_goal(goal); !ok) return std::move(ok).error();
  const double a = w.offered_erlangs();
  // Fewer agents than erlangs never serve anyone within T (the queue grows).
  const int from = std::max(static_cast<int>(std::floor(a)) + 1, occupancy_floor(a, goal));
  auto n = fewest_agents(from, from, goal.service_level, [&](int agents) -> Result<double> {
    auto r = erlang_c(w, agents);
    if (!r) return std::move(r).error();
    return r->service_level;
  });
  if (!n) return std::move(n).error();
  return StaffingResult{*n, scheduled_for(*n, goal.shrinkage)};
}

Result<ErlangAResult> erlang_a(const Workload& w, int agents, double patience_seconds) {
  if (auto ok = check_workload(w); !ok) return std::move(ok).error();
  if (auto ok = check_agents(agents); !ok) return std::move(ok).error();
  if (auto ok = check_patience(patience_seconds); !ok) return std::move(ok).error();
  ErlangAResult r;
  r.agents = agents;
  const double lambda = w.arrivals_per_hour / 3600.0;
  if (lambda <= 0 || agents == 0) {
    r.probability_wait = lambda > 0 ? 1 : 0;
    r.probability_abandon = lambda > 0 ? 1 : 0;
    r.service_level = lambda > 0 ? 0 : 1;
    return r;
  }
  const double mu = 1.0 / w.aht_seconds;
  const double theta = 1.0 / patience_seconds;
  // Birth–death chain: birth λ; death kμ for k ≤ N, Nμ + (k−N)θ above.
  // Terms are kept as logarithms (a flooded queue grows them by λ/death at
  // every step, past any double) and truncated once the tail is negligible
  // next to the largest term (abandonment makes it decay geometrically at last).
  const int n = agents;
  std::vector<double> p{0.0};  // log of the unnormalised terms, then the terms
  double log_peak = 0.0;
  const double log_negligible = std::log(1e-16);
  for (int k = 1; k < n + 2'000'000; ++k) {
    const double death = k <= n ? k * mu : n * mu + (k - n) * theta;
    const double next = p.back() + std::log(lambda / death);
    p.push_back(next);
    log_peak = std::max(log_peak, next);
    if (k > n && next < log_peak + log_negligible && death > lambda) break;
  }
  double total = 0.0;
  for (double& x : p) total += (x = std::exp(x - log_peak));
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
  const double uni = n * mu + static_cast<double>(ahead_max) * theta + theta;
  const double mean_steps = uni * w.target_answer_seconds;
  const double steps = std::ceil(mean_steps + 12 * std::sqrt(mean_steps) + 50);
  if (steps * static_cast<double>(ahead_max) > kMaxErlangAWork) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("erlang_a: answered within {} s needs {} queue positions × {} "
                                  "steps, over the limit of {}; shorten the target or the patience",
                                  w.target_answer_seconds, ahead_max, steps, kMaxErlangAWork));
  }
  std::vector<double> v(ahead_max);  // v[i]: probability of having i callers ahead
  for (std::size_t q = 0; q < ahead_max; ++q) v[q] = p[n + q];
  double served = 0, within = 0;
  // P(exactly `step` uniformised events by T), from logarithms: e^−mean
  // underflows to 0 once the mean passes about 745 (long targets, many agents).
  const double log_mean = std::log(mean_steps);
  std::vector<double> next(ahead_max);
  const int max_steps = static_cast<int>(steps);
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
    const double poisson = std::exp(step * log_mean - mean_steps - std::lgamma(step + 1.0));
    within += served * poisson;
  }
  r.service_level = (1 - wait) + within;
  return r;
}

Result<StaffingResult> erlang_a_agents(const Workload& w, double patience_seconds,
                                       const StaffingGoal& goal) {
  if (auto ok = check_workload(w); !ok) return std::move(ok).error();
  if (auto ok = check_patience(patience_seconds); !ok) return std::move(ok).error();
  if (auto ok = check_goal(goal); !ok) return std::move(ok).error();
  const double a = w.offered_erlangs();
  const int from = occupancy_floor(a, goal);
  // With abandonment fewer agents than erlangs may do; start near the load.
  const int guess = static_cast<int>(std::floor(a)) + 1;
  auto n = fewest_agents(from, guess, goal.service_level, [&](int agents) -> Result<double> {
    auto r = erlang_a(w, agents, patience_seconds);
    if (!r) return std::move(r).error();
    return r->service_level;
  });
  if (!n) return std::move(n).error();
  return StaffingResult{*n, scheduled_for(*n, goal.shrinkage)};
}

}  // namespace hotline::metrics
