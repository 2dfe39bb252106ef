#include <doctest/doctest.h>

#include "hotline/metrics/kpi.hpp"

using namespace hotline;
using namespace hotline::metrics;

TEST_CASE("service-level variants on the reference worked example") {
  // 1,000 answered, 60 abandoned, 860 answered within 20 s, 20 abandoned
  // within 20 s (all of them short abandons here).
  QueueCounts c;
  c.offered = 1060;
  c.answered = 1000;
  c.abandoned = 60;
  c.answered_within_sl = 860;
  c.abandoned_within_sl = 20;
  c.short_abandoned = 20;
  CHECK(service_level(c, ServiceLevelFormula::kAnswered) == doctest::Approx(0.86));
  CHECK(service_level(c, ServiceLevelFormula::kAnsweredAndAbandoned) ==
        doctest::Approx(860.0 / 1060));
  CHECK(service_level(c, ServiceLevelFormula::kCountAbandonsWithinT) ==
        doctest::Approx(880.0 / 1060));
  CHECK(service_level(c, ServiceLevelFormula::kExcludeShortAbandons) ==
        doctest::Approx(860.0 / 1040));
  CHECK(service_level(c, ServiceLevelFormula::kOfferedLessShortAbandons) ==
        doctest::Approx(860.0 / 1040));
  CHECK(service_level(QueueCounts{}, ServiceLevelFormula::kAnswered) == 0);
}

TEST_CASE("contacts are counted in the interval they happen in") {
  KpiOptions o;
  o.interval_ms = minutes(15);
  o.service_level_ms = 20'000;
  o.short_abandon_ms = 5'000;
  KpiCollector k(o);
  const TimeMs t0 = minutes(60);  // 01:00
  k.contact_offered("sales", t0);
  k.contact_answered("sales", "ann", t0 + 12'000, 12'000);
  k.contact_offered("sales", t0 + 60'000);
  k.contact_abandoned("sales", t0 + 63'000, 3'000);  // a short abandon
  k.contact_offered("sales", t0 + minutes(16));
  k.contact_answered("sales", "bob", t0 + minutes(16) + 40'000, 40'000);
  k.contact_completed("sales", "ann", t0 + minutes(5), 288'000, 0);
  k.wrap_up_ended("sales", "ann", t0 + minutes(6), 12'000);
  auto& intervals = k.queue_intervals("sales");
  REQUIRE(intervals.size() == 2);
  const QueueCounts& first = intervals.at(t0);
  CHECK(first.offered == 2);
  CHECK(first.answered == 1);
  CHECK(first.short_abandoned == 1);
  CHECK(service_level(first, o.formula) == doctest::Approx(1.0));  // 1 / (2 − 1)
  CHECK(average_handle_time_ms(first) == doctest::Approx(300'000));
  const QueueCounts& second = intervals.at(t0 + minutes(15));
  CHECK(second.answered_within_sl == 0);
  CHECK(average_speed_of_answer_ms(second) == doctest::Approx(40'000));
  QueueCounts total = k.queue_total("sales");
  CHECK(total.offered == 3);
  CHECK(total.longest_wait_ms == 40'000);
  CHECK(abandonment_rate(total) == doctest::Approx(1.0 / 3));
  CHECK(average_time_to_abandon_ms(total) == doctest::Approx(3'000));
}

TEST_CASE("agent time is split at interval boundaries and gives occupancy") {
  KpiCollector k;  // 15-minute intervals
  k.agent_activity("ann", Activity::kAvailable, minutes(10));
  k.agent_activity("ann", Activity::kBusy, minutes(14));
  k.agent_activity("ann", Activity::kWrapUp, minutes(20));
  k.agent_activity("ann", Activity::kAvailable, minutes(22));
  k.flush(minutes(30));
  auto& iv = k.agent_intervals("ann");
  REQUIRE(iv.size() == 2);
  CHECK(iv.at(0).available_ms == minutes(4));
  CHECK(iv.at(0).busy_ms == minutes(1));
  CHECK(iv.at(minutes(15)).busy_ms == minutes(5));
  CHECK(iv.at(minutes(15)).wrap_state_ms == minutes(2));
  CHECK(iv.at(minutes(15)).available_ms == minutes(8));
  AgentCounts total = k.agent_total("ann");
  CHECK(total.logged_in_ms == minutes(20));
  CHECK(occupancy(total) == doctest::Approx(8.0 / 20));
}

TEST_CASE("first-contact resolution is over every contact that raised an issue") {
  KpiCollector k;
  // Four contacts raised an issue; three were resolved, two of them at once.
  for (int i = 0; i < 4; ++i) k.issue_contact("q", 0);
  k.ticket_resolved("q", true, 0);
  k.ticket_resolved("q", true, 0);
  k.ticket_resolved("q", false, 0);
  for (int score : {5, 4, 3, 1, 5}) k.satisfaction("q", score, 0);
  k.satisfaction("q", 9, 0);  // out of range: ignored
  QueueCounts c = k.queue_total("q");
  CHECK(c.resolutions == 3);
  CHECK(first_contact_resolution(c) == doctest::Approx(2.0 / 4));
  CHECK(c.csat_responses == 5);
  CHECK(csat_top_box(c) == doctest::Approx(0.6));
}

TEST_CASE("an outcome is counted in the interval its contact arrived in") {
  KpiOptions o;
  o.interval_ms = minutes(15);
  KpiCollector k(o);
  const TimeMs t0 = minutes(60);
  // Offered at 01:14, answered at 01:16 after two minutes: both in 01:00.
  k.contact_offered("sales", t0 + minutes(14));
  k.contact_answered("sales", "ann", t0 + minutes(16), minutes(2));
  // Offered at 01:13, gave up at 01:17; offered at 01:12, overflowed at
  // 01:18 and was removed at 01:19.
  k.contact_offered("sales", t0 + minutes(13));
  k.contact_abandoned("sales", t0 + minutes(17), minutes(4));
  k.contact_offered("sales", t0 + minutes(12));
  k.contact_overflowed("sales", t0 + minutes(18), minutes(6));
  k.contact_removed("sales", t0 + minutes(19), minutes(7));
  auto& intervals = k.queue_intervals("sales");
  REQUIRE(intervals.count(t0) == 1);
  const QueueCounts& first = intervals.at(t0);
  CHECK(first.offered == 3);
  CHECK(first.answered == 1);
  CHECK(first.abandoned == 1);
  CHECK(first.overflowed == 1);
  CHECK(first.removed == 1);
  CHECK(first.answer_wait_ms == minutes(2));
  if (intervals.count(t0 + minutes(15))) {
    const QueueCounts& second = intervals.at(t0 + minutes(15));
    CHECK(second.offered == 0);
    CHECK(second.answered == 0);
    CHECK(second.abandoned == 0);
  }
  // The agent answered at 01:16: the agent's own count is in that interval.
  CHECK(k.agent_interval("ann", t0 + minutes(15)).answered == 1);
}
