// Rings widen with time; skills and expressions decide who is in each ring.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("a contact widens to the next ring after the ring's timeout") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("agent.skills.billing >= 4"), 1, 30'000});
  q.rings.push_back(Ring{compile("agent.skills.billing >= 2"), 1, 60'000});
  q.rings.push_back(Ring{{}, 1, kNever});
  h.add(q);
  h.add(agent("expert", {"q"}, {{"billing", 5}}));
  h.add(agent("junior", {"q"}, {{"billing", 2}}));
  h.add(agent("novice", {"q"}));
  h.login("novice");
  h.login("junior");
  ContactId c = h.enqueue(contact("q"));
  CHECK(h.offers().empty());  // ring 0 is for experts only, none is logged in
  h.tick(29'999);
  CHECK(h.offers().empty());
  h.tick(1);
  auto widened = h.of(Output::Kind::kRingWidened);
  REQUIRE(widened.size() == 1);
  CHECK(widened[0].value == 1);
  CHECK(h.offered_agent() == "junior");
  // Declined by junior, the contact stays in ring 1 until ring 2 opens at 90 s.
  REQUIRE(h.router.reject(h.last_reservation(), h.now).ok());
  h.clear();
  h.tick(59'999);
  REQUIRE(h.offers().size() == 1);  // junior again after the re-offer delay
  CHECK(h.offered_agent() == "junior");
  REQUIRE(h.router.reject(h.last_reservation(), h.now).ok());
  h.clear();
  h.tick(1);
  CHECK(h.router.contact_snapshot(c)->ring == 2);
  CHECK(h.offered_agent() == "novice");
}

TEST_CASE("an expert who logs in takes a contact still in the first ring") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("agent.skills.billing >= 4"), 1, 30'000});
  q.rings.push_back(Ring{{}, 1, kNever});
  h.add(q);
  h.add(agent("expert", {"q"}, {{"billing", 5}}));
  h.add(agent("novice", {"q"}));
  h.login("novice");
  h.enqueue(contact("q"));
  h.tick(10'000);
  CHECK(h.offers().empty());
  h.login("expert");
  CHECK(h.offered_agent() == "expert");
}

TEST_CASE("ring minimum levels apply to the skills the contact asks for") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{{}, 3, 20'000});  // level 3 or better in every asked skill
  q.rings.push_back(Ring{{}, 1, kNever});
  h.add(q);
  h.add(agent("fr2", {"q"}, {{"french", 2}}));
  h.add(agent("fr4", {"q"}, {{"french", 4}}));
  h.add(agent("en5", {"q"}, {{"english", 5}}));
  h.login("fr2");
  h.login("en5");
  ContactSpec s = contact("q");
  s.skills = {{"french", 1}};
  h.enqueue(s);
  CHECK(h.offers().empty());
  h.tick(20'000);
  CHECK(h.offered_agent() == "fr2");  // ring 1 needs level 1; en5 has no French at all
}

TEST_CASE("ring targets can compare the contact with the agent") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("contact.language IN agent.languages"), 1, kNever});
  h.add(q);
  for (auto [id, lang] : {std::pair{"de", "de"}, std::pair{"zh", "zh"}}) {
    AgentConfig a = agent(id, {"q"});
    a.attributes.set("languages", std::vector<std::string>{lang, "en"});
    h.add(a);
    h.login(id);
  }
  ContactSpec s = contact("q");
  s.attributes.set("language", "zh");
  h.enqueue(s);
  CHECK(h.offered_agent() == "zh");
  h.clear();
  ContactSpec none = contact("q");  // no language: null never matches
  ContactId c = h.enqueue(none);
  CHECK(h.offers().empty());
  CHECK(h.router.contact_snapshot(c)->state == ContactState::kWaiting);
}

TEST_CASE("a preferred agent is tried alone first, then the queue") {
  Harness h;
  h.add(queue("q"));
  h.add(agent("pat", {"q"}));
  h.add(agent("other", {"q"}));
  h.login("pat");
  h.login("other");
  // pat is busy with someone else.
  ContactId busy = h.enqueue(contact("q"));
  CHECK(h.offered_agent() == "pat");
  REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
  h.clear();
  ContactSpec s = contact("q");
  s.preferred_agent = "pat";
  s.preferred_wait_ms = 20'000;
  ContactId c = h.enqueue(s);
  CHECK(h.offers().empty());  // other is free but not asked for
  h.now += 5'000;
  REQUIRE(h.router.complete(busy, h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c);
  CHECK(h.offered_agent() == "pat");

  SUBCASE("and falls back when the preferred agent stays busy") {
    REQUIRE(h.router.accept(h.last_reservation(), h.now).ok());
    h.clear();
    ContactId d = h.enqueue(s);
    h.tick(19'999);
    CHECK(h.offers().empty());
    h.tick(1);
    CHECK(h.of(Output::Kind::kPreferredFallback).size() == 1);
    REQUIRE(h.offers().size() == 1);
    CHECK(h.offers()[0].contact == d);
    CHECK(h.offered_agent() == "other");
  }
}
