// Rings whose target asks whether the contact's value is among the agent's
// (`contact.K IN agent.L` and its kin): the free sets carry a digest of each
// agent's values, and the router passes over agents the digest rules out.
// Whatever the digest says, the choice must be the one the full expression
// makes.
#include <string>
#include <tuple>
#include <vector>

#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

QueueConfig one_ring(const char* target) {
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile(target), 1, kNever});
  return q;
}

ContactSpec with(const char* key, const char* value) {
  ContactSpec s = contact("q");
  s.attributes.set(key, value);
  return s;
}

}  // namespace

TEST_CASE("every value finds its own agent, though 40 values must share 32 digest bits") {
  // By the pigeonhole principle some agents' digests admit other agents'
  // contacts; the longest idle of those is met first and must be refused by
  // the expression itself.
  Harness h;
  h.add(one_ring("contact.code IN agent.codes"));
  for (int i = 0; i < 40; ++i) {
    AgentConfig a = agent("a" + std::to_string(i), {"q"});
    a.attributes.set("codes", std::vector<std::string>{"code-" + std::to_string(i)});
    h.add(a);
    h.login(a.id);
    h.tick(1);
  }
  for (int i = 39; i >= 0; --i) {
    h.clear();
    const std::string code = "code-" + std::to_string(i);
    ContactId c = h.enqueue(with("code", code.c_str()));
    REQUIRE(h.offers().size() == 1);
    h.serve(c, "a" + std::to_string(i));
    h.tick(1);
  }
}

TEST_CASE("HAS and == in either order are membership tests too, with numbers compared as numbers") {
  SUBCASE("agent.L HAS contact.K") {
    Harness h;
    h.add(one_ring("agent.languages HAS contact.language"));
    for (auto [id, lang] : {std::pair{"de", "de"}, std::pair{"fr", "fr"}}) {
      AgentConfig a = agent(id, {"q"});
      a.attributes.set("languages", std::vector<std::string>{lang});
      h.add(a);
      h.login(id);
    }
    h.enqueue(with("language", "fr"));
    CHECK(h.offered_agent() == "fr");
  }
  SUBCASE("agent.L == contact.K and contact.K == agent.L") {
    for (const char* target :
         {"agent.region == contact.region", "contact.region == agent.region"}) {
      Harness h;
      h.add(one_ring(target));
      for (const char* id : {"north", "south"}) {
        AgentConfig a = agent(id, {"q"});
        a.attributes.set("region", id);
        h.add(a);
        h.login(id);
      }
      h.enqueue(with("region", "south"));
      CHECK(h.offered_agent() == "south");
    }
  }
  SUBCASE("1 equals 1.0 and -0 equals 0") {
    Harness h;
    h.add(one_ring("contact.tier == agent.tier"));
    AgentConfig zero = agent("zero", {"q"});
    zero.attributes.set("tier", -0.0);
    AgentConfig one = agent("one", {"q"});
    one.attributes.set("tier", 1.0);
    h.add(zero);
    h.add(one);
    h.login("zero");
    h.login("one");
    ContactSpec s = contact("q");
    s.attributes.set("tier", 1);
    ContactId c = h.enqueue(s);
    h.serve(c, "one");
    h.clear();
    ContactSpec t = contact("q");
    t.attributes.set("tier", 0);
    h.enqueue(t);
    CHECK(h.offered_agent() == "zero");
  }
}

TEST_CASE("an agent whose values change is found by the new ones and no longer by the old") {
  Harness h;
  h.add(one_ring("contact.language IN agent.languages AND agent.skills.support >= 1"));
  AgentConfig a = agent("ana", {"q"}, {{"support", 2}});
  a.attributes.set("languages", std::vector<std::string>{"de"});
  h.add(a);
  h.login("ana");
  a.attributes.set("languages", std::vector<std::string>{"pt", "es"});
  REQUIRE(h.router.update_agent(a, h.now).ok());
  ContactId german = h.enqueue(with("language", "de"));
  CHECK(h.offers().empty());
  ContactId spanish = h.enqueue(with("language", "es"));
  h.serve(spanish, "ana");
  CHECK(h.router.contact_snapshot(german)->state == ContactState::kWaiting);
}

TEST_CASE("a contact without the value, or with a list, matches nobody") {
  Harness h;
  h.add(one_ring("contact.language IN agent.languages"));
  AgentConfig a = agent("ana", {"q"});
  a.attributes.set("languages", std::vector<std::string>{"de"});
  h.add(a);
  h.login("ana");
  h.enqueue(contact("q"));
  ContactSpec listed = contact("q");
  listed.attributes.set("language", std::vector<std::string>{"de"});
  h.enqueue(listed);
  CHECK(h.offers().empty());
  h.enqueue(with("language", "de"));
  CHECK(h.offered_agent() == "ana");
}

