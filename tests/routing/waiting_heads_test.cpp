// Each queue keeps a copy of the first key of its first rings' waiting sets,
// which an agent becoming ready judges in place of the sets themselves. The
// copies must be those keys after every change to the sets: arrivals of
// every priority, contacts with skills or a preferred agent, offers,
// declines (which make a key unfit to judge alone), abandons, removals,
// ring widening, requeues and queue updates that change the ring count.
// Random operations; after each one every copy is compared with its set.
#include <random>
#include <string>
#include <vector>

#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

// A queue of `rings` rings: the first ask for the skill at rising levels,
// the last admits every member.
QueueConfig ringed_queue(const std::string& id, int rings) {
  QueueConfig c = queue(id);
  c.offer_timeout_ms = 5'000;
  for (int r = 0; r + 1 < rings; ++r) {
    const std::string target = "agent.skills.s >= " + std::to_string(rings - 1 - r);
    c.rings.push_back(Ring{compile(target.c_str()), 1, 3'000});
  }
  c.rings.push_back(Ring{{}, 1, kNever});
  return c;
}

void run(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Harness h;
  const std::vector<std::string> queues{"q0", "q1", "q2"};
  std::vector<int> ring_counts{5, 2, 3};  // q0 has rings beyond the copies
  for (std::size_t q = 0; q < queues.size(); ++q) h.add(ringed_queue(queues[q], ring_counts[q]));
  const int kAgents = 12;
  std::vector<std::string> agents;
  for (int i = 0; i < kAgents; ++i) {
    agents.push_back("a" + std::to_string(i));
    std::vector<std::string> member_of;
    for (const auto& q : queues) {
      if (rng() % 3 != 0) member_of.push_back(q);
    }
    h.add(agent(agents.back(), member_of, {{"s", static_cast<int>(rng() % 5)}}));
    h.login(agents.back());
    REQUIRE(h.router.set_not_ready(agents.back(), "break", h.now).ok());
  }
  h.clear();
  std::vector<ContactId> contacts;
  std::vector<ReservationId> offers;
  int declined = 0;
  int taken_when_ready = 0;
  for (int step = 0; step < 3000; ++step) {
    const unsigned op = static_cast<unsigned>(rng() % 12);
    const std::string& who = agents[rng() % agents.size()];
    if (op < 4) {
      ContactSpec s = contact(queues[rng() % queues.size()], static_cast<int>(rng() % 3));
      if (rng() % 4 == 0) s.skills.emplace_back("s", 1 + static_cast<int>(rng() % 3));
      if (rng() % 8 == 0) {
        s.preferred_agent = who;
        s.preferred_wait_ms = 2'000;
      }
      auto id = h.router.enqueue(std::move(s), h.now);
      REQUIRE(id.ok());
      contacts.push_back(*id);
    } else if (op < 6) {
      const std::size_t before = h.offers().size();
      if (h.router.set_available(who, h.now).ok() && h.offers().size() > before) {
        ++taken_when_ready;
      }
    } else if (op == 6) {
      (void)h.router.set_not_ready(who, "break", h.now);
    } else if (op == 7 && !offers.empty()) {
      // Declined or unanswered: the contact waits again, unfit to judge by its key.
      const std::size_t k = rng() % offers.size();
      const Status st = rng() % 2 ? h.router.reject(offers[k], h.now)
                                  : h.router.no_answer(offers[k], h.now);
      if (st.ok()) ++declined;
      offers.erase(offers.begin() + static_cast<long>(k));
    } else if (op == 8 && !offers.empty()) {
      const std::size_t k = rng() % offers.size();
      if (auto c = h.router.reservation_contact(offers[k])) {
        if (h.router.accept(offers[k], h.now).ok()) (void)h.router.complete(*c, h.now);
      }
      offers.erase(offers.begin() + static_cast<long>(k));
    } else if (op == 9 && !contacts.empty()) {
      const ContactId id = contacts[rng() % contacts.size()];
      (void)(rng() % 2 ? h.router.abandon(id, h.now) : h.router.remove(id, h.now));
    } else if (op == 10 && rng() % 10 == 0) {
      // The ring count changes under waiting contacts.
      const std::size_t q = rng() % queues.size();
      ring_counts[q] = 1 + static_cast<int>(rng() % 5);
      REQUIRE(h.router.update_queue(ringed_queue(queues[q], ring_counts[q])).ok());
    } else {
      h.tick(static_cast<DurationMs>(rng() % 2'500));
    }
    for (const Output& o : h.router.outputs()) {
      if (o.kind == Output::Kind::kOffer) offers.push_back(o.reservation);
    }
    h.clear();
    h.now += 1 + static_cast<TimeMs>(rng() % 50);
    REQUIRE(h.router.waiting_heads_match_for_testing());
  }
  // The run reached what changes the copies, many times.
  CHECK(declined > 10);
  CHECK(taken_when_ready > 50);
}

}  // namespace

TEST_CASE("the copies of the waiting sets' first keys follow the sets") {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) run(seed);
}
