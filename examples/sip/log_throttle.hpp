// Warnings that anyone who can reach the SIP port can cause, one per packet:
// a REGISTER for an unknown user or with a wrong password, a replayed
// REGISTER, an oversized or malformed request. A script sending such
// packets in a loop would otherwise write a log line for each, burying the
// lines that matter and filling the disk. Each kind is written at most
// `burst` times per `window`; the rest are held back and counted, and the
// next line of that kind written says how many were. The host's statistics
// still count every one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace hotline::sip {

enum class Noise : std::size_t {
  oversized,
  malformed,
  unknown_user,
  wrong_password,
  replayed,
  kinds  // the number of kinds, not a kind
};

class LogThrottle {
 public:
  struct Limits {
    int burst = 10;
    std::int64_t window_ms = 10'000;
  };

  // What to do with one warning.
  struct Verdict {
    bool write = false;
    // Written: how many of its kind were held back since the last written.
    std::uint64_t held_back = 0;
    // Written, and the last of its kind this window writes.
    bool last_in_window = false;

    // To append to the warning's line: "" for a plain line, else what was
    // held back and that more will be.
    std::string suffix() const;
  };

  explicit LogThrottle(Limits limits);
  LogThrottle() : LogThrottle(Limits{}) {}

  // A warning of `kind` at `now_ms`. A clock that went back starts a new window.
  Verdict admit(Noise kind, std::int64_t now_ms);

 private:
  struct Kind {
    std::int64_t window_start = 0;
    int written = 0;  // in the window
    bool seen = false;
    std::uint64_t held_back = 0;  // since the last line written
  };
  Limits limits_;
  std::array<Kind, static_cast<std::size_t>(Noise::kinds)> kinds_{};
};

}  // namespace hotline::sip
