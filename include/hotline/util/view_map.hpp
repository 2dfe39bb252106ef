// ViewMap: string keys to values, in one flat array with linear probing and
// the keys' hashes kept beside them, so a lookup compares strings only once
// the hashes agree. The engine finds a call by its id on every event, the KPI
// collector an agent by id on every fact; and since one event's lookups tend
// to ask for the same key again, the last key found is tried before hashing.
//
// The map stores views: whoever inserts a key keeps its bytes alive and
// unchanged while the key is in the map (the engine's calls view their own
// ids, the collector's entries the keys of its ordered maps).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace hotline {

template <typename V>
class ViewMap {
 public:
  // The value under `key`, or nullptr. Valid until the map is next modified.
  V* find(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    return i == kAbsent ? nullptr : &slots_[i].value;
  }
  const V* find(std::string_view key) const noexcept {
    return const_cast<ViewMap*>(this)->find(key);
  }
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

  // Inserts `value` under `key`, or replaces the value (and the view) there.
  V& insert(std::string_view key, V value) {
    if (const std::size_t at = locate(key); at != kAbsent) {
      slots_[at].key = key;
      slots_[at].value = std::move(value);
      return slots_[at].value;
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::uint64_t h = hash(key);
    std::size_t i = home(h);
    while (slots_[i].hash != 0) i = (i + 1) & mask_;
    slots_[i].hash = h;
    slots_[i].key = key;
    slots_[i].value = std::move(value);
    ++size_;
    return slots_[i].value;
  }

  // Removes `key`. The key's bytes are not read once its value is destroyed,
  // so `key` may view memory that value owns.
  bool erase(std::string_view key) noexcept {
    std::size_t i = locate(key);
    if (i == kAbsent) return false;
    last_ = kAbsent;
    slots_[i].value = V{};
    // Backward shift: later entries of the probe run move up into the hole,
    // so lookups never need tombstones.
    for (std::size_t j = (i + 1) & mask_; slots_[j].hash != 0; j = (j + 1) & mask_) {
      const std::size_t h = home(slots_[j].hash);
      // Entry j may fill hole i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i] = std::move(slots_[j]);
      i = j;
    }
    slots_[i].hash = 0;
    slots_[i].key = {};
    slots_[i].value = V{};
    --size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void clear() {
    slots_.clear();
    last_ = kAbsent;
    mask_ = 0;
    shift_ = 64;
    size_ = 0;
  }

  // Calls f(key, value) for every entry, in no particular order.
  template <typename F>
  void for_each(F f) {
    for (Slot& s : slots_) {
      if (s.hash != 0) f(s.key, s.value);
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty (hashes are stored with the low bit set)
    std::string_view key;
    V value{};
  };

  static std::uint64_t hash(std::string_view key) noexcept {
    return static_cast<std::uint64_t>(std::hash<std::string_view>{}(key)) | 1u;
  }
  // The hash is mixed once more so that its high bits, which pick the
  // slot, depend on all of it.
  std::size_t home(std::uint64_t h) const noexcept {
    return static_cast<std::size_t>((h * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  static constexpr std::size_t kAbsent = ~std::size_t{0};
  std::size_t locate(std::string_view key) const noexcept {
    if (size_ == 0) return kAbsent;
    if (last_ != kAbsent && slots_[last_].key == key) return last_;
    const std::uint64_t h = hash(key);
    for (std::size_t i = home(h);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.hash == h && s.key == key) return last_ = i;
      if (s.hash == 0) return kAbsent;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    last_ = kAbsent;
    const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_ = std::vector<Slot>(capacity);
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (Slot& s : old) {
      if (s.hash == 0) continue;
      std::size_t i = home(s.hash);
      while (slots_[i].hash != 0) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  mutable std::size_t last_ = kAbsent;  // the slot the last lookup found
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace hotline
