// Agent time across long gaps between facts: accrued in one step whatever
// the gap, held at the ends of the clock's range instead of overflowing
// (this suite runs under UndefinedBehaviorSanitizer), and the same numbers
// as accounting interval by interval.
#include <doctest/doctest.h>

#include <cstdint>

#include "hotline/metrics/kpi.hpp"

using namespace hotline;
using namespace hotline::metrics;

TEST_CASE("flushing at the end of time returns at once and saturates the state time") {
  KpiCollector k;  // 15-minute intervals: some 10^13 of them up to kNever
  k.agent_activity("ann", Activity::kAvailable, 0);
  k.flush(kNever);
  const AgentCounts total = k.agent_total("ann");
  CHECK(total.available_ms == kNever);
  CHECK(total.logged_in_ms == kNever);
  CHECK(total.busy_ms == 0);
  // A later fact still lands where it belongs.
  k.agent_activity("ann", Activity::kBusy, kNever);
  k.flush(kNever);
  CHECK(k.agent_total("ann").busy_ms == 0);
}

TEST_CASE("an agent logged in just before the end of time accrues without overflow") {
  KpiCollector k;
  k.agent_activity("ann", Activity::kAvailable, kNever - 5);
  k.agent_activity("ann", Activity::kNotReady, kNever - 2);
  k.flush(kNever);
  const AgentCounts total = k.agent_total("ann");
  CHECK(total.available_ms == 3);
  CHECK(total.not_ready_ms == 2);
  CHECK(total.logged_in_ms == 5);
}

TEST_CASE("time from the start of the clock's range to its end is held at its end") {
  KpiCollector k;
  k.agent_activity("ann", Activity::kAvailable, INT64_MIN + 3);
  k.flush(INT64_MIN + 10);
  CHECK(k.agent_total("ann").available_ms == 7);
  k.flush(kNever);
  CHECK(k.agent_total("ann").available_ms == kNever);
  CHECK(k.agent_total("ann").logged_in_ms == kNever);
}

TEST_CASE("whole intervals across a gap count as if they were accounted one by one") {
  KpiCollector k;  // 15-minute intervals
  k.agent_activity("ann", Activity::kAvailable, minutes(10));
  k.agent_activity("ann", Activity::kBusy, minutes(20));
  k.flush(minutes(10 * 60 + 7));  // 10 h 7 min: 39 whole intervals of busy in between
  k.agent_activity("ann", Activity::kWrapUp, minutes(10 * 60 + 7));
  k.agent_activity("ann", Activity::kAvailable, minutes(10 * 60 + 9));
  k.flush(minutes(11 * 60));

  // Each interval on its own, without listing them all.
  CHECK(k.agent_interval("ann", minutes(0)).available_ms == minutes(5));
  CHECK(k.agent_interval("ann", minutes(15)).available_ms == minutes(5));
  CHECK(k.agent_interval("ann", minutes(15)).busy_ms == minutes(10));
  CHECK(k.agent_interval("ann", minutes(5 * 60)).busy_ms == minutes(15));
  CHECK(k.agent_interval("ann", minutes(5 * 60)).logged_in_ms == minutes(15));
  CHECK(k.agent_interval("ann", minutes(10 * 60)).busy_ms == minutes(7));
  CHECK(k.agent_interval("ann", minutes(10 * 60)).wrap_state_ms == minutes(2));
  CHECK(k.agent_interval("ann", minutes(10 * 60)).available_ms == minutes(6));
  CHECK(k.agent_interval("ann", minutes(11 * 60)).logged_in_ms == 0);
  CHECK(k.agent_interval("ann", minutes(7)).logged_in_ms == 0);  // not an interval's start

  const AgentCounts total = k.agent_total("ann");
  CHECK(total.available_ms == minutes(10 + 51));
  CHECK(total.busy_ms == minutes(10 * 60 + 7 - 20));
  CHECK(total.wrap_state_ms == minutes(2));
  CHECK(total.logged_in_ms == minutes(11 * 60 - 10));

  // Listing the intervals spells the gap out: one entry per interval, the
  // same numbers, and the totals unchanged.
  const auto& listed = k.agent_intervals("ann");
  CHECK(listed.size() == 44);  // 0:00 to 10:45
  AgentCounts summed;
  for (const auto& [start, counts] : listed) {
    CHECK(counts.logged_in_ms > 0);
    summed += counts;
  }
  CHECK(summed.busy_ms == total.busy_ms);
  CHECK(summed.available_ms == total.available_ms);
  CHECK(summed.logged_in_ms == total.logged_in_ms);
  CHECK(listed.at(minutes(5 * 60)).busy_ms == minutes(15));
  CHECK(k.agent_total("ann").logged_in_ms == total.logged_in_ms);
}

TEST_CASE("a logged-out agent's gap makes no intervals") {
  KpiCollector k;
  k.agent_activity("ann", Activity::kAvailable, 0);
  k.agent_activity("ann", Activity::kLoggedOut, minutes(5));
  k.flush(kNever);
  CHECK(k.agent_intervals("ann").size() == 1);
  CHECK(k.agent_total("ann").logged_in_ms == minutes(5));
}
