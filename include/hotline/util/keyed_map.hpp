// KeyedMap: string keys to values that know their own key, in one flat array
// with linear probing. Where a ViewMap keeps a view of each key beside its
// value, this map asks the value (through KeyOf) when it compares: a slot is
// the key's hash and the value, half a ViewMap's for a pointer or an index,
// which at a million entries (calls, agents) is tens of bytes each.
//
// KeyOf maps a value to its key: `std::string_view operator()(const V&)`.
// The key a value reports must stay the same while the value is in the map,
// and is read only while the value is (not once it is being destroyed). As
// in ViewMap, the last key found is tried again before hashing, so every
// lookup, a const one too, writes that memory: one thread at a time.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include "hotline/util/flat_table.hpp"
#include "hotline/util/string_equal.hpp"
#include "hotline/util/string_hash.hpp"

namespace hotline {

template <typename V, typename KeyOf>
class KeyedMap {
 public:
  explicit KeyedMap(KeyOf key_of = KeyOf()) : key_of_(std::move(key_of)) {}

  // The value under `key`, or nullptr. Valid until the map is next modified.
  V* find(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    return i == Table::kAbsent ? nullptr : &table_.at(i).value;
  }
  const V* find(std::string_view key) const noexcept {
    return const_cast<KeyedMap*>(this)->find(key);
  }
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

  // Starts loading the home slot of `key`: in a large table it is a cache
  // miss, which can overlap other work when the key is known early (a bulk
  // load looking a few keys ahead).
  void prefetch(std::string_view key) const noexcept { table_.prefetch(hash(key)); }

  // Inserts `value` under `key`, which is its own key, or replaces the
  // value there.
  V& insert(std::string_view key, V value) {
    std::size_t i = locate(key);
    if (i == Table::kAbsent) {
      last_ = Table::kAbsent;  // placing may move every slot
      i = table_.place(hash(key));
    }
    Slot& s = table_.at(i);
    s.value = std::move(value);
    return s.value;
  }

  // Inserts `value` under `key`, its own key, which the map does not hold
  // (the caller has just looked): one hash and no probe for the key.
  V& insert_absent(std::string_view key, V value) {
    assert(locate(key) == Table::kAbsent && "insert_absent of a key the map holds");
    last_ = Table::kAbsent;  // placing may move every slot
    Slot& s = table_.at(table_.place(hash(key)));
    s.value = std::move(value);
    return s.value;
  }

  bool erase(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    if (i == Table::kAbsent) return false;
    last_ = Table::kAbsent;
    table_.remove(i);
    return true;
  }

  // Room for `count` keys in all without growing on the way. Slots keep
  // their keys' hashes, so moving them asks no value for its key.
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
    table_.for_each([&](Slot& s) { f(key_of_(std::as_const(s.value)), s.value); });
  }

 private:
  struct Slot {
    std::uint64_t code = 0;  // the key's hash, low bit set; 0: empty
    V value{};
  };
  using Table = detail::FlatTable<Slot>;

  static std::uint64_t hash(std::string_view key) noexcept {
    return hash_string(key) | 1u;
  }

  bool holds(const Slot& s, std::string_view key) const noexcept {
    return same_string(key_of_(std::as_const(s.value)), key);
  }

  std::size_t locate(std::string_view key) const noexcept {
    if (table_.size() == 0) return Table::kAbsent;
    if (last_ != Table::kAbsent && holds(table_.at(last_), key)) return last_;
    const std::size_t i = table_.locate(hash(key), [&](const Slot& s) { return holds(s, key); });
    if (i != Table::kAbsent) last_ = i;
    return i;
  }

  Table table_;
  KeyOf key_of_;
  mutable std::size_t last_ = Table::kAbsent;  // the slot the last lookup found
};

}  // namespace hotline
