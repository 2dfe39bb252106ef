#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "log_throttle.hpp"

using namespace hotline::sip;

namespace {

// How many of `count` warnings of `kind`, one a millisecond from `start`, are written.
int written_of(LogThrottle& throttle, Noise kind, int count, std::int64_t start) {
  int written = 0;
  for (int i = 0; i < count; ++i) written += throttle.admit(kind, start + i).write ? 1 : 0;
  return written;
}

}  // namespace

TEST_CASE("a flood writes a burst a window, and the next line counts what was held back") {
  LogThrottle throttle({3, 1000});
  for (int i = 0; i < 3; ++i) {
    const LogThrottle::Verdict v = throttle.admit(Noise::wrong_password, 100 + i);
    CHECK(v.write);
    CHECK(v.held_back == 0);
    CHECK(v.last_in_window == (i == 2));
  }
  CHECK(throttle.admit(Noise::wrong_password, 103).suffix().empty());  // held back: not written
  CHECK(written_of(throttle, Noise::wrong_password, 500, 104) == 0);
  // The window, 1,000 ms from its first line, is over: 501 were held back.
  const LogThrottle::Verdict next = throttle.admit(Noise::wrong_password, 1100);
  CHECK(next.write);
  CHECK(next.held_back == 501);
  CHECK(next.suffix() == " (501 more like it not written)");
  const LogThrottle::Verdict after = throttle.admit(Noise::wrong_password, 1101);
  CHECK(after.write);
  CHECK(after.held_back == 0);
}

TEST_CASE("the last line of a window says that more will be held back") {
  LogThrottle throttle({1, 1000});
  const LogThrottle::Verdict v = throttle.admit(Noise::replayed, 0);
  CHECK(v.write);
  CHECK(v.last_in_window);
  CHECK(v.suffix() == " (further ones held back for a while; the statistics count them)");
}

TEST_CASE("each kind has its own allowance") {
  LogThrottle throttle({2, 1000});
  CHECK(written_of(throttle, Noise::unknown_user, 50, 0) == 2);
  // A flood of unknown users does not silence a wrong password or an oversized request.
  CHECK(written_of(throttle, Noise::wrong_password, 50, 10) == 2);
  CHECK(written_of(throttle, Noise::oversized, 50, 20) == 2);
  CHECK(written_of(throttle, Noise::malformed, 1, 30) == 1);
}

TEST_CASE("a steady trickle below the limit is written whole") {
  LogThrottle throttle({10, 10'000});
  // One a second for a minute: never more than ten in ten seconds.
  int written = 0;
  for (int i = 0; i < 60; ++i) written += throttle.admit(Noise::replayed, i * 1000).write ? 1 : 0;
  CHECK(written == 60);
}

TEST_CASE("a clock stepped back starts a new window instead of silencing the kind") {
  LogThrottle throttle({2, 10'000});
  CHECK(written_of(throttle, Noise::wrong_password, 5, 1'000'000) == 2);
  // Stepped back an hour: without a new window, "now - start" would stay
  // negative, under the window, for an hour.
  const LogThrottle::Verdict v = throttle.admit(Noise::wrong_password, 1'000'000 - 3'600'000);
  CHECK(v.write);
  CHECK(v.held_back == 3);
}

TEST_CASE("limits below one are read as one") {
  LogThrottle throttle({0, 0});
  CHECK(throttle.admit(Noise::malformed, 5).write);
  CHECK(throttle.admit(Noise::malformed, 6).write);  // a window of 1 ms: each its own
  CHECK_FALSE(throttle.admit(Noise::malformed, 6).write);
}
