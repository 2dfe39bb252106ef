// An agent's configuration read back is the one given: the router keeps no
// copy of it as given and puts it back together from what it does keep
// (the view, `capacity`, queue indexes), which must lose nothing callers see.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

void check_same(const AgentConfig& got, const AgentConfig& given) {
  CHECK(got.id == given.id);
  CHECK(got.name == given.name);
  CHECK(got.skills == given.skills);
  CHECK(got.capacity == given.capacity);
  CHECK(got.queues == given.queues);
  CHECK(got.role == given.role);
  CHECK(got.number == given.number);
  // The attributes moved into what expressions read; they never came back.
  CHECK(got.attributes.empty());
}

AgentConfig full_agent() {
  AgentConfig a = agent("ada", {"support", "sales"}, {{"billing", 2}, {"english", 5}});
  a.name = "Ada Lovelace";
  a.capacity = {1, 3, 0, 2};
  a.role = AgentRole::kSupervisor;
  a.number = "+49 30 1234 5678 ext. 99";  // longer than a short string's buffer
  a.attributes.set("site", "berlin");
  return a;
}

}  // namespace

TEST_CASE("an agent's configuration reads back as given after add_agent") {
  Harness h;
  h.add(queue("sales"));
  h.add(queue("support"));
  h.add(full_agent());
  auto got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, full_agent());

  h.add(agent("bob", {}));  // no skills, queues, number or role
  got = h.router.agent_config("bob");
  REQUIRE(got.has_value());
  check_same(*got, agent("bob", {}));
  CHECK_FALSE(h.router.agent_config("nobody").has_value());
}

TEST_CASE("skills given out of order or twice read back as given, and route by the first") {
  Harness h;
  QueueConfig q = queue("sales");
  q.skills = {{"billing", 2}};
  h.add(q);
  // Expressions see one level per name; the configuration and the queue's
  // skill check see the list as given, where the first "billing" counts.
  const AgentConfig given = agent("ada", {"sales"}, {{"english", 5}, {"billing", 3}, {"billing", 1}});
  h.add(given);
  auto got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, given);
  h.login("ada");
  h.enqueue(contact("sales"));
  CHECK(h.offered_agent() == "ada");
}

TEST_CASE("an agent's configuration reads back as given after update_agent") {
  Harness h;
  h.add(queue("sales"));
  h.add(queue("support"));
  h.add(queue("billing"));
  h.add(full_agent());
  AgentConfig changed = agent("ada", {"billing", "sales"}, {{"english", 4}});
  changed.name = "Ada King";
  changed.capacity = {2, 0, 0, 0};
  changed.number = "201";
  REQUIRE(h.router.update_agent(changed, h.now).ok());
  auto got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, changed);

  // And back to having no number or role: nothing of the old stays.
  const AgentConfig plain = agent("ada", {"support"});
  REQUIRE(h.router.update_agent(plain, h.now).ok());
  got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, plain);
}

TEST_CASE("an agent's configuration outlives the removal of a queue it does not list") {
  Harness h;
  h.add(queue("sales"));
  QueueConfig listing = queue("night");
  listing.members = {{"ada", 0, 1}};  // ada serves it through the queue's list
  h.add(listing);
  h.add(queue("support"));
  h.add(full_agent());
  REQUIRE(h.router.remove_queue("night").ok());
  auto got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, full_agent());
  // A queue the agent lists stays, and so do the names it reads back as.
  CHECK_FALSE(h.router.remove_queue("sales").ok());
  got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, full_agent());
}

TEST_CASE("queues listed in another order than the memberships', or twice, read back as given") {
  Harness h;
  h.add(queue("sales"));
  QueueConfig listing = queue("night");
  listing.members = {{"ada", 0, 1}};  // its membership comes first
  h.add(listing);
  const AgentConfig given = agent("ada", {"sales", "night", "sales"});
  h.add(given);
  auto got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, given);
  // Still so once the memberships are rebuilt for a queue's change.
  REQUIRE(h.router.update_queue(queue("sales")).ok());
  got = h.router.agent_config("ada");
  REQUIRE(got.has_value());
  check_same(*got, given);
  CHECK_FALSE(h.router.remove_queue("night").ok());  // listed, though also listing
}
