// Agent state machine, the contact lifecycle, and the errors of each.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("every agent transition is validated, timestamped and announced") {
  Harness h;
  QueueConfig q = queue("q");
  q.wrap_up_ms = 30'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  std::vector<std::pair<AgentState, AgentState>> seen;
  auto collect = [&] {
    for (const Output& o : h.of(Output::Kind::kAgentStateChanged)) {
      CHECK(o.time == h.now);
      seen.emplace_back(o.from, o.to);
    }
    h.clear();
  };
  h.login("a");
  collect();
  h.now += 1000;
  REQUIRE(h.router.set_not_ready("a", "training", h.now).ok());
  CHECK(h.router.agent_snapshot("a")->not_ready_reason == "training");
  collect();
  h.now += 1000;
  REQUIRE(h.router.set_available("a", h.now).ok());
  collect();
  h.now += 1000;
  ContactId c = h.enqueue(contact("q"));
  ReservationId r = h.last_reservation();
  collect();
  h.now += 1000;
  REQUIRE(h.router.accept(r, h.now).ok());
  collect();
  h.now += 1000;
  REQUIRE(h.router.complete(c, h.now).ok());
  collect();
  h.now += 30'000;
  h.router.advance(h.now);  // the wrap-up timer ends after-contact work
  collect();
  h.now += 1000;
  REQUIRE(h.router.logout("a", h.now).ok());
  collect();
  using S = AgentState;
  std::vector<std::pair<S, S>> expected{
      {S::kLoggedOut, S::kAvailable}, {S::kAvailable, S::kNotReady}, {S::kNotReady, S::kAvailable},
      {S::kAvailable, S::kReserved},  {S::kReserved, S::kBusy},      {S::kBusy, S::kWrapUp},
      {S::kWrapUp, S::kAvailable},    {S::kAvailable, S::kLoggedOut}};
  CHECK(seen == expected);
  CHECK(h.router.agent_snapshot("a")->state_since == h.now);
}

TEST_CASE("illegal transitions and unknown ids are errors, not crashes") {
  Harness h;
  QueueConfig q = queue("q");
  q.wrap_up_ms = 10'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  CHECK(h.router.logout("a", h.now).error().code == Errc::kIllegalState);
  CHECK(h.router.set_not_ready("a", "x", h.now).error().code == Errc::kIllegalState);
  CHECK(h.router.set_available("a", h.now).error().code == Errc::kIllegalState);
  h.login("a");
  CHECK(h.router.login("a", h.now).error().code == Errc::kIllegalState);
  CHECK(h.router.set_available("a", h.now).error().code == Errc::kIllegalState);
  ContactId c = h.enqueue(contact("q"));
  CHECK(h.router.complete(c, h.now).error().code == Errc::kIllegalState);
  CHECK(h.router.wrap_up_done(c, h.now).error().code == Errc::kIllegalState);
  CHECK(h.router.logout("a", h.now).error().code == Errc::kIllegalState);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  CHECK(h.router.accept(h.last_reservation(), h.now).error().code == Errc::kNotFound);
  CHECK(h.router.abandon(c, h.now).error().code == Errc::kIllegalState);
  CHECK(h.router.remove_agent("a").error().code == Errc::kIllegalState);

  auto e = h.router.login("nobody", h.now);
  CHECK(e.error().code == Errc::kNotFound);
  CHECK(e.error().message == "unknown agent 'nobody'");
  CHECK(h.router.enqueue(contact("nowhere"), h.now).error().code == Errc::kNotFound);
  CHECK(h.router.accept(999, h.now).error().code == Errc::kNotFound);
  CHECK(h.router.reject(999, h.now).error().code == Errc::kNotFound);
  CHECK(h.router.complete(999, h.now).error().code == Errc::kNotFound);
  CHECK(h.router.abandon(999, h.now).error().code == Errc::kNotFound);
  CHECK(h.router.add_queue(queue("q")).error().code == Errc::kExists);
  CHECK(h.router.add_agent(agent("a", {})).error().code == Errc::kExists);
  CHECK(h.router.add_agent(agent("b", {"missing"})).error().code == Errc::kNotFound);
  CHECK(h.router.remove_queue("q").error().code == Errc::kIllegalState);
}

