// The task channel (back-office work items: a form, a follow-up, a case):
// its own capacity per agent, independent of voice, chat and email.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

constexpr int kVoice = static_cast<int>(Channel::kVoice);
constexpr int kTask = static_cast<int>(Channel::kTask);

ContactSpec task(std::string queue) {
  ContactSpec s = contact(std::move(queue));
  s.channel = Channel::kTask;
  return s;
}

}  // namespace

TEST_CASE("a task contact takes the agent's task capacity and not voice") {
  Harness h;
  QueueConfig backlog = queue("backlog");
  backlog.channel = Channel::kTask;
  h.add(backlog);
  h.add(queue("voice"));
  AgentConfig a = agent("a", {"backlog", "voice"});
  a.capacity[kVoice] = 1;
  a.capacity[kTask] = 2;
  h.add(a);
  h.login("a");
  const ContactId first = h.enqueue(task("backlog"));
  const ContactId second = h.enqueue(task("backlog"));
  const ContactId third = h.enqueue(task("backlog"));
  h.enqueue(contact("voice"));
  auto offers = h.offers();
  REQUIRE(offers.size() == 3);  // two tasks and the call; the third task waits
  for (const Output& o : offers) REQUIRE(h.router.accept(o.reservation, h.now).ok());
  CHECK(h.router.agent_snapshot("a")->active[kTask] == 2);
  CHECK(h.router.agent_snapshot("a")->active[kVoice] == 1);
  CHECK(h.router.contact_snapshot(third)->state == ContactState::kWaiting);
  h.clear();
  // A finished task frees task capacity, for the waiting task.
  REQUIRE(h.router.complete(first, h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == third);
  CHECK(h.router.contact_snapshot(second)->state != ContactState::kWaiting);
}

TEST_CASE("an agent without task capacity is logged in but never free for a task queue") {
  Harness h;
  QueueConfig backlog = queue("backlog");
  backlog.channel = Channel::kTask;
  h.add(backlog);
  h.add(agent("a", {"backlog"}));  // the default capacity: one call, nothing else
  h.login("a");
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_logged_in == 1);
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_available == 0);
  const ContactId t = h.enqueue(task("backlog"));
  CHECK(h.offers().empty());
  CHECK(h.router.contact_snapshot(t)->state == ContactState::kWaiting);
}

TEST_CASE("task capacity counts an agent free for a task queue until it is used up") {
  Harness h;
  QueueConfig backlog = queue("backlog");
  backlog.channel = Channel::kTask;
  h.add(backlog);
  AgentConfig a = agent("a", {"backlog"});
  a.capacity[kTask] = 1;
  h.add(a);
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_logged_in == 0);
  h.login("a");
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_logged_in == 1);
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_available == 1);
  h.enqueue(task("backlog"));
  REQUIRE(h.offers().size() == 1);
  REQUIRE(h.router.accept(h.offers()[0].reservation, h.now).ok());
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_available == 0);
  CHECK(h.router.queue_snapshot("backlog", h.now)->agents_logged_in == 1);
}

TEST_CASE("a task cannot join a voice queue, nor a call a task queue") {
  Harness h;
  h.add(queue("voice"));
  QueueConfig backlog = queue("backlog");
  backlog.channel = Channel::kTask;
  h.add(backlog);
  auto r = h.router.enqueue(task("voice"), h.now);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "a task contact cannot join voice queue 'voice'");
  auto c = h.router.enqueue(contact("backlog"), h.now);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message == "a voice contact cannot join task queue 'backlog'");
}

TEST_CASE("the task channel's JSON name is task") {
  CHECK(channel_name(Channel::kTask) == "task");
  CHECK(parse_channel("task") == Channel::kTask);
  CHECK(kChannelCount == 4);
  for (int i = 0; i < kChannelCount; ++i) {
    const auto c = static_cast<Channel>(i);
    CHECK(parse_channel(channel_name(c)) == c);
  }
}

TEST_CASE("a queue keeps its channel while any of its contacts is rung, connected or waiting") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("a", {"q"}));
  h.login("a");
  const ContactId c = h.enqueue(contact("q"));
  REQUIRE(h.offers().size() == 1);
  const ReservationId offered = h.last_reservation();
  QueueConfig tasks = queue("q");
  tasks.channel = Channel::kTask;
  // Rung, then connected: the agent holds a call of the queue's channel, and
  // would be released from it on the new one.
  for (int step = 0; step < 2; ++step) {
    const Status refused = h.router.update_queue(tasks);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == "queue 'q': cannot change channel while it has contacts");
    if (step == 0) REQUIRE(h.router.accept(offered, h.now).ok());
  }
  CHECK(h.router.agent_snapshot("a")->active[kVoice] == 1);
  REQUIRE(h.router.complete(c, h.now).ok());
  CHECK(h.router.agent_snapshot("a")->active[kVoice] == 0);
  CHECK(h.router.agent_snapshot("a")->active[kTask] == 0);
  // With none left, the channel changes.
  REQUIRE(h.router.update_queue(tasks).ok());
  CHECK(h.router.queue_config("q")->channel == Channel::kTask);
}
