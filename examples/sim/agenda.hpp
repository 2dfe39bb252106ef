// The simulator's agenda: the events still to come, earliest first, ties in
// the order they were scheduled. Taking the next event is what the simulator
// does most, so the heap is four-ary (half as deep as a binary one) and holds
// only 16-byte keys; the events themselves wait in a pool beside it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "hotline/util/time.hpp"

namespace hotline::sim {

template <typename Payload>
class Agenda {
 public:
  Agenda() = default;
  // Starts the sequence numbers at `first_seq`, near where they run out, so
  // that a test reaches the renumbering without four billion pushes.
  explicit Agenda(std::uint32_t first_seq) : next_seq_(first_seq) {}

  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  TimeMs next_time() const noexcept { return heap_.empty() ? kNever : heap_.front().at; }

  void push(TimeMs at, Payload payload) {
    if (next_seq_ == std::numeric_limits<std::uint32_t>::max()) renumber();
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      pool_[slot] = std::move(payload);
    } else {
      slot = static_cast<std::uint32_t>(pool_.size());
      pool_.push_back(std::move(payload));
    }
    const Key key{at, next_seq_++, slot};
    std::size_t i = heap_.size();
    heap_.push_back(key);
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!(key < heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = key;
  }

  // Removes the earliest event; its time goes to `at`.
  Payload pop(TimeMs* at) {
    const Key first = heap_.front();
    const Key last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n > 0) {
      std::size_t i = 0;
      for (;;) {
        const std::size_t child = i * kArity + 1;
        if (child >= n) break;
        std::size_t best = child;
        const std::size_t end = std::min(child + kArity, n);
        for (std::size_t c = child + 1; c < end; ++c) {
          if (heap_[c] < heap_[best]) best = c;
        }
        if (!(heap_[best] < last)) break;
        heap_[i] = heap_[best];
        i = best;
      }
      heap_[i] = last;
    }
    *at = first.at;
    free_.push_back(first.slot);
    // The next event was scheduled long ago (an agent's answer, a talk's
    // end): in a large day its payload has left the caches. It starts loading
    // now, while this event is handled, rather than when it is taken.
    if (n > 0) __builtin_prefetch(&pool_[heap_.front().slot]);
    return std::move(pool_[first.slot]);
  }

 private:
  static constexpr std::size_t kArity = 4;
  struct Key {
    TimeMs at;
    std::uint32_t seq;   // scheduling order, for ties
    std::uint32_t slot;  // the payload's place in the pool
    bool operator<(const Key& o) const noexcept { return at != o.at ? at < o.at : seq < o.seq; }
  };

  // Before the sequence numbers run out they are handed out afresh, in the
  // order the events stand; a sorted array is a valid heap.
  void renumber() {
    std::sort(heap_.begin(), heap_.end());
    next_seq_ = 0;
    for (Key& k : heap_) k.seq = next_seq_++;
  }

  std::vector<Key> heap_;
  std::vector<Payload> pool_;
  std::vector<std::uint32_t> free_;
  std::uint32_t next_seq_ = 0;
};

}  // namespace hotline::sim
