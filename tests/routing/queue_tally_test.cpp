// A queue's counts in queue_snapshot() are the router's outputs about it,
// counted: every count has an output a listener (the KPI feed) sees too.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("a refusal at max length is an output with the queue and the contacts waiting") {
  Harness h;
  QueueConfig q = queue("q");
  q.max_length = 2;
  h.add(q);
  h.enqueue(contact("q"));
  h.enqueue(contact("q"));
  h.clear();
  auto r = h.router.enqueue(contact("q"), h.now);
  REQUIRE(!r.ok());
  CHECK(r.error().code == Errc::kFull);
  auto refused = h.of(Output::Kind::kContactRefused);
  REQUIRE(refused.size() == 1);
  CHECK(h.router.queue_id(refused[0].queue) == "q");
  CHECK(refused[0].value == 2);
  CHECK(refused[0].contact == 0);
  CHECK(refused[0].time == h.now);
  CHECK(h.router.queue_snapshot("q", h.now)->refused == 1);
}

TEST_CASE("the queue's counts equal the outputs that were emitted about it") {
  Harness h;
  QueueConfig q = queue("q");
  q.max_length = 3;
  q.max_wait_ms = 60'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  std::vector<Output> all;
  auto drain = [&] {
    for (const Output& o : h.router.outputs()) all.push_back(o);
    h.clear();
  };
  ContactId answered = h.enqueue(contact("q"));
  ContactId left = h.enqueue(contact("q"));
  ContactId taken_out = h.enqueue(contact("q"));
  CHECK(!h.router.enqueue(contact("q"), h.now).ok());  // full
  drain();
  h.now += 7'000;
  h.login("a");
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == answered);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  drain();
  h.tick(53'000);  // the two still waiting reach the max wait
  REQUIRE(h.router.abandon(left, h.now).ok());
  REQUIRE(h.router.remove(taken_out, h.now).ok());
  h.now += 30'000;
  REQUIRE(h.router.complete(answered, h.now).ok());
  drain();
  auto count = [&](Output::Kind k) {
    return static_cast<std::int64_t>(
        std::count_if(all.begin(), all.end(), [&](const Output& o) { return o.kind == k; }));
  };
  auto snap = h.router.queue_snapshot("q", h.now);
  REQUIRE(snap.ok());
  CHECK(snap->offered == 3);
  CHECK(snap->offered == count(Output::Kind::kContactQueued));
  CHECK(snap->refused == count(Output::Kind::kContactRefused));
  CHECK(snap->answered == count(Output::Kind::kOfferAccepted));
  CHECK(snap->abandoned == count(Output::Kind::kContactAbandoned));
  CHECK(snap->removed == count(Output::Kind::kContactRemoved));
  CHECK(snap->overflowed == count(Output::Kind::kQueueOverflow));
  CHECK(snap->overflowed == 2);
  CHECK(snap->answered_within_sl == 1);  // answered after 7 s, threshold 20 s
  CHECK(snap->total_wait_answered_ms == 7'000);
  CHECK(snap->talk_ms == 83'000);  // from the answer at 7 s to the end at 90 s
}
