#include "hotline/util/timer_heap.hpp"

namespace hotline {

// A TimerId packs the slot index (low 32 bits) with the slot's generation
// (high 32 bits), so an id whose slot has been reused is recognised as stale.
static TimerHeap::TimerId make_id(std::uint32_t slot, std::uint32_t generation) {
  return (static_cast<std::uint64_t>(generation) << 32) | (static_cast<std::uint64_t>(slot) + 1);
}

std::uint32_t TimerHeap::allocate_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  slots_.push_back(Slot{});
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void TimerHeap::free_slot(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.position = kFree;
  s.lane = kNoLane;
  ++s.generation;
  free_slots_.push_back(slot);
}

void TimerHeap::push_heap(const Entry& e) {
  heap_.push_back(e);
  slots_[e.slot].position = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
}

TimerHeap::TimerId TimerHeap::schedule(TimeMs deadline, std::uint32_t kind,
                                       std::uint64_t subject) {
  const std::uint32_t slot = allocate_slot();
  push_heap(Entry{deadline, next_seq_++, kind, slot, subject});
  return make_id(slot, slots_[slot].generation);
}

void TimerHeap::Lane::regrow(std::size_t capacity) {
  std::vector<Entry> grown(capacity);
  for (std::size_t i = 0; i < count; ++i) grown[i] = at(i);
  ring.swap(grown);
  head = 0;
}

void TimerHeap::Lane::push(const Entry& e) {
  if (count == ring.size()) regrow(ring.empty() ? 16 : ring.size() * 2);
  ring[(head + count) & (ring.size() - 1)] = e;
  ++count;
}

namespace {

std::size_t power_of_two_at_least(std::size_t n) {
  std::size_t p = 16;
  while (p < n) p *= 2;
  return p;
}

}  // namespace

void TimerHeap::reserve(std::size_t count) {
  if (count <= reserved_) return;
  reserved_ = count;
  heap_.reserve(count);
  slots_.reserve(count);
  free_slots_.reserve(count);
  if (!lanes_.empty() && lanes_.front().ring.size() < count) {
    lanes_.front().regrow(power_of_two_at_least(count));
  }
}

TimerHeap::TimerId TimerHeap::schedule_in_lane(std::uint64_t lane, TimeMs deadline,
                                               std::uint32_t kind, std::uint64_t subject) {
  std::uint32_t li = 0;
  while (li < lanes_.size() && lanes_[li].name != lane) ++li;
  if (li == lanes_.size()) {
    lanes_.emplace_back();
    lanes_.back().name = lane;
    if (lanes_.size() == 1 && reserved_ > 0) {
      lanes_.back().regrow(power_of_two_at_least(reserved_));
    }
  }
  Lane& l = lanes_[li];
  // A deadline before the lane's last would break its order: the heap
  // places it instead.
  if (l.count > 0 && deadline < l.at(l.count - 1).deadline) {
    return schedule(deadline, kind, subject);
  }
  const std::uint32_t slot = allocate_slot();
  slots_[slot].lane = li;
  slots_[slot].position = kQueued;
  l.push(Entry{deadline, next_seq_++, kind, slot, subject});
  ++queued_;
  return make_id(slot, slots_[slot].generation);
}

void TimerHeap::advance_lane(std::uint32_t lane) {
  Lane& l = lanes_[lane];
  l.pop();
  while (l.count > 0 && slots_[l.at(0).slot].position == kCancelled) {
    free_slot(l.at(0).slot);
    l.pop();
  }
}

std::uint32_t TimerHeap::earliest_lane() const noexcept {
  const Entry* best = heap_.empty() ? nullptr : &heap_.front();
  std::uint32_t found = kNoLane;
  for (std::uint32_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    if (l.count == 0) continue;
    const Entry& first = l.ring[l.head];
    if (!best || less(first, *best)) {
      best = &first;
      found = i;
    }
  }
  return found;
}

TimeMs TimerHeap::next_deadline() const noexcept {
  const std::uint32_t lane = earliest_lane();
  if (lane != kNoLane) return lanes_[lane].ring[lanes_[lane].head].deadline;
  return heap_.empty() ? kNever : heap_.front().deadline;
}

bool TimerHeap::cancel(TimerId id) {
  if (id == 0) return false;
  std::uint32_t slot = static_cast<std::uint32_t>((id & 0xffffffffu) - 1);
  std::uint32_t generation = static_cast<std::uint32_t>(id >> 32);
  if (slot >= slots_.size()) return false;
  Slot& s = slots_[slot];
  if (s.generation != generation || s.position == kFree || s.position == kCancelled) {
    return false;
  }
  if (s.position == kQueued) {
    --queued_;
    const std::uint32_t lane = s.lane;
    if (lanes_[lane].at(0).slot == slot) {
      free_slot(slot);
      advance_lane(lane);
      return true;
    }
    // Stays in its lane, dead, until the lane reaches it; its id is stale now.
    s.position = kCancelled;
    ++s.generation;
    return true;
  }
  remove_at(s.position);
  return true;
}

bool TimerHeap::pop_due(TimeMs now, Due* out) {
  const std::uint32_t lane = earliest_lane();
  if (lane != kNoLane) {
    Lane& l = lanes_[lane];
    const Entry e = l.at(0);
    if (e.deadline > now) return false;
    *out = Due{make_id(e.slot, slots_[e.slot].generation), e.deadline, e.kind, e.subject};
    --queued_;
    free_slot(e.slot);
    advance_lane(lane);
    return true;
  }
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
  free_slot(heap_[pos].slot);
  Entry last = heap_.back();
  heap_.pop_back();
  if (pos != heap_.size()) {
    place(pos, last);
    if (pos > 0 && less(heap_[pos], heap_[(pos - 1) / 2])) {
      sift_up(pos);
    } else {
      sift_down(pos);
    }
  }
}

}  // namespace hotline
