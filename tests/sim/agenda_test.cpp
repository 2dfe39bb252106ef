// The simulator's agenda against a plain reference over generated
// schedules: events come out earliest first, ties in the order they were
// scheduled, each with the payload it went in with.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <utility>

#include "agenda.hpp"

using namespace hotline;
using hotline::sim::Agenda;

namespace {

struct Payload {
  std::uint64_t id = 0;
  std::uint64_t who = 0;
};

// Pushes and pops at random, times drawn from a narrow range so that many
// events tie; every pop is checked against the reference's earliest entry.
void check_schedule(std::uint64_t seed, int operations, TimeMs spread,
                    std::uint32_t first_seq = 0) {
  std::mt19937_64 rng(seed);
  Agenda<Payload> agenda(first_seq);
  std::map<std::pair<TimeMs, std::uint64_t>, Payload> reference;  // (time, order) → event
  std::uint64_t order = 0;
  TimeMs now = 0;
  for (int i = 0; i < operations; ++i) {
    const bool push = reference.empty() || rng() % 100 < 55;
    if (push) {
      const TimeMs at = now + static_cast<TimeMs>(rng() % static_cast<std::uint64_t>(spread));
      const Payload e{rng(), rng()};
      agenda.push(at, e);
      reference.emplace(std::make_pair(at, order++), e);
    } else {
      REQUIRE(agenda.next_time() == reference.begin()->first.first);
      TimeMs at = 0;
      const Payload p = agenda.pop(&at);
      const auto& [key, want] = *reference.begin();
      REQUIRE(at == key.first);
      REQUIRE(p.id == want.id);
      REQUIRE(p.who == want.who);
      now = at;
      reference.erase(reference.begin());
    }
    REQUIRE(agenda.size() == reference.size());
  }
  while (!reference.empty()) {
    TimeMs at = 0;
    const Payload p = agenda.pop(&at);
    REQUIRE(at == reference.begin()->first.first);
    REQUIRE(p.id == reference.begin()->second.id);
    REQUIRE(p.who == reference.begin()->second.who);
    reference.erase(reference.begin());
  }
  CHECK(agenda.empty());
  CHECK(agenda.next_time() == kNever);
}

}  // namespace

TEST_CASE("agenda: earliest first, ties in scheduling order, over generated schedules") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    check_schedule(seed, 20000, 3);        // nearly everything ties
    check_schedule(seed + 100, 20000, 1000);  // few ties, a deep heap
  }
}

// The sequence numbers that order ties run out and are handed out afresh
// while thousands of events wait: ties still come out in scheduling order
// across the renumbering.
TEST_CASE("agenda: ties keep their order across the renumbering of sequence numbers") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    check_schedule(seed, 20000, 3, std::numeric_limits<std::uint32_t>::max() - 5000);
  }
}

TEST_CASE("agenda: one event in, the same event out, and then nothing") {
  Agenda<Payload> agenda;
  CHECK(agenda.empty());
  CHECK(agenda.next_time() == kNever);
  agenda.push(5, Payload{7, 8});
  CHECK(agenda.next_time() == 5);
  TimeMs at = 0;
  const Payload p = agenda.pop(&at);
  CHECK(at == 5);
  CHECK(p.id == 7);
  CHECK(p.who == 8);
  CHECK(agenda.empty());
}
