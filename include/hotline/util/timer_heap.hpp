// A binary min-heap of deadlines with O(log n) cancellation. Sans-IO
// components schedule their deadlines here; whoever drives them (the runtime's
// uv_timer_t, a test's virtual clock, the simulator) asks next_deadline() and
// pops what is due.
//
// Timers that are scheduled a fixed delay after an advancing clock (an
// offer's ring timeout) can go to a lane: a first-in-first-out queue whose
// deadlines never decrease, kept apart from the heap. Placing one is then an
// append, where the heap would move it up past every later deadline (with
// 100,000 timers, a dozen levels); the earliest timer is the heap's first or
// a lane's, so the lanes are meant to be few (one per distinct delay). Timers
// fire in the same order either way: by deadline, ties in scheduling order.
#pragma once

#include <cstdint>
#include <vector>

#include "hotline/util/time.hpp"

namespace hotline {

class TimerHeap {
 public:
  using TimerId = std::uint64_t;  // 0 is never a valid id
  struct Due {
    TimerId id;
    TimeMs deadline;
    std::uint32_t kind;
    std::uint64_t subject;
  };

  TimerId schedule(TimeMs deadline, std::uint32_t kind, std::uint64_t subject);
  // The same, queued in the lane named `lane` (any value: the delay, say)
  // when its deadline is not before the lane's last; otherwise as schedule().
  TimerId schedule_in_lane(std::uint64_t lane, TimeMs deadline, std::uint32_t kind,
                           std::uint64_t subject);
  // Returns false if the timer already fired or was cancelled.
  bool cancel(TimerId id);
  TimeMs next_deadline() const noexcept;
  // Removes and returns the earliest timer due at or before `now`.
  bool pop_due(TimeMs now, Due* out);
  std::size_t size() const noexcept { return heap_.size() + queued_; }

  // Room for `count` timers pending at once in the heap, and in the first
  // lane (made now or later), so that placing one does not grow an array
  // (copying every timer there is) until there are more. Only the first
  // lane: most owners have one delay, and room for `count` in each of many
  // lanes would multiply the memory by their number for timers that are
  // shared out among them.
  void reserve(std::size_t count);

 private:
  struct Entry {
    TimeMs deadline;
    std::uint64_t seq;  // ties fire in scheduling order
    std::uint32_t kind;
    std::uint32_t slot;
    std::uint64_t subject;
  };
  struct Slot {
    std::uint32_t generation = 0;
    std::uint32_t position = kFree;  // in heap_, or one of the states below
    std::uint32_t lane = kNoLane;    // the lane it is queued in
  };
  static constexpr std::uint32_t kFree = UINT32_MAX;
  // In a lane, live.
  static constexpr std::uint32_t kQueued = UINT32_MAX - 1;
  // Cancelled while queued: the slot is freed when the lane reaches it.
  static constexpr std::uint32_t kCancelled = UINT32_MAX - 2;
  static constexpr std::uint32_t kNoLane = UINT32_MAX;

  // A ring buffer of entries in firing order. Its first entry is live;
  // cancelled ones behind it are dropped as the lane advances.
  struct Lane {
    std::uint64_t name = 0;
    std::vector<Entry> ring;  // capacity a power of two
    std::size_t head = 0;
    std::size_t count = 0;
    Entry& at(std::size_t i) noexcept { return ring[(head + i) & (ring.size() - 1)]; }
    void push(const Entry& e);
    // Moves the entries, in order, to a ring of `capacity` (a power of two
    // not below count).
    void regrow(std::size_t capacity);
    void pop() noexcept {
      head = (head + 1) & (ring.size() - 1);
      --count;
    }
  };

  bool less(const Entry& a, const Entry& b) const noexcept {
    return a.deadline != b.deadline ? a.deadline < b.deadline : a.seq < b.seq;
  }
  void place(std::size_t pos, const Entry& e);
  void sift_up(std::size_t pos);
  void sift_down(std::size_t pos);
  void remove_at(std::size_t pos);
  std::uint32_t allocate_slot();
  void free_slot(std::uint32_t slot);
  void push_heap(const Entry& e);
  // Drops the lane's first (fired or cancelled) and the cancelled entries
  // behind it.
  void advance_lane(std::uint32_t lane);
  // The lane whose first fires before the heap's first, or kNoLane.
  std::uint32_t earliest_lane() const noexcept;

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
  std::vector<Lane> lanes_;  // few: one per distinct delay, found by name
  std::size_t queued_ = 0;   // live timers in lanes
  std::size_t reserved_ = 0;  // the room the first lane starts with (reserve)
};

}  // namespace hotline
