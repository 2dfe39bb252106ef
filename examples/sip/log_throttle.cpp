#include "log_throttle.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hotline::sip {

LogThrottle::LogThrottle(Limits limits) : limits_(limits) {
  limits_.burst = std::max(limits_.burst, 1);
  limits_.window_ms = std::max<std::int64_t>(limits_.window_ms, 1);
}

LogThrottle::Verdict LogThrottle::admit(Noise kind, std::int64_t now_ms) {
  Kind& k = kinds_[static_cast<std::size_t>(kind)];
  if (!k.seen || now_ms < k.window_start || now_ms - k.window_start >= limits_.window_ms) {
    k.seen = true;
    k.window_start = now_ms;
    k.written = 0;
  }
  Verdict v;
  if (k.written >= limits_.burst) {
    ++k.held_back;
    return v;
  }
  ++k.written;
  v.write = true;
  v.held_back = k.held_back;
  v.last_in_window = k.written == limits_.burst;
  k.held_back = 0;
  return v;
}

std::string LogThrottle::Verdict::suffix() const {
  std::string s;
  if (held_back > 0) s += fmt::format(" ({} more like it not written)", held_back);
  if (last_in_window) s += " (further ones held back for a while; the statistics count them)";
  return s;
}

}  // namespace hotline::sip
