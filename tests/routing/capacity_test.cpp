// Per-channel capacity: several chats at once, never more than allowed.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("an agent with chat capacity 3 takes three chats at once, never a fourth") {
  Harness h;
  QueueConfig q = queue("chat");
  q.channel = Channel::kChat;
  h.add(q);
  AgentConfig a = agent("a", {"chat"});
  a.capacity = {1, 3, 0};
  h.add(a);
  h.login("a");
  std::vector<ContactId> chats;
  for (int i = 0; i < 4; ++i) {
    ContactSpec s = contact("chat");
    s.channel = Channel::kChat;
    chats.push_back(h.enqueue(s));
  }
  auto offers = h.offers();
  REQUIRE(offers.size() == 3);
  for (const Output& o : offers) REQUIRE(h.router.accept(o.reservation, h.now).ok());
  CHECK(h.router.agent_snapshot("a")->active[1] == 3);
  CHECK(h.router.contact_snapshot(chats[3])->state == ContactState::kWaiting);
  CHECK(h.router.queue_snapshot("chat", h.now)->agents_available == 0);
  h.clear();
  REQUIRE(h.router.complete(chats[1], h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == chats[3]);
}

TEST_CASE("voice and chat capacities are independent") {
  Harness h;
  QueueConfig chat = queue("chat");
  chat.channel = Channel::kChat;
  h.add(chat);
  h.add(queue("voice"));
  AgentConfig a = agent("a", {"chat", "voice"});
  a.capacity = {1, 2, 0};
  h.add(a);
  h.login("a");
  ContactSpec s = contact("chat");
  s.channel = Channel::kChat;
  h.enqueue(s);
  h.enqueue(contact("voice"));
  h.enqueue(contact("voice"));
  CHECK(h.offers().size() == 2);  // one chat, one call; the second call waits
  CHECK(h.router.queue_snapshot("voice", h.now)->waiting == 1);
}

TEST_CASE("an agent busy on voice who becomes ready takes a waiting chat, then the next chat, "
          "not a call") {
  Harness h;
  QueueConfig chat = queue("chat");
  chat.channel = Channel::kChat;
  h.add(chat);
  h.add(queue("voice"));
  AgentConfig a = agent("a", {"voice", "chat"});
  a.capacity = {1, 2, 0};
  h.add(a);
  h.login("a");
  h.enqueue(contact("voice"));
  REQUIRE(h.offers().size() == 1);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  REQUIRE(h.router.set_not_ready("a", "break", h.now).ok());
  ContactSpec s = contact("chat");
  s.channel = Channel::kChat;
  const ContactId first_chat = h.enqueue(s);
  CHECK(h.offers().empty());
  // Free on chat only: the chat queue is looked at, the voice queue is not.
  REQUIRE(h.router.set_available("a", h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == first_chat);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  // Still free on chat (one of two): indexed there, so a new chat finds it.
  const ContactId second_chat = h.enqueue(s);
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == second_chat);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  // Busy on voice: a call waits.
  const ContactId call = h.enqueue(contact("voice"));
  CHECK(h.offers().empty());
  CHECK(h.router.contact_snapshot(call)->state == ContactState::kWaiting);
}

TEST_CASE("a contact of the wrong channel is refused by the queue") {
  Harness h;
  h.add(queue("voice"));
  ContactSpec s = contact("voice");
  s.channel = Channel::kEmail;
  auto r = h.router.enqueue(s, h.now);
  CHECK(r.error().code == Errc::kInvalidArgument);
  CHECK(r.error().message == "a email contact cannot join voice queue 'voice'");
}

TEST_CASE("an agent whose capacity is raised while busy takes the next contact, though a walk "
          "had dropped its entry as stale") {
  Harness h;
  h.add(queue("voice"));
  AgentConfig a = agent("a", {"voice"});
  a.capacity = {1, 0, 0};
  h.add(a);
  h.add(agent("b", {"voice"}));
  h.login("a");
  h.now += 1000;
  h.login("b");
  h.now += 1000;
  // a, idle longest, takes the first call and is then at capacity; its
  // entry stays in the free set until a walk meets it.
  const ContactId first = h.enqueue(contact("voice"));
  REQUIRE(h.offered_agent() == "a");
  REQUIRE(h.offers()[0].contact == first);
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  // The second call's walk meets a's entry, drops it as stale, and goes to b.
  h.enqueue(contact("voice"));
  REQUIRE(h.offered_agent() == "b");
  h.clear();
  // Two calls at once: a is free again with the same order key as before.
  a.capacity = {2, 0, 0};
  REQUIRE(h.router.update_agent(a, h.now).ok());
  CHECK(h.router.queue_snapshot("voice", h.now)->agents_available == 1);
  const ContactId third = h.enqueue(contact("voice"));
  REQUIRE(h.offered_agent() == "a");
  CHECK(h.offers()[0].contact == third);
}
