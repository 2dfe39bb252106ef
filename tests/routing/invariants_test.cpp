// Random operations against the router, checking after each one that nobody
// is double-booked: the two failures Asterisk and FreeSWITCH users report
// most (an agent rung for two calls; a call answered by two agents).
#include <map>
#include <random>
#include <set>

#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

void run(Strategy strategy, std::uint64_t seed) {
  RouterOptions options;
  options.seed = seed;
  Harness h(options);
  for (const char* id : {"q1", "q2"}) {
    QueueConfig q = queue(id, strategy);
    q.offer_timeout_ms = 8'000;
    q.wrap_up_ms = 3'000;
    q.max_no_answer = 0;
    h.add(q);
  }
  QueueConfig chat = queue("chat", strategy);
  chat.channel = Channel::kChat;
  chat.offer_timeout_ms = 8'000;
  h.add(chat);
  for (int i = 0; i < 6; ++i) {
    AgentConfig a = agent("a" + std::to_string(i), {i % 2 ? "q1" : "q2", "q1", "chat"});
    a.capacity = {1, 2, 0};
    h.add(a);
    h.login(a.id);
  }
  std::mt19937_64 rng(seed);
  std::map<ReservationId, Output> open;     // offers not yet settled
  std::map<ContactId, AgentIndex> connected;  // contact → agent
  std::set<ContactId> alive;
  auto pick = [&](auto& container) {
    auto it = container.begin();
    std::advance(it, std::uniform_int_distribution<std::size_t>(0, container.size() - 1)(rng));
    return it;
  };
  for (int step = 0; step < 3000; ++step) {
    const int op = std::uniform_int_distribution<int>(0, 9)(rng);
    if (op <= 2) {
      ContactSpec s = contact(op == 0 ? "q1" : op == 1 ? "q2" : "chat");
      if (op == 2) s.channel = Channel::kChat;
      alive.insert(h.enqueue(s));
    } else if (op <= 4 && !open.empty()) {
      auto it = pick(open);
      REQUIRE(h.router.accept(it->first, h.now).ok());
    } else if (op == 5 && !open.empty()) {
      auto it = pick(open);
      REQUIRE(h.router.reject(it->first, h.now).ok());
    } else if (op == 6 && !connected.empty()) {
      auto it = pick(connected);
      REQUIRE(h.router.complete(it->first, h.now).ok());
    } else if (op == 7 && !alive.empty()) {
      auto it = pick(alive);
      auto snap = h.router.contact_snapshot(*it);
      if (snap.ok() && (snap->state == ContactState::kWaiting ||
                        snap->state == ContactState::kOffered)) {
        REQUIRE(h.router.abandon(*it, h.now).ok());
      }
    } else {
      h.tick(std::uniform_int_distribution<int>(1, 4000)(rng));
    }
    // Replay the outputs into our own model of who holds what.
    for (const Output& o : h.router.outputs()) {
      switch (o.kind) {
        case Output::Kind::kOffer: open.emplace(o.reservation, o); break;
        case Output::Kind::kOfferAccepted:
          REQUIRE(open.count(o.reservation));
          REQUIRE(connected.count(o.contact) == 0);  // never answered twice
          open.erase(o.reservation);
          connected[o.contact] = o.agent;
          break;
        case Output::Kind::kRescind:
        case Output::Kind::kOfferRejected:
        case Output::Kind::kOfferTimedOut: open.erase(o.reservation); break;
        case Output::Kind::kContactCompleted: connected.erase(o.contact); break;
        case Output::Kind::kContactAbandoned:
        case Output::Kind::kContactRemoved: alive.erase(o.contact); break;
        case Output::Kind::kWrapUpEnded: alive.erase(o.contact); break;
        default: break;
      }
    }
    h.clear();
    // Invariants: a contact rings at one agent at a time (ring all aside),
    // never rings while connected, and no agent holds more than capacity.
    std::map<ContactId, int> rings_per_contact;
    std::map<std::pair<AgentIndex, ContactId>, int> pairs;
    for (const auto& [rid, o] : open) {
      ++rings_per_contact[o.contact];
      REQUIRE(++pairs[{o.agent, o.contact}] == 1);
      REQUIRE(connected.count(o.contact) == 0);
    }
    if (strategy != Strategy::kRingAll) {
      for (const auto& [c, n] : rings_per_contact) REQUIRE(n == 1);
    }
    // The staffing counts, kept as agents change, are what counting the
    // free capacity of every member gives (all stay logged in; those the
    // chat queue's no-answer limit made not ready stay so).
    std::map<std::string, int> free_in;
    for (int i = 0; i < 6; ++i) {
      auto snap = h.router.agent_snapshot("a" + std::to_string(i));
      REQUIRE(snap->active[0] <= 1);
      REQUIRE(snap->active[1] <= 2);
      if (!snap->not_ready_reason.empty()) continue;
      if (snap->active[0] < 1) {
        ++free_in["q1"];
        if (i % 2 == 0) ++free_in["q2"];
      }
      if (snap->active[1] < 2) ++free_in["chat"];
    }
    for (const char* q : {"q1", "q2", "chat"}) {
      CAPTURE(q);
      CHECK(h.router.queue_load(q)->agents_available == free_in[q]);
    }
  }
}

}  // namespace

TEST_CASE("nobody is double-booked under random traffic") {
  for (Strategy s : {Strategy::kLongestIdle, Strategy::kRoundRobin, Strategy::kRingAll,
                     Strategy::kWeightedRandom, Strategy::kMostSkilled}) {
    CAPTURE(strategy_name(s));
    run(s, 11);
    run(s, 12);
  }
}
