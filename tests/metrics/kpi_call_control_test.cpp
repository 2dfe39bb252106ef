// The collector's call-control counts: holds, consultations, conferences
// and wrap-up codes land in the interval they happen in, per queue and per
// agent, and add up across intervals; the parts of AHT add up to AHT.
#include <doctest/doctest.h>

#include "hotline/metrics/kpi.hpp"

using namespace hotline;
using namespace hotline::metrics;

TEST_CASE("call-control counts are kept per interval and add up over the day") {
  KpiOptions o;
  o.interval_ms = minutes(15);
  KpiCollector k(o);
  const TimeMs first = minutes(60);   // 01:00
  const TimeMs second = minutes(75);  // 01:15
  k.held("sales", "ann", first + 1000);
  k.consulted("sales", "ann", first + 2000);
  k.wrap_up_coded("sales", "ann", "sale", first + 3000);
  k.held("sales", "bob", second + 1000);
  k.conferenced("sales", "bob", second + 2000);
  k.wrap_up_coded("sales", "bob", "sale", second + 3000);
  k.wrap_up_coded("sales", "bob", "refund", second + 4000);
  k.wrap_up_coded("", "bob", "callback", second + 5000);  // no queue: the agent's alone

  const auto& intervals = k.queue_intervals("sales");
  REQUIRE(intervals.size() == 2);
  CHECK(intervals.at(first).holds == 1);
  CHECK(intervals.at(first).consultations == 1);
  CHECK(intervals.at(first).wrap_up_codes.at("sale") == 1);
  CHECK(intervals.at(second).conferences == 1);

  const QueueCounts day = k.queue_total("sales");
  CHECK(day.holds == 2);
  CHECK(day.consultations == 1);
  CHECK(day.conferences == 1);
  CHECK(day.wrap_up_codes ==
        std::map<std::string, std::int64_t, std::less<>>{{"refund", 1}, {"sale", 2}});
  CHECK(k.queues() == std::vector<std::string>{"sales"});

  const AgentCounts bob = k.agent_total("bob");
  CHECK(bob.holds == 1);
  CHECK(bob.conferences == 1);
  CHECK(bob.wrap_up_codes ==
        std::map<std::string, std::int64_t, std::less<>>{
            {"callback", 1}, {"refund", 1}, {"sale", 1}});
  CHECK(k.agent_total("ann").consultations == 1);
}

TEST_CASE("the parts of AHT are each per handled contact and add up to it") {
  KpiCollector k;
  k.contact_completed("sales", "ann", 10'000, 100'000, 20'000);
  k.wrap_up_ended("sales", "ann", 40'000, 30'000);
  k.contact_completed("sales", "ann", 90'000, 60'000, 0);
  k.wrap_up_ended("sales", "ann", 100'000, 10'000);
  const QueueCounts q = k.queue_total("sales");
  CHECK(average_talk_ms(q) == 80'000.0);
  CHECK(average_hold_ms(q) == 10'000.0);
  CHECK(average_wrap_ms(q) == 20'000.0);
  CHECK(average_handle_time_ms(q) == 110'000.0);
  const AgentCounts a = k.agent_total("ann");
  CHECK(average_talk_ms(a) == 80'000.0);
  CHECK(average_hold_ms(a) == 10'000.0);
  CHECK(average_wrap_ms(a) == 20'000.0);
  CHECK(average_handle_time_ms(a) == 110'000.0);
  CHECK(average_hold_ms(QueueCounts{}) == 0.0);
  CHECK(average_handle_time_ms(AgentCounts{}) == 0.0);
}