TEST_CASE("wrap-up holds the agent until the timer or an early wrap-up done") {
  Harness h;
  QueueConfig q = queue("q");
  q.wrap_up_ms = 60'000;
  h.add(q);
  h.add(agent("a", {"q"}));
  h.login("a");
  ContactId c1 = h.enqueue(contact("q"));
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  REQUIRE(h.router.complete(c1, h.now).ok());
  CHECK(h.state("a") == AgentState::kWrapUp);
  h.clear();
  ContactId c2 = h.enqueue(contact("q"));
  CHECK(h.offers().empty());  // not while wrapping up
  h.tick(59'999);
  CHECK(h.offers().empty());
  h.tick(1);
  CHECK(h.offered_agent() == "a");  // the waiting contact goes out the moment wrap-up ends
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  REQUIRE(h.router.complete(c2, h.now).ok());
  h.clear();
  h.now += 5'000;
  REQUIRE(h.router.wrap_up_done(c2, h.now).ok());
  CHECK(h.state("a") == AgentState::kAvailable);
  CHECK(h.of(Output::Kind::kWrapUpEnded).size() == 1);
  h.tick(60'000);  // the cancelled timer does nothing
  CHECK(h.of(Output::Kind::kWrapUpEnded).size() == 1);
}

TEST_CASE("a rejected offer puts the contact back in its original place") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("a", {"q"}));
  h.add(agent("b", {"q"}));
  ContactId c1 = h.enqueue(contact("q", 0, "first"));
  h.now += 1000;
  ContactId c2 = h.enqueue(contact("q", 0, "second"));
  h.now += 1000;
  h.login("a");
  CHECK(h.offers().front().contact == c1);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  h.login("b");
  REQUIRE(h.offers().front().contact == c2);
  const ReservationId to_b = h.last_reservation();
  // A third contact arrives, then b rejects c2: c2 goes back ahead of c3.
  h.add(agent("z", {}));  // an unrelated agent changes nothing
  ContactId c3 = h.enqueue(contact("q", 0, "third"));
  CHECK(h.router.contact_snapshot(c3)->position == 1);
  h.clear();
  REQUIRE(h.router.reject(to_b, h.now).ok());
  CHECK(h.of(Output::Kind::kContactRequeued).size() == 1);
  // b is not offered c2 again at once, so b takes c3; c2 keeps the head.
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c3);
  CHECK(h.router.agent_id(h.offers()[0].agent) == "b");
  CHECK(h.router.contact_snapshot(c2)->position == 1);
  // The next agent to become free takes c2.
  h.clear();
  REQUIRE(h.router.complete(c1, h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c2);
  CHECK(h.router.agent_id(h.offers()[0].agent) == "a");
}

