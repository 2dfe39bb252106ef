#include "hotline/util/timer_heap.hpp"

namespace hotline {

// A TimerId packs the slot index (low 32 bits) with the slot's generation
// (high 32 bits), so an id whose slot has been reused is recognised as stale.
static TimerHeap::TimerId make_id(std::uint32_t slot, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | (static_cast<std::uint64_t>(slot) + 1);
}

TimerHeap::TimerId TimerHeap::schedule(TimeMs deadline, std::uint32_t kind,
                                       std::uint64_t subject) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(Slot{});
  }
  Entry e{deadline, next_seq_++, kind, slot, subject};
  heap_.push_back(e);
  slots_[slot].position = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
  return make_id(slot, slots_[slot].generation);
}

bool TimerHeap::cancel(TimerId id) {
  if (id == 0) return false;
  std::uint32_t slot = static_cast<std::uint32_t>((id & 0xffffffffu) - 1);
  std::uint32_t generation = static_cast<std::uint32_t>(id >> 32);
  if (slot >= slots_.size()) return false;
  Slot& s = slots_[slot];
  if (s.generation != generation || s.position == kFree) return false;
  remove_at(s.position);
  return true;
}

bool TimerHeap::pop_due(TimeMs now, Due* out) {
  if (heap_.empty() || heap_.front().deadline > now) return false;
  const Entry& e = heap_.front();
  *out = Due{make_id(e.slot, slots_[e.slot].generation), e.deadline, e.kind, e.subject};
  remove_at(0);
  return true;
}

void TimerHeap::place(std::size_t pos, const Entry& e) {
  heap_[pos] = e;
  slots_[e.slot].position = static_cast<std::uint32_t>(pos);
}

void TimerHeap::sift_up(std::size_t pos) {
  Entry e = heap_[pos];
  while (pos > 0) {
    std::size_t parent = (pos - 1) / 2;
    if (!less(e, heap_[parent])) break;
    place(pos, heap_[parent]);
    pos = parent;
  }
  place(pos, e);
}

void TimerHeap::sift_down(std::size_t pos) {
  Entry e = heap_[pos];
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && less(heap_[child + 1], heap_[child])) ++child;
    if (!less(heap_[child], e)) break;
    place(pos, heap_[child]);
    pos = child;
  }
  place(pos, e);
}

void TimerHeap::remove_at(std::size_t pos) {
  std::uint32_t slot = heap_[pos].slot;
  Slot& s = slots_[slot];
  s.position = kFree;
  ++s.generation;
  free_slots_.push_back(slot);
  Entry last = heap_.back();
  heap_.pop_back();
  if (pos == heap_.size()) return;
  place(pos, last);
  if (pos > 0 && less(heap_[pos], heap_[(pos - 1) / 2])) {
    sift_up(pos);
  } else {
    sift_down(pos);
  }
}

}  // namespace hotline
