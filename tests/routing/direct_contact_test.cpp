// connect_direct and release: a contact that reaches a named agent at once
// (a consultation), keeping the router from offering that agent anything
// else while it lasts.
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

TEST_CASE("a direct contact makes a free agent busy and nothing is offered to them meanwhile") {
  Harness h;
  h.add(queue("sales"));
  h.add(agent("bea", {"sales"}));
  h.login("bea");
  h.clear();
  auto direct = h.router.connect_direct("bea", contact("sales"), h.now);
  REQUIRE(direct.ok());
  CHECK(h.router.agent_snapshot("bea")->state == AgentState::kBusy);
  CHECK(h.router.contact_snapshot(*direct)->state == ContactState::kConnected);
  CHECK(h.router.contact_snapshot(*direct)->agent_id == "bea");
  CHECK(h.router.queue_snapshot("sales", h.now)->agents_available == 0);
  const ContactId waiting = h.enqueue(contact("sales"));
  CHECK(h.offers().empty());
  h.clear();

  // Released: free at once, no wrap-up, and the waiting contact is offered.
  REQUIRE(h.router.release(*direct, h.now).ok());
  auto offers = h.offers();
  REQUIRE(offers.size() == 1);
  CHECK(offers[0].contact == waiting);
  CHECK(h.of(Output::Kind::kContactCompleted).empty());
  CHECK(!h.router.contact_snapshot(*direct).ok());
}

TEST_CASE("a direct contact completes like any other: talk time, then wrap-up") {
  Harness h;
  QueueConfig q = queue("sales");
  q.wrap_up_ms = 10'000;
  h.add(q);
  h.add(agent("bea", {"sales"}));
  h.login("bea");
  auto direct = h.router.connect_direct("bea", contact("sales"), h.now);
  REQUIRE(direct.ok());
  h.tick(4000);
  REQUIRE(h.router.complete(*direct, h.now).ok());
  CHECK(h.router.agent_snapshot("bea")->state == AgentState::kWrapUp);
  CHECK(h.router.agent_snapshot("bea")->talk_ms_today == 4000);
}

TEST_CASE("a direct contact is refused for an agent who is not free, and changes nothing") {
  Harness h;
  h.add(queue("sales"));
  h.add(agent("bea", {"sales"}));
  h.add(agent("sam", {"sales"}));
  auto st = h.router.connect_direct("bea", contact("sales"), h.now);
  REQUIRE(!st.ok());
  CHECK(st.error().code == Errc::kIllegalState);
  CHECK(st.error().message == "agent 'bea' is logged_out: not free for a voice contact");
  h.login("sam");
  REQUIRE(h.router.set_not_ready("sam", "lunch", h.now).ok());
  h.clear();
  CHECK(h.router.connect_direct("sam", contact("sales"), h.now).error().code ==
        Errc::kIllegalState);
  CHECK(h.router.connect_direct("zed", contact("sales"), h.now).error().code == Errc::kNotFound);
  CHECK(h.router.connect_direct("sam", contact("nowhere"), h.now).error().code ==
        Errc::kNotFound);
  CHECK(h.router.outputs().empty());
  CHECK(h.router.agent_snapshot("sam")->state == AgentState::kNotReady);
  CHECK(h.router.release(99, h.now).error().code == Errc::kNotFound);
}
