// The router's contact records sit in blocks and are reused when contacts
// end, and keep only part of each contact's specification: contacts many
// blocks' worth deep keep their ids, external ids, places and queues, and a
// record reused for a new contact carries nothing of the old one.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("hundreds of waiting contacts keep their records as others come and go") {
  Harness h;
  h.add(queue("q"));
  h.add(queue("r"));
  std::vector<ContactId> ids;
  for (int i = 0; i < 300; ++i) {
    ids.push_back(h.enqueue(contact(i % 2 ? "r" : "q", 0, "call" + std::to_string(i))));
  }
  // Every third leaves; its record goes back to be reused.
  for (int i = 0; i < 300; i += 3) REQUIRE(h.router.remove(ids[i], h.now).ok());
  for (int i = 300; i < 400; ++i) {
    h.now += 10;
    ids.push_back(h.enqueue(contact(i % 2 ? "r" : "q", 0, "call" + std::to_string(i))));
  }
  int position_q = 0, position_r = 0;
  for (int i = 0; i < 400; ++i) {
    auto snap = h.router.contact_snapshot(ids[i]);
    if (i < 300 && i % 3 == 0) {
      CHECK(snap.error().code == Errc::kNotFound);
      continue;
    }
    REQUIRE(snap.ok());
    CHECK(snap->id == ids[i]);
    CHECK(snap->external_id == "call" + std::to_string(i));
    CHECK(snap->queue_id == (i % 2 ? "r" : "q"));
    CHECK(snap->state == ContactState::kWaiting);
    CHECK(snap->agent_id.empty());
    // In arrival order within each queue.
    CHECK(snap->position == (i % 2 ? ++position_r : ++position_q));
  }
  CHECK(h.router.contact_external_id(ids[1]) == "call1");
}

TEST_CASE("a caller's skills, attributes and preferred agent still route from the kept record") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings = {Ring{compile("contact.language IN agent.languages")}};
  h.add(q);
  AgentConfig de = agent("de", {"q"}, {{"billing", 2}});
  de.attributes.set("languages", std::vector<std::string>{"de"});
  AgentConfig en = agent("en", {"q"}, {{"billing", 5}});
  en.attributes.set("languages", std::vector<std::string>{"en", "de"});
  h.add(de);
  h.add(en);
  ContactSpec wants = contact("q", 0, "c1");
  wants.attributes.set("language", "de");
  wants.skills = {{"billing", 3}};
  const ContactId c1 = h.enqueue(wants);
  ContactSpec named = contact("q", 0, "c2");
  named.attributes.set("language", "de");
  named.preferred_agent = "de";
  named.preferred_wait_ms = 60'000;
  const ContactId c2 = h.enqueue(named);
  h.clear();
  h.login("de");  // not skilled enough for c1; c2 waits for de by name
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c2);
  h.clear();
  h.login("en");
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers()[0].contact == c1);
}
