// ViewMap: string keys to values, in one flat array with linear probing and
// the keys' hashes kept beside them, so a lookup compares strings only once
// the hashes agree. The engine finds a call by its id on every event, the KPI
// collector an agent by id on every fact; and since one event's lookups tend
// to ask for the same key again, the last key found is tried before hashing
// (so even a const lookup writes: one thread at a time, like the engine).
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

#include "hotline/util/flat_table.hpp"
#include "hotline/util/string_equal.hpp"
#include "hotline/util/string_hash.hpp"

namespace hotline {

template <typename V>
class ViewMap {
 public:
  // The value under `key`, or nullptr. Valid until the map is next modified.
  V* find(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    return i == Table::kAbsent ? nullptr : &table_.at(i).value;
  }
  const V* find(std::string_view key) const noexcept {
    return const_cast<ViewMap*>(this)->find(key);
  }
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

  // Starts loading the home slot of `key`: in a large table it is a cache
  // miss, which can overlap other work when the key is known early (a bulk
  // load looking a few keys ahead).
  void prefetch(std::string_view key) const noexcept { table_.prefetch(hash(key)); }

  // Inserts `value` under `key`, or replaces the value (and the view) there.
  V& insert(std::string_view key, V value) {
    std::size_t i = locate(key);
    if (i == Table::kAbsent) {
      last_ = Table::kAbsent;  // placing may move every slot
      i = table_.place(hash(key));
    }
    Slot& s = table_.at(i);
    s.key = key;
    s.value = std::move(value);
    return s.value;
  }

  // Removes `key`. The key's bytes are not read once its value is destroyed,
  // so `key` may view memory that value owns.
  bool erase(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    if (i == Table::kAbsent) return false;
    last_ = Table::kAbsent;
    table_.remove(i);
    return true;
  }

  // Room for `count` keys in all without growing on the way.
  void reserve(std::size_t count) {
    last_ = Table::kAbsent;
    table_.reserve(count);
  }

  std::size_t size() const noexcept { return table_.size(); }
  bool empty() const noexcept { return table_.size() == 0; }
  void clear() {
    last_ = Table::kAbsent;
    table_.clear();
  }

  // Calls f(key, value) for every entry, in no particular order.
  template <typename F>
  void for_each(F f) {
    table_.for_each([&](Slot& s) { f(s.key, s.value); });
  }

 private:
  struct Slot {
    std::uint64_t code = 0;  // the key's hash, low bit set; 0: empty
    std::string_view key;
    V value{};
  };
  using Table = detail::FlatTable<Slot>;

  static std::uint64_t hash(std::string_view key) noexcept {
    return hash_string(key) | 1u;
  }

  std::size_t locate(std::string_view key) const noexcept {
    if (table_.size() == 0) return Table::kAbsent;
    if (last_ != Table::kAbsent && same_string(table_.at(last_).key, key)) return last_;
    const std::size_t i =
        table_.locate(hash(key), [&](const Slot& s) { return same_string(s.key, key); });
    if (i != Table::kAbsent) last_ = i;
    return i;
  }

  Table table_;
  mutable std::size_t last_ = Table::kAbsent;  // the slot the last lookup found
};

}  // namespace hotline
