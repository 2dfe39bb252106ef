// Each queue's service level is defined by its own threshold: the collector
// measures a queue's answers and abandons against the threshold it was given
// for that queue, and its options' threshold for queues given none.
#include <doctest/doctest.h>

#include "hotline/metrics/kpi.hpp"

using namespace hotline;
using namespace hotline::metrics;

TEST_CASE("answers after 15 s are within a 30 s threshold and not within a 10 s one") {
  KpiCollector k;
  k.set_service_level("ten", 10'000);
  k.set_service_level("thirty", 30'000);
  for (const char* q : {"ten", "thirty"}) {
    k.contact_offered(q, 0);
    k.contact_answered(q, "", 15'000, 15'000);
  }
  CHECK(k.service_level_ms("ten") == 10'000);
  CHECK(k.service_level_ms("thirty") == 30'000);
  CHECK(k.queue_total("ten").answered_within_sl == 0);
  CHECK(k.queue_total("thirty").answered_within_sl == 1);
  CHECK(service_level(k.queue_total("ten"), ServiceLevelFormula::kAnswered) == 0.0);
  CHECK(service_level(k.queue_total("thirty"), ServiceLevelFormula::kAnswered) == 1.0);
  // Figures across queues add the queues' own counts.
  const QueueCounts all = k.all_queues_total();
  CHECK(all.answered == 2);
  CHECK(all.answered_within_sl == 1);
  CHECK(k.queue_intervals("ten").at(0).answered_within_sl == 0);
  CHECK(k.queue_intervals("thirty").at(0).answered_within_sl == 1);
}

TEST_CASE("abandons are measured against the queue's own threshold too") {
  KpiCollector k;
  k.set_service_level("ten", 10'000);
  k.set_service_level("thirty", 30'000);
  k.contact_abandoned("ten", 15'000, 15'000);
  k.contact_abandoned("thirty", 15'000, 15'000);
  CHECK(k.queue_total("ten").abandoned_within_sl == 0);
  CHECK(k.queue_total("thirty").abandoned_within_sl == 1);
}

TEST_CASE("queues given no threshold use the options' one") {
  KpiOptions o;
  o.service_level_ms = 20'000;
  KpiCollector k(o);
  CHECK(k.service_level_ms("never-seen") == 20'000);
  k.set_service_level("own", 5'000);
  k.contact_answered("own", "", 10'000, 10'000);
  k.contact_answered("plain", "", 10'000, 10'000);
  CHECK(k.queue_total("own").answered_within_sl == 0);
  CHECK(k.queue_total("plain").answered_within_sl == 1);
  // A negative threshold gives the queue the options' one back.
  k.set_service_level("own", -1);
  CHECK(k.service_level_ms("own") == 20'000);
  k.contact_answered("own", "", 20'000, 10'000);
  CHECK(k.queue_total("own").answered_within_sl == 1);
}

TEST_CASE("a new threshold counts from the next answer; earlier ones keep theirs") {
  KpiCollector k;
  k.set_service_level("q", 10'000);
  k.contact_answered("q", "", 15'000, 15'000);
  k.set_service_level("q", 30'000);
  k.contact_answered("q", "", 30'000, 15'000);
  CHECK(k.queue_total("q").answered == 2);
  CHECK(k.queue_total("q").answered_within_sl == 1);
}

TEST_CASE("a copy of the collector keeps the queues' thresholds") {
  KpiCollector k;
  k.set_service_level("q", 10'000);
  KpiCollector copy(k);
  copy.contact_answered("q", "", 15'000, 15'000);
  CHECK(copy.service_level_ms("q") == 10'000);
  CHECK(copy.queue_total("q").answered_within_sl == 0);
  KpiCollector assigned;
  assigned = k;
  assigned.contact_answered("q", "", 5'000, 5'000);
  CHECK(assigned.queue_total("q").answered_within_sl == 1);
  CHECK(assigned.service_level_ms("q") == 10'000);
  CHECK(k.queue_total("q").answered == 0);  // the copies count on their own
}

TEST_CASE("contacts taken out of the queue are counted as removed") {
  KpiCollector k;
  k.contact_offered("q", 0);
  k.contact_removed("q", 1'000);
  k.contact_removed("q", minutes(20));
  CHECK(k.queue_total("q").removed == 2);
  CHECK(k.queue_intervals("q").at(0).removed == 1);
  CHECK(k.all_queues_total().removed == 2);
}
