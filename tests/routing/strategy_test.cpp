// Each strategy, shown by the agent it picks.
#include <map>

#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

// Three agents who logged in one second apart: a has been idle longest.
void three_agents(Harness& h, QueueConfig q) {
  h.add(std::move(q));
  for (const char* id : {"a", "b", "c"}) {
    h.add(agent(id, {"q"}));
    h.login(id);
    h.now += 1000;
  }
  h.clear();
}

// Routes one contact, answers and completes it at once; returns the agent.
std::string route_one(Harness& h) {
  h.clear();
  ContactId c = h.enqueue(contact("q"));
  std::string chosen = h.offered_agent();
  h.serve(c, chosen);
  h.now += 1000;
  return chosen;
}

}  // namespace

TEST_CASE("longest idle offers the agent free the longest, then the next") {
  Harness h;
  three_agents(h, queue("q", Strategy::kLongestIdle));
  CHECK(route_one(h) == "a");
  CHECK(route_one(h) == "b");
  CHECK(route_one(h) == "c");
  CHECK(route_one(h) == "a");  // a became idle before b and c finished
}

TEST_CASE("round robin remembers its place even when an earlier member is idler") {
  Harness h;
  QueueConfig q = queue("q", Strategy::kRoundRobin);
  q.members = {{"c", 0, 1}, {"b", 1, 1}, {"a", 2, 1}};  // the configured order: c, b, a
  three_agents(h, q);
  CHECK(route_one(h) == "c");
  CHECK(route_one(h) == "b");
  CHECK(route_one(h) == "a");
  CHECK(route_one(h) == "c");
  // With b away, the round skips it and keeps going.
  REQUIRE(h.router.set_not_ready("b", "lunch", h.now).ok());
  CHECK(route_one(h) == "a");
  CHECK(route_one(h) == "c");
}

TEST_CASE("linear always starts from the top of the configured order") {
  Harness h;
  QueueConfig q = queue("q", Strategy::kLinear);
  q.members = {{"b", 0, 1}, {"c", 1, 1}, {"a", 2, 1}};
  three_agents(h, q);
  CHECK(route_one(h) == "b");
  CHECK(route_one(h) == "b");
  // While b is busy the next in order takes the contact.
  h.clear();
  ContactId first = h.enqueue(contact("q"));
  CHECK(h.offered_agent() == "b");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  h.enqueue(contact("q"));
  CHECK(h.offered_agent() == "c");
  (void)first;
}

TEST_CASE("fewest contacts picks the agent who answered the fewest today") {
  Harness h;
  three_agents(h, queue("q", Strategy::kFewestContacts));
  // a answers two, c one: b has answered none.
  CHECK(route_one(h) == "a");
  REQUIRE(h.router.set_not_ready("b", "meeting", h.now).ok());
  CHECK(route_one(h) == "c");
  CHECK(route_one(h) == "a");
  REQUIRE(h.router.set_available("b", h.now).ok());
  CHECK(route_one(h) == "b");
  CHECK(route_one(h) == "c");  // c (1) before a (2); b now has 1 but c idled longer
  h.router.reset_daily_counters();
  CHECK(route_one(h) == "a");  // all at zero again: longest idle breaks the tie
}

