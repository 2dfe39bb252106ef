// Builds routers for tests and reads their outputs.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "hotline/routing/router.hpp"

namespace hotline::routing::testing {

inline QueueConfig queue(std::string id, Strategy strategy = Strategy::kLongestIdle) {
  QueueConfig q;
  q.id = std::move(id);
  q.strategy = strategy;
  q.offer_timeout_ms = 0;  // tests that need a ring timeout set one
  return q;
}

inline AgentConfig agent(std::string id, std::vector<std::string> queues,
                         std::vector<std::pair<std::string, int>> skills = {}) {
  AgentConfig a;
  a.id = std::move(id);
  a.name = a.id;
  a.queues = std::move(queues);
  a.skills = std::move(skills);
  return a;
}

inline ContactSpec contact(std::string queue, int priority = 0, std::string external = {}) {
  ContactSpec c;
  c.queue_id = std::move(queue);
  c.priority = priority;
  c.external_id = std::move(external);
  return c;
}

inline expr::Expression compile(const char* source) {
  auto e = expr::Expression::compile(source);
  REQUIRE_MESSAGE(e.ok(), source);
  return std::move(e).value();
}

struct Harness {
  Router router;
  TimeMs now = 1'000'000;

  explicit Harness(RouterOptions options = {}) : router(options) {}

  void add(QueueConfig q) { REQUIRE(router.add_queue(std::move(q)).ok()); }
  void add(AgentConfig a) { REQUIRE(router.add_agent(std::move(a)).ok()); }
  void login(const std::string& id) { REQUIRE(router.login(id, now).ok()); }
  void tick(DurationMs ms) {
    now += ms;
    router.advance(now);
  }

  ContactId enqueue(ContactSpec spec) {
    auto r = router.enqueue(std::move(spec), now);
    REQUIRE(r.ok());
    return *r;
  }

  // Outputs of one kind since the last clear.
  std::vector<Output> of(Output::Kind kind) const {
    std::vector<Output> v;
    for (const Output& o : const_cast<Router&>(router).outputs()) {
      if (o.kind == kind) v.push_back(o);
    }
    return v;
  }
  std::vector<Output> offers() const { return of(Output::Kind::kOffer); }
  void clear() { router.outputs().clear(); }

  // The only offer emitted since the last clear, by agent id.
  const std::string& offered_agent() const {
    auto v = offers();
    REQUIRE(v.size() == 1);
    return router.agent_id(v[0].agent);
  }
  ReservationId last_reservation() const {
    auto v = offers();
    REQUIRE(!v.empty());
    return v.back().reservation;
  }

  AgentState state(const std::string& id) const {
    auto s = router.agent_snapshot(id);
    REQUIRE(s.ok());
    return s->state;
  }

  // Offer → accept → complete → wrap-up done, for one contact.
  void serve(ContactId c, const std::string& expected_agent) {
    auto v = offers();
    auto it = std::find_if(v.begin(), v.end(), [&](const Output& o) { return o.contact == c; });
    REQUIRE(it != v.end());
    CHECK(router.agent_id(it->agent) == expected_agent);
    REQUIRE(router.accept(it->reservation, now).ok());
    REQUIRE(router.complete(c, now).ok());
  }
};

}  // namespace hotline::routing::testing
