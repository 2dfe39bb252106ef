// FlatTable: the open-addressing table under IdMap, ViewMap and KeyedMap. Slots sit in
// one array of a power-of-two size; each carries a non-zero 64-bit code (0
// marks an empty slot) that picks its home by Fibonacci hashing; collisions
// probe linearly, and erasing shifts the rest of the probe run back, so no
// tombstones build up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hotline::detail {

// Slot: default-constructible and movable, with a `std::uint64_t code` member.
template <typename Slot>
class FlatTable {
 public:
  static constexpr std::size_t kAbsent = ~std::size_t{0};

  // The index of the slot with `code` for which `same(slot)` holds, or kAbsent.
  template <typename Same>
  std::size_t locate(std::uint64_t code, Same same) const noexcept {
    if (size_ == 0) return kAbsent;
    for (std::size_t i = home(code);; i = (i + 1) & mask_) {
      if (slots_[i].code == code && same(slots_[i])) return i;
      if (slots_[i].code == 0) return kAbsent;
    }
  }

  // Starts loading the home slot of `code` into the cache.
  void prefetch(std::uint64_t code) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(code)]);
  }

  // A free slot for `code`, its code set; the table grows first if needed.
  // Indexes found before are stale afterwards.
  std::size_t place(std::uint64_t code) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    std::size_t i = home(code);
    while (slots_[i].code != 0) i = (i + 1) & mask_;
    slots_[i].code = code;
    ++size_;
    return i;
  }

  // Empties slot `i`. Indexes found before are stale afterwards.
  void remove(std::size_t i) noexcept {
    for (std::size_t j = (i + 1) & mask_; slots_[j].code != 0; j = (j + 1) & mask_) {
      const std::size_t h = home(slots_[j].code);
      // Entry j may fill hole i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i] = std::move(slots_[j]);
      i = j;
    }
    slots_[i] = Slot{};
    --size_;
  }

  // Room for `count` entries in all, placed without growing on the way
  // (filling a table of a million grows it a dozen times otherwise).
  void reserve(std::size_t count) {
    std::size_t capacity = slots_.empty() ? 16 : slots_.size();
    while (count * 4 > capacity * 3) capacity *= 2;
    if (capacity != slots_.size()) resize(capacity);
  }

  Slot& at(std::size_t i) noexcept { return slots_[i]; }
  const Slot& at(std::size_t i) const noexcept { return slots_[i]; }
  std::size_t size() const noexcept { return size_; }

  void clear() {
    slots_.clear();
    mask_ = 0;
    shift_ = 64;
    size_ = 0;
  }

  // Calls f(slot) for every occupied slot, in no particular order.
  template <typename F>
  void for_each(F f) {
    for (Slot& s : slots_) {
      if (s.code != 0) f(s);
    }
  }

 private:
  // Fibonacci hashing: sequential codes spread over the whole table, and the
  // high bits that pick the slot depend on all of the code.
  std::size_t home(std::uint64_t code) const noexcept {
    return static_cast<std::size_t>((code * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void grow() { resize(slots_.empty() ? 16 : slots_.size() * 2); }

  // `capacity`: a power of two with room for every entry.
  void resize(std::size_t capacity) {
    // Allocated before anything moves: when it fails, the table is as it was.
    std::vector<Slot> fresh(capacity);
    std::vector<Slot> old = std::move(slots_);
    slots_ = std::move(fresh);
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (Slot& s : old) {
      if (s.code == 0) continue;
      std::size_t i = home(s.code);
      while (slots_[i].code != 0) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace hotline::detail
