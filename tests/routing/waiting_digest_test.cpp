// An agent becoming ready judges a waiting contact of a queue whose rings
// read the contact in one membership test by the digest bit the contact's
// key noted when it began to wait (ContactKey::digest_decides), without
// evaluating the test on the contact's record. The bit is trusted only while
// it stands for the contact's value alone: these are the two ways it stops
// doing so while the contact waits, a bit shared with a later value and the
// queue's tests compiled anew.
#include <string>
#include <vector>

#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

AgentConfig speaking(const std::string& id, std::vector<std::string> languages) {
  AgentConfig a = agent(id, {"q"});
  a.attributes.set("languages", std::move(languages));
  return a;
}

ContactSpec caller(const std::string& language, const std::string& region = "north") {
  ContactSpec c = contact("q");
  c.attributes.set("language", language);
  c.attributes.set("region", region);
  return c;
}

}  // namespace

TEST_CASE("a waiting contact's bit, shared with a later value, is not trusted") {
  // Thirty-two agents with a language each give the queue's 32 bits a value
  // each; an agent with a 33rd language then shares one of them. Whichever
  // bit that is, with the contact waiting for that bit's language, the new
  // agent must not be offered the contact.
  for (int waiting = 0; waiting < 32; ++waiting) {
    CAPTURE(waiting);
    Harness h;
    QueueConfig q = queue("q");
    q.rings.push_back(Ring{compile("contact.language IN agent.languages"), 1, kNever});
    h.add(q);
    for (int i = 0; i < 32; ++i) {
      const std::string id = "a" + std::to_string(i);
      h.add(speaking(id, {"l" + std::to_string(i)}));
      h.login(id);
      REQUIRE(h.router.set_not_ready(id, "break", h.now).ok());
    }
    const std::string language = "l" + std::to_string(waiting);
    const ContactId c = h.enqueue(caller(language));
    CHECK(h.offers().empty());
    h.clear();
    h.add(speaking("late", {"l32"}));
    h.login("late");
    CHECK(h.offers().empty());
    // The agent who speaks it takes it.
    REQUIRE(h.router.set_available("a" + std::to_string(waiting), h.now).ok());
    REQUIRE(h.offers().size() == 1);
    CHECK(h.offers().front().contact == c);
  }
}

TEST_CASE("a waiting contact is judged by the queue's new test once it changes") {
  Harness h;
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile("contact.language IN agent.languages"), 1, kNever});
  h.add(q);
  AgentConfig by_language = speaking("en-south", {"en"});
  by_language.attributes.set("regions", std::vector<std::string>{"south"});
  AgentConfig by_region = speaking("de-north", {"de"});
  by_region.attributes.set("regions", std::vector<std::string>{"north"});
  for (const AgentConfig& a : {by_language, by_region}) {
    h.add(a);
    h.login(a.id);
    REQUIRE(h.router.set_not_ready(a.id, "break", h.now).ok());
  }
  const ContactId c = h.enqueue(caller("en", "north"));
  h.clear();
  q.rings.front().target = compile("contact.region IN agent.regions");
  REQUIRE(h.router.update_queue(q).ok());
  // The language would admit this agent; the region does not.
  REQUIRE(h.router.set_available("en-south", h.now).ok());
  CHECK(h.offers().empty());
  REQUIRE(h.router.set_available("de-north", h.now).ok());
  REQUIRE(h.offers().size() == 1);
  CHECK(h.offers().front().contact == c);
}
