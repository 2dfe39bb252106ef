// StringMap: string keys, owned by the map, to values, in the flat table
// under IdMap and ViewMap. For keys that come and go with every call (the
// KPI feed's calls still in the IVR): a node-based map allocates and frees
// a node per key, and small keys here stay inside their std::string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "hotline/util/flat_table.hpp"

namespace hotline {

template <typename V>
class StringMap {
 public:
  // The value under `key`, or nullptr. Valid until the map is next modified.
  V* find(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    return i == Table::kAbsent ? nullptr : &table_.at(i).value;
  }
  const V* find(std::string_view key) const noexcept {
    return const_cast<StringMap*>(this)->find(key);
  }
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

  // Inserts `value` under a copy of `key` unless the key is there already
  // (whose value then stays); true if it inserted.
  bool emplace(std::string_view key, V value) {
    if (locate(key) != Table::kAbsent) return false;
    Slot& s = table_.at(table_.place(hash(key)));
    s.key.assign(key);
    s.value = std::move(value);
    return true;
  }

  bool erase(std::string_view key) noexcept {
    const std::size_t i = locate(key);
    if (i == Table::kAbsent) return false;
    table_.remove(i);
    return true;
  }

  std::size_t size() const noexcept { return table_.size(); }
  bool empty() const noexcept { return table_.size() == 0; }

 private:
  struct Slot {
    std::uint64_t code = 0;  // the key's hash, low bit set; 0: empty
    std::string key;
    V value{};
  };
  using Table = detail::FlatTable<Slot>;

  static std::uint64_t hash(std::string_view key) noexcept {
    return static_cast<std::uint64_t>(std::hash<std::string_view>{}(key)) | 1u;
  }

  std::size_t locate(std::string_view key) const noexcept {
    return table_.locate(hash(key), [&](const Slot& s) { return s.key == key; });
  }

  Table table_;
};

}  // namespace hotline
