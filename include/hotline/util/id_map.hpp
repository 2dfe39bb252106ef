// IdMap: non-zero 64-bit ids (contact ids, call slots, request ids) to values,
// in one flat array with linear probing. The engine and its hosts look such
// ids up several times per event; std::unordered_map follows a bucket to a
// heap node for each, this touches one or two adjacent cache lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hotline {

template <typename V>
class IdMap {
 public:
  // The value at `id`, or nullptr. Valid until the map is next modified.
  V* find(std::uint64_t id) noexcept {
    if (id == 0 || size_ == 0) return nullptr;
    for (std::size_t i = home(id);; i = (i + 1) & mask_) {
      if (slots_[i].id == id) return &slots_[i].value;
      if (slots_[i].id == 0) return nullptr;
    }
  }
  const V* find(std::uint64_t id) const noexcept { return const_cast<IdMap*>(this)->find(id); }
  bool contains(std::uint64_t id) const noexcept { return find(id) != nullptr; }

  // The value at `id`, value-initialised first if absent. `id` must not be 0.
  V& operator[](std::uint64_t id) {
    if (V* v = find(id)) return *v;
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    std::size_t i = home(id);
    while (slots_[i].id != 0) i = (i + 1) & mask_;
    slots_[i].id = id;
    slots_[i].value = V{};
    ++size_;
    return slots_[i].value;
  }

  bool erase(std::uint64_t id) noexcept {
    if (id == 0 || size_ == 0) return false;
    std::size_t i = home(id);
    while (slots_[i].id != id) {
      if (slots_[i].id == 0) return false;
      i = (i + 1) & mask_;
    }
    // Backward shift: later entries of the probe run move up into the hole,
    // so lookups never need tombstones.
    for (std::size_t j = (i + 1) & mask_; slots_[j].id != 0; j = (j + 1) & mask_) {
      const std::size_t h = home(slots_[j].id);
      // Entry j may fill hole i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i] = std::move(slots_[j]);
      i = j;
    }
    slots_[i].id = 0;
    slots_[i].value = V{};
    --size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void clear() {
    slots_.clear();
    mask_ = 0;
    shift_ = 64;
    size_ = 0;
  }

  // Calls f(id, value) for every entry, in no particular order.
  template <typename F>
  void for_each(F f) {
    for (Slot& s : slots_) {
      if (s.id != 0) f(s.id, s.value);
    }
  }

 private:
  struct Slot {
    std::uint64_t id = 0;  // 0: empty
    V value{};
  };

  // Fibonacci hashing: sequential ids spread over the whole table.
  std::size_t home(std::uint64_t id) const noexcept {
    return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_ = std::vector<Slot>(capacity);
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (Slot& s : old) {
      if (s.id == 0) continue;
      std::size_t i = home(s.id);
      while (slots_[i].id != 0) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace hotline
