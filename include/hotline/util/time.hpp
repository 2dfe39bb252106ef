// Time inside the core is an int64 count of milliseconds on the host's clock
// (wall-clock epoch milliseconds in production, any origin in simulation).
// The core never reads a clock: every event carries its time.
#pragma once

#include <cstdint>

namespace hotline {

using TimeMs = std::int64_t;
using DurationMs = std::int64_t;

inline constexpr TimeMs kNever = INT64_MAX;

// `t` plus `d`, held at the ends of the range instead of overflowing: a
// deadline past the end of time is kNever, whatever the host's clock says.
constexpr TimeMs add_saturating(TimeMs t, DurationMs d) {
  TimeMs sum = 0;
  if (!__builtin_add_overflow(t, d, &sum)) return sum;
  return d > 0 ? kNever : INT64_MIN;
}

constexpr DurationMs seconds(std::int64_t s) { return s * 1000; }
constexpr DurationMs minutes(std::int64_t m) { return m * 60 * 1000; }

}  // namespace hotline
