#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "hotline/util/timer_heap.hpp"

using namespace hotline;

TEST_CASE("timers fire in deadline order, ties in scheduling order") {
  TimerHeap h;
  h.schedule(30, 1, 300);
  h.schedule(10, 1, 100);
  h.schedule(20, 1, 200);
  h.schedule(10, 2, 101);
  CHECK(h.next_deadline() == 10);
  TimerHeap::Due d;
  std::vector<std::uint64_t> order;
  while (h.pop_due(25, &d)) order.push_back(d.subject);
  CHECK(order == std::vector<std::uint64_t>{100, 101, 200});
  CHECK(h.next_deadline() == 30);
  CHECK_FALSE(h.pop_due(29, &d));
}

TEST_CASE("cancelled timers never fire, and stale ids are refused") {
  TimerHeap h;
  auto a = h.schedule(5, 0, 1);
  auto b = h.schedule(6, 0, 2);
  CHECK(h.cancel(a));
  CHECK_FALSE(h.cancel(a));
  CHECK_FALSE(h.cancel(0));
  TimerHeap::Due d;
  REQUIRE(h.pop_due(100, &d));
  CHECK(d.subject == 2);
  CHECK(d.id == b);
  CHECK_FALSE(h.cancel(b));  // already fired
  auto c = h.schedule(7, 0, 3);  // reuses a slot: the old ids stay dead
  CHECK_FALSE(h.cancel(a));
  CHECK(h.cancel(c));
  CHECK(h.size() == 0);
  CHECK(h.next_deadline() == kNever);
}

TEST_CASE("random schedules and cancellations keep heap order") {
  std::mt19937_64 rng(3);
  TimerHeap h;
  std::vector<std::pair<TimerHeap::TimerId, TimeMs>> live;
  for (int i = 0; i < 5000; ++i) {
    if (live.empty() || rng() % 3) {
      TimeMs t = static_cast<TimeMs>(rng() % 10000);
      live.emplace_back(h.schedule(t, 0, static_cast<std::uint64_t>(t)), t);
    } else {
      std::size_t k = rng() % live.size();
      CHECK(h.cancel(live[k].first));
      live.erase(live.begin() + static_cast<long>(k));
    }
  }
  CHECK(h.size() == live.size());
  TimerHeap::Due d;
  TimeMs last = -1;
  std::size_t fired = 0;
  while (h.pop_due(kNever - 1, &d)) {
    CHECK(d.deadline >= last);
    CHECK(static_cast<TimeMs>(d.subject) == d.deadline);
    last = d.deadline;
    ++fired;
  }
  CHECK(fired == live.size());
}

