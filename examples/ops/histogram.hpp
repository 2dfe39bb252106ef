// A Prometheus-style histogram: observations counted into cumulative
// buckets by upper bound, with their sum and count. The engine's KPI
// collector keeps sums, not distributions, so the server buckets the waits
// and handle times it sees in the notifications (call_timings.hpp).
#pragma once

#include <cstdint>
#include <vector>

namespace hotline::ops {

class Histogram {
 public:
  // `upper_bounds` ascending and finite; the +Inf bucket is implied.
  explicit Histogram(std::vector<double> upper_bounds);

  void observe(double value);

  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  // Observations at or below upper_bounds()[i] (cumulative, as exposed).
  std::uint64_t cumulative_count(std::size_t i) const;
  std::uint64_t count() const noexcept { return count_; }
  double sum() const noexcept { return sum_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;  // per bucket, not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace hotline::ops
