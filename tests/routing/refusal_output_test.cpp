// A refusal at max length is an output like every other fact about a queue,
// so the KPI feed can count it (engine kpi_feed_test).
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
}
