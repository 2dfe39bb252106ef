// The free sets keep entries of agents who have since become busy elsewhere:
// decisions must pass over them, and an agent freed again must be found.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("an agent busy in one queue is passed over in its others, and found once free") {
  Harness h;
  h.add(queue("sales"));
  h.add(queue("support"));
  h.add(agent("first", {"sales", "support"}));
  h.add(agent("second", {"sales", "support"}));
  h.login("first");  // idle longest: first choice everywhere
  h.tick(1000);
  h.login("second");
  h.tick(1000);

  const ContactId sale = h.enqueue(contact("sales"));
  REQUIRE(h.offered_agent() == "first");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  // "first" still heads the support set, but is on a call.
  h.enqueue(contact("support"));
  CHECK(h.offered_agent() == "second");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  const ContactId waiting = h.enqueue(contact("support"));
  CHECK(h.offers().empty());

  REQUIRE(h.router.complete(sale, h.now).ok());
  auto offers = h.offers();
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].contact == waiting);
  CHECK(h.router.agent_id(offers[0].agent) == "first");
}

TEST_CASE("an agent whose chats are full is still free for calls") {
  Harness h;
  QueueConfig chat = queue("chat");
  chat.channel = Channel::kChat;
  h.add(chat);
  h.add(queue("voice"));
  AgentConfig a = agent("a", {"chat", "voice"});
  a.capacity = {1, 1, 0};
  h.add(a);
  h.login("a");
  ContactSpec s = contact("chat");
  s.channel = Channel::kChat;
  h.enqueue(s);
  REQUIRE(h.offered_agent() == "a");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  h.enqueue(s);  // the chat set's entry for "a" is stale now
  CHECK(h.offers().empty());
  h.enqueue(contact("voice"));
  CHECK(h.offered_agent() == "a");
}

// A contact an agent takes on arrival never enters the waiting sets; its
// queued notification still counts it, as it does a contact that waits.
TEST_CASE("a contact taken on arrival counts itself when queued, and is never left waiting") {
  Harness h;
  h.add(queue("sales"));
  h.add(agent("a", {"sales"}));
  h.login("a");
  h.clear();
  const ContactId taken = h.enqueue(contact("sales"));
  auto queued = h.of(Output::Kind::kContactQueued);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].value == 1);
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == taken);
  CHECK(h.router.queue_load("sales")->waiting == 0);
  h.clear();

  const ContactId first = h.enqueue(contact("sales"));
  const ContactId second = h.enqueue(contact("sales"));
  queued = h.of(Output::Kind::kContactQueued);
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].value == 1);
  CHECK(queued[1].value == 2);
  CHECK(h.router.queue_load("sales")->waiting == 2);
  // The first offer is abandoned: the agent takes the oldest waiting.
  REQUIRE(h.router.abandon(taken, h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == first);
  CHECK(h.router.queue_load("sales")->waiting == 1);
  REQUIRE(h.router.abandon(first, h.now).ok());
  REQUIRE(h.router.abandon(second, h.now).ok());
  CHECK(h.router.queue_load("sales")->waiting == 0);
}

// An agent becoming ready looks for a waiting contact before it is indexed
// in the free sets; ring all finds whom to ring in those sets, so the agent
// must be in them by then.
TEST_CASE("an agent becoming ready is rung for a ring-all contact that waits") {
  Harness h;
  h.add(queue("all", Strategy::kRingAll));
  h.add(agent("a", {"all"}));
  h.add(agent("b", {"all"}));
  h.add(agent("c", {"all"}));
  for (const char* id : {"a", "b", "c"}) {
    h.login(id);
    REQUIRE(h.router.set_not_ready(id, "break", h.now).ok());
  }
  const ContactId waiting = h.enqueue(contact("all"));
  CHECK(h.offers().empty());
  h.clear();
  REQUIRE(h.router.set_available("a", h.now).ok());
  auto offers = h.offers();
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].contact == waiting);
  CHECK(h.router.agent_id(offers[0].agent) == "a");
  // Once rung, the agent is busy: a second ring-all contact waits for the others.
  h.clear();
  const ContactId next = h.enqueue(contact("all"));
  CHECK(h.offers().empty());
  REQUIRE(h.router.set_available("b", h.now).ok());
  offers = h.offers();
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].contact == next);
  CHECK(h.router.agent_id(offers[0].agent) == "b");
}