// Timers in lanes must fire exactly as they would from the heap alone: the
// same timers, in the same order (equal deadlines included), with the same
// answers to cancel, size and next_deadline along the way.
TEST_CASE("timers in lanes fire as the heap alone fires them, over a generated sequence") {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    std::mt19937_64 rng(seed);
    TimerHeap laned, plain;
    struct Pair {
      TimerHeap::TimerId laned, plain;
    };
    std::vector<Pair> ids;  // every timer scheduled, live or not
    TimeMs now = 0;
    std::uint64_t subject = 0;
    const TimeMs delays[] = {0, 5, 5'000, 15'000, 30'000};
    for (int step = 0; step < 40'000; ++step) {
      const auto op = rng() % 16;
      if (op < 7) {
        // Mostly a fixed delay after the clock; sometimes an earlier
        // deadline in the same lane, or a lane of equal deadlines.
        const std::uint64_t lane = rng() % 5;
        TimeMs deadline = now + delays[lane];
        if (rng() % 8 == 0) deadline -= static_cast<TimeMs>(rng() % 20);
        const auto kind = static_cast<std::uint32_t>(rng() % 3);
        ++subject;
        ids.push_back({laned.schedule_in_lane(lane, deadline, kind, subject),
                       plain.schedule(deadline, kind, subject)});
      } else if (op < 9) {
        const TimeMs deadline = now + static_cast<TimeMs>(rng() % 40'000);
        ++subject;
        ids.push_back({laned.schedule(deadline, 7, subject), plain.schedule(deadline, 7, subject)});
      } else if (op < 12 && !ids.empty()) {
        const Pair p = ids[rng() % ids.size()];
        REQUIRE(laned.cancel(p.laned) == plain.cancel(p.plain));
      } else if (op < 15) {
        now += static_cast<TimeMs>(rng() % 3'000);
        TimerHeap::Due a{}, b{};
        for (;;) {
          const bool got_a = laned.pop_due(now, &a);
          const bool got_b = plain.pop_due(now, &b);
          REQUIRE(got_a == got_b);
          if (!got_a) break;
          CHECK(a.subject == b.subject);
          CHECK(a.deadline == b.deadline);
          CHECK(a.kind == b.kind);
          CHECK_FALSE(laned.cancel(a.id));  // fired: its id is stale
          CHECK_FALSE(plain.cancel(b.id));
        }
      } else {
        now += static_cast<TimeMs>(rng() % 100);
      }
      REQUIRE(laned.size() == plain.size());
      REQUIRE(laned.next_deadline() == plain.next_deadline());
    }
    // Everything left fires in the same order.
    TimerHeap::Due a{}, b{};
    while (plain.pop_due(kNever, &b)) {
      REQUIRE(laned.pop_due(kNever, &a));
      CHECK(a.subject == b.subject);
    }
    CHECK_FALSE(laned.pop_due(kNever, &a));
    CHECK(laned.size() == 0);
  }
}

TEST_CASE("a lane's timers cancelled behind its first are skipped, and their ids refused") {
  TimerHeap h;
  auto a = h.schedule_in_lane(9, 10, 0, 1);
  auto b = h.schedule_in_lane(9, 10, 0, 2);
  auto c = h.schedule_in_lane(9, 12, 0, 3);
  auto early = h.schedule_in_lane(9, 11, 0, 4);  // before the lane's last: the heap's
  CHECK(h.size() == 4);
  CHECK(h.cancel(b));
  CHECK_FALSE(h.cancel(b));
  CHECK(h.size() == 3);
  TimerHeap::Due d;
  std::vector<std::uint64_t> order;
  while (h.pop_due(100, &d)) order.push_back(d.subject);
  CHECK(order == std::vector<std::uint64_t>{1, 4, 3});
  CHECK_FALSE(h.cancel(a));
  CHECK_FALSE(h.cancel(c));
  CHECK_FALSE(h.cancel(early));
  CHECK(h.size() == 0);
  // The slots are reused; the old ids stay dead.
  auto e = h.schedule_in_lane(9, 200, 0, 5);
  CHECK_FALSE(h.cancel(b));
  CHECK(h.cancel(e));
}

TEST_CASE("room reserved ahead changes no firing order, in the heap or in lanes") {
  // The same schedule into a heap given room at the start, one given room
  // half-way (a lane wrapped round its ring by then) and one never given any.
  TimerHeap early;
  TimerHeap late;
  TimerHeap plain;
  early.reserve(1000);
  std::mt19937_64 rng(11);
  std::vector<std::uint64_t> fired[3];
  TimerHeap* heaps[] = {&early, &late, &plain};
  TimeMs now = 0;
  for (int round = 0; round < 40; ++round) {
    if (round == 20) late.reserve(5000);
    const std::uint64_t draw = rng();
    for (int k = 0; k < 3; ++k) {
      TimerHeap& h = *heaps[k];
      for (int i = 0; i < 30; ++i) {
        const auto subject = static_cast<std::uint64_t>(round * 100 + i);
        if ((draw >> i) & 1) {
          h.schedule(now + static_cast<TimeMs>((draw >> (i + 8)) % 50), 0, subject);
        } else {
          h.schedule_in_lane(i % 2 ? 20 : 45, now + (i % 2 ? 20 : 45), 1, subject);
        }
      }
      TimerHeap::Due d;
      while (h.pop_due(now + 10, &d)) fired[k].push_back(d.subject);
    }
    now += 10;
  }
  for (int k = 0; k < 3; ++k) {
    TimerHeap::Due d;
    while (heaps[k]->pop_due(now + 1000, &d)) fired[k].push_back(d.subject);
  }
  CHECK(fired[0].size() == 40 * 30);
  CHECK(fired[0] == fired[2]);
  CHECK(fired[1] == fired[2]);
}
