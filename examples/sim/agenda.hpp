// The simulator's agenda: the events still to come, earliest first. Taking
// the next event is what the simulator does most, so this is a four-ary
// min-heap: half as deep as a binary heap, and a node's children lie next to
// each other in memory.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace hotline::sim {

// T is ordered by operator<; the smallest comes out first.
template <typename T>
class Agenda {
 public:
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  const T& top() const noexcept { return heap_.front(); }

  void push(T value) {
    std::size_t i = heap_.size();
    heap_.push_back(std::move(value));
    T moving = std::move(heap_[i]);
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!(moving < heap_[parent])) break;
      heap_[i] = std::move(heap_[parent]);
      i = parent;
    }
    heap_[i] = std::move(moving);
  }

  T pop() {
    T first = std::move(heap_.front());
    T last = std::move(heap_.back());
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n > 0) {
      std::size_t i = 0;
      for (;;) {
        const std::size_t child = i * kArity + 1;
        if (child >= n) break;
        std::size_t best = child;
        const std::size_t end = child + kArity < n ? child + kArity : n;
        for (std::size_t c = child + 1; c < end; ++c) {
          if (heap_[c] < heap_[best]) best = c;
        }
        if (!(heap_[best] < last)) break;
        heap_[i] = std::move(heap_[best]);
        i = best;
      }
      heap_[i] = std::move(last);
    }
    return first;
  }

 private:
  static constexpr std::size_t kArity = 4;
  std::vector<T> heap_;
};

}  // namespace hotline::sim
