// The KPI collector is the one place a queue's contacts are counted. Fed
// with the router's outputs, as a routing-only host feeds it, its counts are
// the outputs emitted about the queue, and each queue's answers are measured
// against that queue's own service-level threshold.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "../routing/router_fixture.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;
using hotline::engine::KpiFeed;

namespace {

// A harness whose every output goes through the feed before it is read.
struct FedHarness : Harness {
  metrics::KpiCollector kpi;
  KpiFeed feed{kpi, router};
  std::vector<Output> all;

  void drain() {
    for (const Output& o : router.outputs()) {
      feed.on(o);
      all.push_back(o);
    }
    clear();
  }
  std::int64_t count(Output::Kind k) const {
    return static_cast<std::int64_t>(
        std::count_if(all.begin(), all.end(), [&](const Output& o) { return o.kind == k; }));
  }
};

}  // namespace

TEST_CASE("a refusal at max length is a refused contact of the queue") {
  FedHarness h;
  QueueConfig q = queue("q");
  q.max_length = 2;
  h.add(q);
  h.enqueue(contact("q"));
  h.enqueue(contact("q"));
  CHECK(!h.router.enqueue(contact("q"), h.now).ok());
  h.drain();
  const metrics::QueueCounts c = h.kpi.queue_total("q");
  CHECK(c.refused == 1);
  CHECK(c.offered == 2);
}

TEST_CASE("the collector's counts of a queue equal the outputs that were emitted about it") {
  FedHarness h;
  QueueConfig q = queue("q");
  q.max_length = 3;
  q.max_wait_ms = 60'000;
  q.service_level_ms = 20'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  ContactId answered = h.enqueue(contact("q"));
  ContactId left = h.enqueue(contact("q"));
  ContactId taken_out = h.enqueue(contact("q"));
  CHECK(!h.router.enqueue(contact("q"), h.now).ok());  // full
  h.drain();
  h.now += 7'000;
  h.login("a");
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == answered);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.drain();
  h.tick(53'000);  // the two still waiting reach the max wait
  REQUIRE(h.router.abandon(left, h.now).ok());
  REQUIRE(h.router.remove(taken_out, h.now).ok());
  h.now += 30'000;
  REQUIRE(h.router.complete(answered, h.now).ok());
  h.drain();
  const metrics::QueueCounts c = h.kpi.queue_total("q");
  CHECK(c.offered == 3);
  CHECK(c.offered == h.count(Output::Kind::kContactQueued));
  CHECK(c.refused == h.count(Output::Kind::kContactRefused));
  CHECK(c.refused == 1);
  CHECK(c.answered == h.count(Output::Kind::kOfferAccepted));
  CHECK(c.abandoned == h.count(Output::Kind::kContactAbandoned));
  CHECK(c.abandoned == 1);
  CHECK(c.removed == h.count(Output::Kind::kContactRemoved));
  CHECK(c.removed == 1);
  CHECK(c.overflowed == h.count(Output::Kind::kQueueOverflow));
  CHECK(c.overflowed == 2);
  CHECK(c.handled == h.count(Output::Kind::kContactCompleted));
  CHECK(c.answered_within_sl == 1);  // answered after 7 s, threshold 20 s
  CHECK(c.answer_wait_ms == 7'000);
  CHECK(c.talk_ms == 83'000);  // from the answer at 7 s to the end at 90 s
  CHECK(c.abandon_wait_ms == 60'000);
}

TEST_CASE("waits and talk of answered contacts reach the collector") {
  FedHarness h;
  QueueConfig q = queue("q");
  q.service_level_ms = 20'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  ContactId c1 = h.enqueue(contact("q"));
  h.now += 10'000;
  h.enqueue(contact("q"));
  h.now += 15'000;
  h.login("a");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());  // c1 after 25 s
  h.drain();
  h.now += 120'000;
  REQUIRE(h.router.complete(c1, h.now).ok());
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());  // c2 after 135 s
  h.drain();
  const metrics::QueueCounts c = h.kpi.queue_total("q");
  CHECK(c.offered == 2);
  CHECK(c.answered == 2);
  CHECK(c.answered_within_sl == 0);
  CHECK(c.talk_ms == 120'000);
  CHECK(c.answer_wait_ms == 25'000 + 135'000);
  CHECK(c.longest_wait_ms == 135'000);
  CHECK(h.kpi.agent_total("a").answered == 2);
}

TEST_CASE("each queue's answers are measured against its own threshold, and totals add them") {
  FedHarness h;
  QueueConfig ten = queue("ten");
  ten.service_level_ms = 10'000;
  QueueConfig thirty = queue("thirty");
  thirty.service_level_ms = 30'000;
  h.add(ten);
  h.add(thirty);
  h.add(agent("a", {"ten"}));
  h.add(agent("b", {"thirty"}));
  h.enqueue(contact("ten"));
  h.enqueue(contact("thirty"));
  h.drain();
  h.now += 15'000;
  h.login("a");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.drain();
  h.login("b");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.drain();
  CHECK(h.kpi.service_level_ms("ten") == 10'000);
  CHECK(h.kpi.service_level_ms("thirty") == 30'000);
  CHECK(h.kpi.queue_total("ten").answered == 1);
  CHECK(h.kpi.queue_total("ten").answered_within_sl == 0);
  CHECK(h.kpi.queue_total("thirty").answered == 1);
  CHECK(h.kpi.queue_total("thirty").answered_within_sl == 1);
  const metrics::QueueCounts all = h.kpi.all_queues_total();
  CHECK(all.answered == 2);
  CHECK(all.answered_within_sl == 1);
  // The same for contacts that leave after 15 s (the threshold formula that
  // counts abandons within it).
  h.enqueue(contact("ten"));  // both agents are busy: these wait
  h.enqueue(contact("thirty"));
  h.drain();
  std::vector<ContactId> queued;
  for (const Output& o : h.all) {
    if (o.kind == Output::Kind::kContactQueued) queued.push_back(o.contact);
  }
  REQUIRE(queued.size() == 4);  // the two answered, then these two
  h.now += 15'000;
  REQUIRE(h.router.abandon(queued[2], h.now).ok());
  REQUIRE(h.router.abandon(queued[3], h.now).ok());
  h.drain();
  CHECK(h.kpi.queue_total("ten").abandoned_within_sl == 0);
  CHECK(h.kpi.queue_total("thirty").abandoned_within_sl == 1);
}

TEST_CASE("a queue's new threshold counts from the next answer on") {
  FedHarness h;
  QueueConfig q = queue("q");
  q.service_level_ms = 10'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  h.login("a");
  // Offered at once, picked up after 15 s.
  ContactId c1 = h.enqueue(contact("q"));
  const ReservationId r1 = h.last_reservation();
  h.drain();
  h.now += 15'000;
  REQUIRE(h.router.accept(r1, h.now).ok());
  REQUIRE(h.router.complete(c1, h.now).ok());
  h.drain();
  CHECK(h.kpi.queue_total("q").answered_within_sl == 0);
  q.service_level_ms = 20'000;
  REQUIRE(h.router.update_queue(q).ok());
  h.enqueue(contact("q"));
  const ReservationId r2 = h.last_reservation();
  h.drain();
  h.now += 15'000;
  REQUIRE(h.router.accept(r2, h.now).ok());
  h.drain();
  CHECK(h.kpi.queue_total("q").answered == 2);
  CHECK(h.kpi.queue_total("q").answered_within_sl == 1);
}
