// Which waiting contact a newly free agent takes.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("waiting contacts are served by priority, then age") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("a", {"q"}));
  ContactId old_low = h.enqueue(contact("q", 0));
  h.now += 1000;
  ContactId high = h.enqueue(contact("q", 5));
  h.now += 1000;
  ContactId new_low = h.enqueue(contact("q", 0));
  CHECK(h.router.contact_snapshot(high)->position == 1);
  CHECK(h.router.contact_snapshot(old_low)->position == 2);
  CHECK(h.router.contact_snapshot(new_low)->position == 3);
  std::vector<ContactId> order;
  h.login("a");
  for (int i = 0; i < 3; ++i) {
    auto offers = h.offers();
    REQUIRE(offers.size() == 1);
    order.push_back(offers[0].contact);
    REQUIRE(h.router.accept(offers[0].reservation, h.now).ok());
    h.clear();
    REQUIRE(h.router.complete(offers[0].contact, h.now).ok());  // the next is offered at once
  }
  CHECK(order == std::vector<ContactId>{high, old_low, new_low});
}

TEST_CASE("an agent in several queues takes the higher-priority queue first") {
  Harness h;
  QueueConfig low = queue("low");
  low.priority = 1;
  QueueConfig high = queue("high");
  high.priority = 5;
  h.add(low);
  h.add(high);
  h.add(agent("a", {"low", "high"}));
  ContactId in_low = h.enqueue(contact("low"));
  h.now += 60'000;
  ContactId in_high = h.enqueue(contact("high"));
  h.login("a");
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == in_high);

  SUBCASE("unless strict fairness serves the longest-waiting contact") {
    RouterOptions o;
    o.strict_fairness = true;
    Harness f(o);
    f.add(low);
    f.add(high);
    f.add(agent("a", {"low", "high"}));
    ContactId older = f.enqueue(contact("low"));
    f.now += 60'000;
    f.enqueue(contact("high", 9));
    f.login("a");
    REQUIRE(f.offers().size() == 1);
    CHECK(f.offers()[0].contact == older);
  }
  (void)in_low;
}

TEST_CASE("live counters follow the queue") {
  Harness h;
  QueueConfig q = queue("q");
  q.service_level_ms = 20'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  h.add(agent("b", {"q"}));
  h.login("b");
  REQUIRE(h.router.set_not_ready("b", "break", h.now).ok());
  ContactId c1 = h.enqueue(contact("q"));
  h.now += 10'000;
  ContactId c2 = h.enqueue(contact("q"));
  h.now += 15'000;
  auto snap = h.router.queue_snapshot("q", h.now);
  CHECK(snap->waiting == 2);
  CHECK(snap->longest_wait_ms == 25'000);
  CHECK(snap->agents_logged_in == 1);
  CHECK(snap->agents_available == 0);
  h.login("a");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());  // c1 after 25 s
  h.now += 120'000;
  REQUIRE(h.router.complete(c1, h.now).ok());
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());  // c2 after 135 s
  // The counts of these facts are the KPI collector's (engine kpi_feed_test).
  snap = h.router.queue_snapshot("q", h.now);
  CHECK(snap->waiting == 0);
  CHECK(snap->agents_busy == 1);
  auto agent_snap = h.router.agent_snapshot("a");
  CHECK(agent_snap->answered == 2);
  CHECK(agent_snap->talk_ms_today == 120'000);
  (void)c2;
}

// An agent becoming free judges most waiting contacts by their keys alone
// (ContactKey::judged_by_key); these are the contacts that need their records.
TEST_CASE("an agent becoming ready passes over a contact that declined it moments ago") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("ana", {"q"}));
  h.login("ana");
  ContactId c = h.enqueue(contact("q"));
  REQUIRE(h.router.reject(h.last_reservation(), h.now).ok());
  h.clear();
  REQUIRE(h.router.set_not_ready("ana", "break", h.now).ok());
  h.tick(1'000);
  REQUIRE(h.router.set_available("ana", h.now).ok());
  CHECK(h.offers().empty());  // still within the re-offer delay
  h.tick(5'000);
  h.serve(c, "ana");
}

TEST_CASE("an agent becoming ready passes over a contact asking for skills it lacks") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("ana", {"q"}, {{"french", 1}}));
  h.add(agent("bo", {"q"}, {{"french", 3}}));
  for (const char* id : {"ana", "bo"}) {
    h.login(id);
    REQUIRE(h.router.set_not_ready(id, "break", h.now).ok());
  }
  ContactSpec s = contact("q");
  s.skills = {{"french", 2}};
  ContactId c = h.enqueue(s);
  h.clear();
  REQUIRE(h.router.set_available("ana", h.now).ok());
  CHECK(h.offers().empty());
  REQUIRE(h.router.set_available("bo", h.now).ok());
  h.serve(c, "bo");
}

// An agent becoming ready reads which rings it passes on its own from the
// compact copy of its memberships kept for it: the copy must follow the
// agent's skills and the queue's rings as they change.
TEST_CASE("an agent becoming ready is judged by its current skills and the queue's current rings") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("agent.skills.billing >= 3"), 1, kNever});
  h.add(q);
  AgentConfig a = agent("a", {"q"}, {{"billing", 1}});
  h.add(a);
  h.login("a");
  REQUIRE(h.router.set_not_ready("a", "break", h.now).ok());
  const ContactId c = h.enqueue(contact("q"));
  h.clear();
  REQUIRE(h.router.set_available("a", h.now).ok());
  CHECK(h.offers().empty());  // level 1 passes no ring
  REQUIRE(h.router.set_not_ready("a", "break", h.now).ok());

  SUBCASE("the agent's level rises: it takes the waiting contact") {
    a.skills = {{"billing", 4}};
    REQUIRE(h.router.update_agent(a, h.now).ok());
    h.clear();
    REQUIRE(h.router.set_available("a", h.now).ok());
    REQUIRE(h.offers().size() == 1);
    CHECK(h.offers()[0].contact == c);

    SUBCASE("then the ring asks for more: the next contact waits") {
      h.serve(c, "a");
      REQUIRE(h.router.set_not_ready("a", "break", h.now).ok());
      QueueConfig stricter = q;
      stricter.rings[0] = Ring{compile("agent.skills.billing >= 5"), 1, kNever};
      REQUIRE(h.router.update_queue(stricter).ok());
      h.tick(1);
      const ContactId next = h.enqueue(contact("q"));
      h.clear();
      REQUIRE(h.router.set_available("a", h.now).ok());
      CHECK(h.offers().empty());
      // And back: the agent passes again once the ring asks for less.
      REQUIRE(h.router.set_not_ready("a", "break", h.now).ok());
      REQUIRE(h.router.update_queue(q).ok());
      h.clear();
      REQUIRE(h.router.set_available("a", h.now).ok());
      REQUIRE(h.offers().size() == 1);
      CHECK(h.offers()[0].contact == next);
    }
  }
}
