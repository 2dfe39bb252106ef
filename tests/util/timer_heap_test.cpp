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