namespace {

// Queue "q" of three rings a second apart: skill s of 2 or more, of 1 or
// more, then anyone. Agent "a" (with `a_skills`) is free, "b" (no skill) is
// on a break. Returns the queue's configuration.
QueueConfig add_skill_rings(Harness& h, std::vector<std::pair<std::string, int>> a_skills) {
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("agent.skills.s >= 2"), 1, 1'000});
  q.rings.push_back(Ring{compile("agent.skills.s >= 1"), 1, 1'000});
  q.rings.push_back(Ring{{}, 1, kNever});
  h.add(q);
  h.add(agent("a", {"q"}, std::move(a_skills)));
  h.add(agent("b", {"q"}));
  h.login("a");
  h.login("b");
  REQUIRE(h.router.set_not_ready("b", "break", h.now).ok());
  return q;
}

// Queue "q" cut to its first ring and a last one for anyone.
QueueConfig two_skill_rings() {
  QueueConfig two = queue("q");
  two.rings.push_back(Ring{compile("agent.skills.s >= 2"), 1, 1'000});
  two.rings.push_back(Ring{{}, 1, kNever});
  return two;
}

}  // namespace

TEST_CASE("a contact declined after its queue lost rings waits in the last ring left") {
  Harness h;
  add_skill_rings(h, {});
  const ContactId c = h.enqueue(contact("q"));
  h.tick(2'500);  // widened to ring 2, where "a" (no skill) is offered it
  REQUIRE(h.offers().size() == 1);
  const ReservationId to_a = h.last_reservation();
  CHECK(h.router.contact_snapshot(c)->ring == 2);
  // The queue keeps one ring; the offered contact is in no waiting set, but
  // its ring is the last left at once. Declined, it waits again there.
  QueueConfig one = queue("q");
  one.rings.push_back(Ring{{}, 1, kNever});
  REQUIRE(h.router.update_queue(one).ok());
  CHECK(h.router.contact_snapshot(c)->ring == 0);
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kOffered);
  h.clear();
  REQUIRE(h.router.reject(to_a, h.now).ok());
  CHECK(h.of(Output::Kind::kContactRequeued).size() == 1);
  CHECK(h.router.contact_snapshot(c)->ring == 0);
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
  // The next agent to become ready takes it.
  h.clear();
  REQUIRE(h.router.set_available("b", h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c);
}

TEST_CASE("a contact rung in a ring its queue makes the last keeps no timer to widen it") {
  Harness h;
  add_skill_rings(h, {{"s", 1}});
  const ContactId c = h.enqueue(contact("q"));
  h.tick(1'500);  // ring 1, where "a" is offered it; its timer to ring 2 runs on
  REQUIRE(h.offers().size() == 1);
  const ReservationId to_a = h.last_reservation();
  REQUIRE(h.router.update_queue(two_skill_rings()).ok());
  // Ring 1 is the last ring now: the timer to ring 2 is gone, and the offer
  // has no timeout.
  CHECK(h.router.next_deadline() == kNever);
  REQUIRE(h.router.reject(to_a, h.now).ok());
  h.clear();
  h.tick(2'000);  // when ring 2 would have begun ("a" declined, "b" is on a break)
  CHECK(h.of(Output::Kind::kRingWidened).empty());
  CHECK(h.router.contact_snapshot(c)->ring == 1);
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
}

TEST_CASE("a contact ringing while its queue loses rings and gains them back widens on time") {
  Harness h;
  const QueueConfig three = add_skill_rings(h, {{"s", 1}});
  const ContactId c = h.enqueue(contact("q"));
  h.tick(1'500);  // ring 1, where "a" (skill 1) is offered it
  REQUIRE(h.offers().size() == 1);
  const ReservationId to_a = h.last_reservation();
  REQUIRE(h.router.update_queue(two_skill_rings()).ok());
  h.tick(1'000);  // ring 1 is the last ring now: nothing to widen to
  CHECK(h.router.contact_snapshot(c)->ring == 1);
  // The third ring comes back while the phone still rings: the contact is
  // due in it (two seconds after its rings began), and widens to it now.
  h.clear();
  REQUIRE(h.router.update_queue(three).ok());
  h.tick(1);
  CHECK(h.of(Output::Kind::kRingWidened).size() == 1);
  CHECK(h.router.contact_snapshot(c)->ring == 2);
  // "a" declines and leaves; "b", without the skill, is in the third ring.
  REQUIRE(h.router.reject(to_a, h.now).ok());
  REQUIRE(h.router.set_not_ready("a", "break", h.now).ok());
  h.tick(10'000);
  h.clear();
  REQUIRE(h.router.set_available("b", h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c);
}

TEST_CASE("no answers are counted, and enough in a row set the agent not ready") {
  Harness h;
  QueueConfig q = queue("q");
  q.offer_timeout_ms = 10'000;
  q.max_no_answer = 2;
  h.add(q);
  h.add(agent("a", {"q"}));
  h.login("a");
  ContactId c = h.enqueue(contact("q"));
  h.clear();
  h.tick(10'000);
  auto timeouts = h.of(Output::Kind::kOfferTimedOut);
  REQUIRE(timeouts.size() == 1);
  CHECK(timeouts[0].value == 1);
  CHECK(h.offers().empty());  // not straight back to the agent who missed it
  h.tick(5'000);              // the re-offer delay passes
  REQUIRE(h.offers().size() == 1);
  h.clear();
  h.tick(10'000);
  REQUIRE(h.of(Output::Kind::kOfferTimedOut).size() == 1);
  REQUIRE(h.of(Output::Kind::kAgentAutoNotReady).size() == 1);
  auto snap = h.router.agent_snapshot("a");
  CHECK(snap->state == AgentState::kNotReady);
  CHECK(snap->not_ready_reason == "no-answer");
  CHECK(snap->missed == 2);
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
  // Back from not ready, the agent gets the contact once the re-offer delay
  // has passed, and an answered offer resets the count.
  REQUIRE(h.router.set_available("a", h.now).ok());
  CHECK(h.offers().empty());
  h.tick(5'000);
  REQUIRE(h.offers().size() == 1);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  CHECK(h.router.agent_snapshot("a")->consecutive_no_answer == 0);
}

TEST_CASE("abandon while waiting and while ringing") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("a", {"q"}));
  ContactId waiting = h.enqueue(contact("q"));
  h.now += 7000;
  h.clear();
  REQUIRE(h.router.abandon(waiting, h.now).ok());
  auto ab = h.of(Output::Kind::kContactAbandoned);
  REQUIRE(ab.size() == 1);
  CHECK(ab[0].value == 7000);
  CHECK(h.router.contact_snapshot(waiting).error().code == Errc::kNotFound);

  h.login("a");
  ContactId ringing = h.enqueue(contact("q"));
  CHECK(h.state("a") == AgentState::kReserved);
  h.clear();
  REQUIRE(h.router.abandon(ringing, h.now).ok());
  CHECK(h.of(Output::Kind::kRescind).size() == 1);
  CHECK(h.state("a") == AgentState::kAvailable);
  CHECK(h.of(Output::Kind::kContactAbandoned).size() == 1);
  CHECK(h.router.queue_snapshot("q", h.now)->waiting == 0);
  CHECK(h.router.agent_snapshot("a")->consecutive_no_answer == 0);  // not the agent's fault
}

TEST_CASE("a full queue refuses with a reason") {
  Harness h;
  QueueConfig q = queue("q");
  q.max_length = 2;
  h.add(q);
  h.enqueue(contact("q"));
  h.enqueue(contact("q"));
  auto r = h.router.enqueue(contact("q"), h.now);
  REQUIRE(!r.ok());
  CHECK(r.error().code == Errc::kFull);
  CHECK(r.error().message == "queue 'q' is full (2 waiting, max length 2)");
  CHECK(h.of(Output::Kind::kContactRefused).size() == 1);
}

TEST_CASE("max wait raises an overflow notification and leaves the decision to the IVR") {
  Harness h;
  QueueConfig q = queue("q");
  q.max_wait_ms = 60'000;
  h.add(q);
  ContactId c = h.enqueue(contact("q"));
  h.tick(59'999);
  CHECK(h.of(Output::Kind::kQueueOverflow).empty());
  h.tick(1);
  auto o = h.of(Output::Kind::kQueueOverflow);
  REQUIRE(o.size() == 1);
  CHECK(o[0].contact == c);
  CHECK(o[0].value == 60'000);
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
  h.clear();
  REQUIRE(h.router.remove(c, h.now).ok());
  CHECK(h.of(Output::Kind::kContactRemoved).size() == 1);
  CHECK(h.of(Output::Kind::kContactAbandoned).empty());
  CHECK(h.router.queue_snapshot("q", h.now)->waiting == 0);
}

TEST_CASE("a caller who abandons and calls back within the window resumes their place") {
  Harness h;
  QueueConfig q = queue("q");
  q.resume_window_ms = 120'000;
  h.add(q);
  ContactSpec s = contact("q");
  s.caller = "+4930123456";
  ContactId first = h.enqueue(s);
  h.now += 50'000;
  ContactId other = h.enqueue(contact("q"));
  REQUIRE(h.router.abandon(first, h.now).ok());
  h.now += 30'000;
  h.clear();
  ContactId again = h.enqueue(s);
  auto resumed = h.of(Output::Kind::kContactResumed);
  REQUIRE(resumed.size() == 1);
  CHECK(resumed[0].value == 80'000);
  CHECK(h.router.contact_snapshot(again)->position == 1);
  CHECK(h.router.contact_snapshot(other)->position == 2);
  // Past the window, no resume.
  REQUIRE(h.router.abandon(again, h.now).ok());
  h.now += 120'001;
  h.clear();
  h.enqueue(s);
  CHECK(h.of(Output::Kind::kContactResumed).empty());
}
