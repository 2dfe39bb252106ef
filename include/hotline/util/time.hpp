// Time inside the core is an int64 count of milliseconds on the host's clock
// (wall-clock epoch milliseconds in production, any origin in simulation).
// The core never reads a clock: every event carries its time.
#pragma once

#include <cstdint>

namespace hotline {

using TimeMs = std::int64_t;
using DurationMs = std::int64_t;

inline constexpr TimeMs kNever = INT64_MAX;

constexpr DurationMs seconds(std::int64_t s) { return s * 1000; }
constexpr DurationMs minutes(std::int64_t m) { return m * 60 * 1000; }

}  // namespace hotline