TEST_CASE("least talk time picks the agent with the least talk today") {
  Harness h;
  three_agents(h, queue("q", Strategy::kLeastTalkTime));
  auto talk = [&](const std::string& expected, DurationMs ms) {
    h.clear();
    ContactId c = h.enqueue(contact("q"));
    REQUIRE(h.offered_agent() == expected);
    REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
    h.now += ms;
    REQUIRE(h.router.complete(c, h.now).ok());
  };
  talk("a", 100'000);
  talk("b", 30'000);
  talk("c", 60'000);
  h.clear();
  h.enqueue(contact("q"));
  CHECK(h.offered_agent() == "b");
}

TEST_CASE("most skilled picks the highest level, ties by longest idle") {
  Harness h;
  QueueConfig q = queue("q", Strategy::kMostSkilled);
  q.skills = {{"billing", 1}};
  h.add(q);
  h.add(agent("a", {"q"}, {{"billing", 2}}));
  h.add(agent("b", {"q"}, {{"billing", 5}}));
  h.add(agent("c", {"q"}, {{"billing", 5}}));
  h.login("c");  // c idle since earlier than b
  h.now += 1000;
  h.login("b");
  h.login("a");
  CHECK(route_one(h) == "c");
  CHECK(route_one(h) == "b");
  CHECK(route_one(h) == "c");
}

TEST_CASE("random is reproducible per seed and spreads over eligible agents") {
  auto sequence = [](std::uint64_t seed) {
    RouterOptions o;
    o.seed = seed;
    Harness h(o);
    three_agents(h, queue("q", Strategy::kRandom));
    std::vector<std::string> picks;
    for (int i = 0; i < 300; ++i) picks.push_back(route_one(h));
    return picks;
  };
  auto first = sequence(42);
  CHECK(first == sequence(42));
  CHECK(first != sequence(43));
  std::map<std::string, int> count;
  for (const auto& p : first) ++count[p];
  REQUIRE(count.size() == 3);
  for (const auto& [id, n] : count) CHECK(n > 60);  // 100 expected each
}

TEST_CASE("weighted random follows member weights; weight 0 is never chosen") {
  RouterOptions o;
  o.seed = 7;
  Harness h(o);
  QueueConfig q = queue("q", Strategy::kWeightedRandom);
  q.members = {{"a", 0, 1}, {"b", 0, 3}, {"c", 0, 0}};
  three_agents(h, q);
  std::map<std::string, int> count;
  for (int i = 0; i < 400; ++i) ++count[route_one(h)];
  CHECK(count["c"] == 0);
  CHECK(count["b"] > 250);  // 300 expected
  CHECK(count["b"] < 350);
  CHECK(count["a"] + count["b"] == 400);
}

TEST_CASE("ring all offers everyone; the first to accept wins, the rest are rescinded") {
  Harness h;
  three_agents(h, queue("q", Strategy::kRingAll));
  ContactId c = h.enqueue(contact("q"));
  auto offers = h.offers();
  REQUIRE(offers.size() == 3);
  for (const char* id : {"a", "b", "c"}) CHECK(h.state(id) == AgentState::kReserved);
  const ReservationId winner = offers[1].reservation;
  h.clear();
  REQUIRE(h.router.accept(winner, h.now).ok());
  auto rescinds = h.of(Output::Kind::kRescind);
  REQUIRE(rescinds.size() == 2);
  for (const Output& r : rescinds) {
    CHECK(r.contact == c);
    CHECK(r.reservation != winner);
  }
  CHECK(h.state(h.router.agent_id(offers[1].agent)) == AgentState::kBusy);
  CHECK(h.state(h.router.agent_id(offers[0].agent)) == AgentState::kAvailable);
  CHECK(h.state(h.router.agent_id(offers[2].agent)) == AgentState::kAvailable);
  // A late accept of a rescinded offer is refused.
  CHECK(h.router.accept(offers[0].reservation, h.now).error().code == Errc::kNotFound);
}

TEST_CASE("members a queue lists reach agents added later and follow the queue's updates") {
  Harness h;
  h.add(queue("plain"));
  QueueConfig listed = queue("listed", Strategy::kLinear);
  listed.members = {{"late", 0, 1}};
  h.add(listed);
  h.add(agent("late", {}));  // named by "listed" only, and added after it
  h.add(agent("other", {"plain"}));
  h.login("late");
  h.login("other");
  h.clear();
  const ContactId first = h.enqueue(contact("listed"));
  CHECK(h.offered_agent() == "late");
  REQUIRE(h.router.abandon(first, h.now).ok());
  h.clear();
  const ContactId second = h.enqueue(contact("plain"));
  CHECK(h.offered_agent() == "other");
  REQUIRE(h.router.abandon(second, h.now).ok());
  REQUIRE(h.router.set_not_ready("other", "break", h.now).ok());
  // Without "other", nobody serves "plain"...
  h.clear();
  const ContactId third = h.enqueue(contact("plain"));
  CHECK(h.offers().empty());
  REQUIRE(h.router.abandon(third, h.now).ok());
  // ...until "plain" lists "late" as a member.
  QueueConfig plain = queue("plain", Strategy::kLinear);
  plain.members = {{"late", 0, 1}};
  REQUIRE(h.router.update_queue(plain).ok());
  h.clear();
  h.enqueue(contact("plain"));
  CHECK(h.offered_agent() == "late");
}
