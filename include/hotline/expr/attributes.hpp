// Attributes: an owned JSON-like object (string keys → values, nested objects
// and lists allowed). Contacts, agents and IVR sessions keep theirs in one;
// expressions look keys up in it without allocating.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hotline/expr/value.hpp"
#include "hotline/util/result.hpp"

namespace hotline::expr {

// Objects and lists nest at most this deep in attributes read from JSON (the
// outermost object is level 1). Copying, destroying and serialising an object
// walk it recursively; the bound keeps them far from the stack's end whatever
// a configuration or a posted event contains.
inline constexpr int kMaxAttributeDepth = 32;

class Attributes {
 public:
  Attributes();
  ~Attributes();
  // A copy of an object laid out whole (itself a copy, or made by merged())
  // shares its storage, read-only, until either is changed; a copy of any
  // other is laid out afresh, whole. Either way the copy reads and changes
  // as a separate object. Objects sharing storage may be read, copied,
  // changed and destroyed on different threads; one object, as any
  // container, is not changed while another thread uses it.
  Attributes(const Attributes& other);
  Attributes& operator=(const Attributes& other);
  Attributes(Attributes&&) noexcept;
  Attributes& operator=(Attributes&&) noexcept;

  // From a JSON object. Errors name the JSON path of the offending value
  // (`path` prefixes it, e.g. "$.agents[3].attributes"), including the
  // object or list that would nest deeper than kMaxAttributeDepth.
  static Result<Attributes> from_json(const nlohmann::json& j, std::string_view path = "$");
  nlohmann::json to_json() const;

  void set(std::string_view key, double n);
  void set(std::string_view key, int n) { set(key, static_cast<double>(n)); }
  void set(std::string_view key, long long n) { set(key, static_cast<double>(n)); }
  void set(std::string_view key, bool b);
  void set(std::string_view key, std::string_view s);
  void set(std::string_view key, const char* s) { set(key, std::string_view(s)); }
  void set(std::string_view key, const std::vector<std::string>& list);
  void set(std::string_view key, Attributes object);
  // Copies `v` (and whatever it points to) into this object's storage.
  void set_value(std::string_view key, const Value& v);
  void set_null(std::string_view key);
  bool erase(std::string_view key);
  void clear();

  // The value at `key`, or nullptr when absent. Never allocates. The pointer
  // is valid until this object is next modified; a copy of the Value stays
  // valid until that key is replaced or erased, or the object destroyed.
  // Through such a copy, a nested object later changed with object_at shows
  // the change, unless this object's storage was shared at the time: the
  // change then went to this object's own copy of it.
  const Value* find(std::string_view key) const noexcept;
  // Follows a dotted path ("skills.billing") through nested objects.
  const Value* find_path(std::string_view dotted) const noexcept;
  // A mutable nested object at `key`, created (replacing a non-object) if needed.
  Attributes& object_at(std::string_view key);

  // What copying `base` gives after each of `over` is set in it in turn (a
  // key given twice keeps its later value), built straight into the one
  // block a copy lays out: no block per write, no second copy. The values
  // are copied as set_value copies them.
  static Attributes merged(const Attributes& base, const std::pair<std::string_view, Value>* over,
                           std::size_t count);
  template <std::size_t N>
  static Attributes merged(const Attributes& base,
                           const std::pair<std::string_view, Value> (&over)[N]) {
    return merged(base, over, N);
  }

  // Starts loading the storage into the cache for lookups about to come:
  // its lines are then fetched at once rather than one after another.
  void prefetch() const noexcept;

  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  std::string_view key_at(std::size_t i) const noexcept;  // keys in sorted order
  const Value& value_at(std::size_t i) const noexcept;

 private:
  // Keys, values and what the values point to share one allocation, so a
  // lookup touches a few adjacent cache lines (see attributes.cpp).
  struct Block;
  struct Entry;
  // `depth`: the level of `j` itself (1 for the outermost object).
  static Result<Attributes> from_json_at(const nlohmann::json& j, std::string_view path,
                                         int depth);
  std::size_t lower(std::string_view key) const noexcept;
  static Block* copy_of(const Block& from);  // laid out whole, one owner
  void own();  // before a change: storage of this object's own, unshared
  static void release_share(Block* b) noexcept;
  static void free_chain(Block* b) noexcept;
  void reserve(std::size_t entries, std::size_t bytes);
  Value write_payload(const Value& v);
  void write(std::string_view key, const Value& v);
  void release(const Value& v) noexcept;
  void sweep() noexcept;
  void destroy() noexcept;

  Block* block_ = nullptr;  // null until the first key is set
};

}  // namespace hotline::expr
