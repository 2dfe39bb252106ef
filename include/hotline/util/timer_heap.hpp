// A binary min-heap of deadlines with O(log n) cancellation. Sans-IO
// components schedule their deadlines here; whoever drives them (the runtime's
// uv_timer_t, a test's virtual clock, the simulator) asks next_deadline() and
// pops what is due.
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
  // Returns false if the timer already fired or was cancelled.
  bool cancel(TimerId id);
  TimeMs next_deadline() const noexcept { return heap_.empty() ? kNever : heap_.front().deadline; }
  // Removes and returns the earliest timer due at or before `now`.
  bool pop_due(TimeMs now, Due* out);
  std::size_t size() const noexcept { return heap_.size(); }

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
    std::uint32_t position = kFree;
  };
  static constexpr std::uint32_t kFree = UINT32_MAX;

  bool less(const Entry& a, const Entry& b) const noexcept {
    return a.deadline != b.deadline ? a.deadline < b.deadline : a.seq < b.seq;
  }
  void place(std::size_t pos, const Entry& e);
  void sift_up(std::size_t pos);
  void sift_down(std::size_t pos);
  void remove_at(std::size_t pos);

  std::vector<Entry> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace hotline
