// IdMap: non-zero 64-bit ids (contact ids, call slots, request ids) to values,
// in one flat array with linear probing. The engine and its hosts look such
// ids up several times per event; std::unordered_map follows a bucket to a
// heap node for each, this touches one or two adjacent cache lines.
#pragma once

#include <cstddef>
#include <cstdint>

#include "hotline/util/flat_table.hpp"

namespace hotline {

template <typename V>
class IdMap {
 public:
  // The value at `id`, or nullptr. Valid until the map is next modified.
  V* find(std::uint64_t id) noexcept {
    const std::size_t i = locate(id);
    return i == Table::kAbsent ? nullptr : &table_.at(i).value;
  }
  const V* find(std::uint64_t id) const noexcept { return const_cast<IdMap*>(this)->find(id); }
  bool contains(std::uint64_t id) const noexcept { return find(id) != nullptr; }

  // The value at `id`, value-initialised first if absent. `id` must not be 0.
  V& operator[](std::uint64_t id) {
    if (V* v = find(id)) return *v;
    return table_.at(table_.place(id)).value;
  }

  // Starts loading the slot where `id` is or would go, for a lookup or
  // insertion coming soon.
  void prefetch(std::uint64_t id) const noexcept { table_.prefetch(id); }

  bool erase(std::uint64_t id) noexcept {
    const std::size_t i = locate(id);
    if (i == Table::kAbsent) return false;
    table_.remove(i);
    return true;
  }

  std::size_t size() const noexcept { return table_.size(); }
  bool empty() const noexcept { return table_.size() == 0; }
  // Room for `count` entries in all, placed without growing on the way.
  void reserve(std::size_t count) { table_.reserve(count); }
  void clear() { table_.clear(); }

  // Calls f(id, value) for every entry, in no particular order.
  template <typename F>
  void for_each(F f) {
    table_.for_each([&](Slot& s) { f(s.code, s.value); });
  }

 private:
  struct Slot {
    std::uint64_t code = 0;  // the id; 0: empty
    V value{};
  };
  using Table = detail::FlatTable<Slot>;

  std::size_t locate(std::uint64_t id) const noexcept {
    if (id == 0) return Table::kAbsent;
    return table_.locate(id, [](const Slot&) { return true; });
  }

  Table table_;
};

}  // namespace hotline
