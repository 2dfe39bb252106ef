// Last-agent routing: a queue that prefers the agent who served the customer
// last, named by the contact attribute customer.last_agent.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

ContactSpec returning_customer(const char* last_agent) {
  ContactSpec s = contact("q");
  expr::Attributes customer;
  customer.set("last_agent", last_agent);
  s.attributes.set("customer", std::move(customer));
  return s;
}

// bob has been free longer than ann, so longest idle would pick bob.
void two_agents(Harness& h, DurationMs last_agent_wait_ms) {
  QueueConfig q = queue("q");
  q.last_agent_wait_ms = last_agent_wait_ms;
  h.add(q);
  h.add(agent("ann", {"q"}));
  h.add(agent("bob", {"q"}));
  h.login("bob");
  h.now += 1000;
  h.login("ann");
}

}  // namespace

TEST_CASE("with the queue option, the customer's last agent gets the contact first") {
  Harness h;
  two_agents(h, 30'000);
  h.enqueue(returning_customer("ann"));
  CHECK(h.offered_agent() == "ann");
}

TEST_CASE("without the option the last agent is only an attribute") {
  Harness h;
  two_agents(h, 0);
  h.enqueue(returning_customer("ann"));
  CHECK(h.offered_agent() == "bob");
}

TEST_CASE("the last agent is waited for as long as the queue says, then anyone serves") {
  Harness h;
  two_agents(h, 30'000);
  // ann is busy with another contact; bob is free.
  REQUIRE(h.router.set_not_ready("bob", "lunch", h.now).ok());
  h.enqueue(contact("q"));
  REQUIRE(h.offered_agent() == "ann");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  REQUIRE(h.router.set_available("bob", h.now).ok());
  h.clear();
  const ContactId c = h.enqueue(returning_customer("ann"));
  CHECK(h.offers().empty());  // bob is free but not asked yet
  h.tick(29'999);
  CHECK(h.offers().empty());
  h.tick(1);
  CHECK(h.of(Output::Kind::kPreferredFallback).size() == 1);
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c);
  CHECK(h.offered_agent() == "bob");
}

TEST_CASE("a last agent the router does not know is no preference") {
  Harness h;
  two_agents(h, 30'000);
  h.enqueue(returning_customer("someone-gone"));
  CHECK(h.offered_agent() == "bob");
}

TEST_CASE("a preferred agent the contact names wins over the last agent") {
  Harness h;
  two_agents(h, 30'000);
  ContactSpec s = returning_customer("ann");
  s.preferred_agent = "bob";
  s.preferred_wait_ms = 10'000;
  h.add(agent("cy", {"q"}));
  h.enqueue(s);
  CHECK(h.offered_agent() == "bob");
}

TEST_CASE("in a ring-all queue, a preferred agent becoming ready is offered the contact at once") {
  Harness h;
  h.add(queue("q", Strategy::kRingAll));
  h.add(agent("ann", {"q"}));
  h.add(agent("bob", {"q"}));
  h.login("ann");
  h.login("bob");
  REQUIRE(h.router.set_not_ready("ann", "lunch", h.now).ok());
  ContactSpec s = contact("q");
  s.preferred_agent = "ann";
  s.preferred_wait_ms = 30'000;
  const ContactId c = h.enqueue(s);
  REQUIRE(h.offers().empty());  // bob is free but not asked while ann is waited for
  h.now += 1000;
  REQUIRE(h.router.set_available("ann", h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c);
  CHECK(h.offered_agent() == "ann");
  CHECK(h.of(Output::Kind::kPreferredFallback).empty());
}
