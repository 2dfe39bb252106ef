// CSAT per queue and per agent: scores 1 to 5 count, each in its interval,
// and add up over the day; anything else is no response.
#include <doctest/doctest.h>

#include "hotline/metrics/kpi.hpp"

using namespace hotline;
using namespace hotline::metrics;

TEST_CASE("survey scores count for the queue and the agent, over intervals") {
  KpiOptions o;
  o.interval_ms = minutes(15);
  KpiCollector k(o);
  const TimeMs first = minutes(60);
  const TimeMs second = minutes(75);
  k.satisfaction("sales", "ann", 5, first + 1000);
  k.satisfaction("sales", "ann", 2, second + 1000);
  k.satisfaction("sales", "bob", 4, second + 2000);
  k.satisfaction("sales", "bob", 0, second + 3000);  // not rated
  k.satisfaction("sales", "bob", 6, second + 4000);  // out of range
  k.satisfaction("", "bob", 3, second + 5000);       // no queue: the agent's alone

  const QueueCounts sales = k.queue_total("sales");
  CHECK(sales.csat_responses == 3);
  CHECK(sales.csat_top_box == 2);
  CHECK(csat_top_box(sales) == doctest::Approx(2.0 / 3.0));
  CHECK(csat_mean(sales) == doctest::Approx(11.0 / 3.0));
  CHECK(k.queue_intervals("sales").at(first).csat_responses == 1);
  CHECK(k.queue_intervals("sales").at(second).csat_responses == 2);

  const AgentCounts ann = k.agent_total("ann");
  CHECK(ann.csat_responses == 2);
  CHECK(csat_top_box(ann) == 0.5);
  CHECK(csat_mean(ann) == 3.5);
  const AgentCounts bob = k.agent_total("bob");
  CHECK(bob.csat_responses == 2);
  CHECK(bob.csat_top_box == 1);
  CHECK(csat_mean(bob) == 3.5);
}