TEST_CASE("an agent without the values still takes contacts in a ring that does not test them") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("contact.language IN agent.languages"), 1, 10'000});
  q.rings.push_back(Ring{{}, 1, kNever});
  h.add(q);
  h.add(agent("plain", {"q"}));  // no languages at all: an empty digest
  h.login("plain");
  ContactId c = h.enqueue(with("language", "de"));
  CHECK(h.offers().empty());
  h.tick(10'000);
  h.serve(c, "plain");
}

// When every value of a queue's agents has a digest bit of its own, a
// candidate is judged by its digest alone; these cases hold that shortcut to
// what the expression says.
TEST_CASE("values whose hashes collide each find only their own agents") {
  // "fr" and "zh" hash to the same digest bit; one of them is given another.
  Harness h;
  h.add(one_ring("contact.language IN agent.languages"));
  for (const char* lang : {"fr", "zh", "de"}) {
    AgentConfig a = agent(lang, {"q"});
    a.attributes.set("languages", std::vector<std::string>{lang});
    h.add(a);
    h.login(lang);
    h.tick(1);
  }
  for (const char* lang : {"zh", "fr", "de"}) {
    h.clear();
    ContactId c = h.enqueue(with("language", lang));
    h.serve(c, lang);
  }
  h.clear();
  h.enqueue(with("language", "es"));  // nobody speaks it
  CHECK(h.offers().empty());
}

TEST_CASE("IN wants the agent's list and == its scalar, whatever the digest") {
  SUBCASE("a scalar where IN looks in a list") {
    Harness h;
    h.add(one_ring("contact.language IN agent.languages"));
    AgentConfig scalar = agent("scalar", {"q"});
    scalar.attributes.set("languages", "de");
    h.add(scalar);
    h.login("scalar");
    h.tick(1);
    AgentConfig listed = agent("listed", {"q"});
    listed.attributes.set("languages", std::vector<std::string>{"de"});
    h.add(listed);
    h.login("listed");
    ContactId c = h.enqueue(with("language", "de"));
    h.serve(c, "listed");
  }
  SUBCASE("a list where == compares scalars") {
    Harness h;
    h.add(one_ring("contact.region == agent.region"));
    AgentConfig listed = agent("listed", {"q"});
    listed.attributes.set("region", std::vector<std::string>{"north"});
    h.add(listed);
    h.login("listed");
    h.tick(1);
    AgentConfig scalar = agent("scalar", {"q"});
    scalar.attributes.set("region", "north");
    h.add(scalar);
    h.login("scalar");
    ContactId c = h.enqueue(with("region", "north"));
    h.serve(c, "scalar");
  }
}

TEST_CASE("two membership tests in one queue: a value of one is not taken for the other's") {
  Harness h;
  h.add(one_ring("contact.language IN agent.languages AND contact.tier IN agent.tiers"));
  AgentConfig a = agent("ana", {"q"});
  a.attributes.set("languages", std::vector<std::string>{"de"});
  a.attributes.set("tiers", std::vector<std::string>{"gold"});
  h.add(a);
  h.login("ana");
  ContactSpec swapped = contact("q");
  swapped.attributes.set("language", "gold");
  swapped.attributes.set("tier", "de");
  h.enqueue(swapped);
  CHECK(h.offers().empty());
  ContactSpec right = contact("q");
  right.attributes.set("language", "de");
  right.attributes.set("tier", "gold");
  h.enqueue(right);
  CHECK(h.offered_agent() == "ana");
}

TEST_CASE("a queue's digests follow its new test, and stay right when an update is refused") {
  Harness h;
  h.add(one_ring("contact.language IN agent.languages"));
  for (auto [id, lang, region] :
       {std::tuple{"ana", "de", "south"}, std::tuple{"bo", "fr", "north"}}) {
    AgentConfig a = agent(id, {"q"});
    a.attributes.set("languages", std::vector<std::string>{lang});
    a.attributes.set("regions", std::vector<std::string>{region});
    h.add(a);
    h.login(id);
    h.tick(1);
  }
  QueueConfig refused = one_ring("contact.region IN agent.regions");
  refused.rings.push_back(Ring{{}, 1, 0});  // a ring must last: the update is refused
  REQUIRE(!h.router.update_queue(refused).ok());
  ContactId french = h.enqueue(with("language", "fr"));
  h.serve(french, "bo");
  h.clear();
  REQUIRE(h.router.update_queue(one_ring("contact.region IN agent.regions")).ok());
  h.enqueue(with("language", "de"));
  CHECK(h.offers().empty());  // no region: nobody
  ContactId southern = h.enqueue(with("region", "south"));
  h.serve(southern, "ana");
}
