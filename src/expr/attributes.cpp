// Storage: one block holds a header, the entries sorted by key, and a data
// area where the keys and what the values point to (string bytes, list
// items, nested objects) are laid out one after another. A lookup therefore
// reads a few adjacent cache lines instead of chasing a pointer per key and
// per value; routing evaluates agent targets this way for every candidate.
//
// What a Value points to never moves: when a block runs out of room, the
// entries and keys move to a bigger block, but the payloads stay where they
// are and their old block is kept (chained behind the current one) until no
// entry refers to anything in it. Space of a replaced or erased payload is
// not reused until then. Copying an object built by writes lays it out
// afresh in one block.
//
// A block laid out whole that way (by a copy or merged()) is shared by the
// copies made of it after: a contact's data is copied from its call's, and
// the router's copy then costs a count, not a block of its own. A shared
// block is never written. The first change through one of its holders lays
// that holder's entries out afresh (own()) and keeps its share of the shared
// block in the chain behind them, until the holder is cleared, assigned or
// destroyed, so that values read before the change stay where they were, as
// for any other change. A copy about to be changed is better built whole
// with merged(), which keeps no share.
#include "hotline/expr/attributes.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <new>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace hotline::expr {

struct Attributes::Entry {
  Value view;
  std::uint32_t key_off;  // the key's bytes, in the current block's data area
  std::uint32_t key_len;
};

struct Attributes::Block {
  // Earlier blocks still holding live payloads, and the share of a block
  // this object held before its first change (own()): the one block in the
  // chain whose owners are not 0.
  Block* older = nullptr;
  std::uint32_t size = 0;  // entries (0 once the entries moved to a newer block)
  std::uint32_t capacity = 0;
  std::uint32_t used = 0;  // bytes of the data area in use
  std::uint32_t bytes = 0;
  std::uint32_t live = 0;  // payloads here that an entry still points to
  // 0: built by writes, held by one object and never shared. n >= 1: laid
  // out whole, held by n objects (or their chains), and not written while
  // n >= 2. Counted atomically: copies sharing a block may live on
  // different threads.
  std::atomic<std::uint32_t> owners{0};

  static constexpr std::size_t kHeader = 32;
  Entry* entries() noexcept {
    return reinterpret_cast<Entry*>(reinterpret_cast<char*>(this) + kHeader);
  }
  const Entry* entries() const noexcept {
    return reinterpret_cast<const Entry*>(reinterpret_cast<const char*>(this) + kHeader);
  }
  char* data() noexcept { return reinterpret_cast<char*>(entries() + capacity); }
  const char* data() const noexcept {
    return reinterpret_cast<const char*>(entries() + capacity);
  }
  std::string_view key(const Entry& e) const noexcept { return {data() + e.key_off, e.key_len}; }
  bool holds(const void* p) const noexcept {
    const char* c = static_cast<const char*>(p);
    return c >= data() && c < data() + bytes;
  }

  static Block* make(std::size_t capacity, std::size_t bytes) {
    if (capacity > UINT32_MAX / 2 || bytes > UINT32_MAX / 2) {
      throw std::length_error("attributes object too large");
    }
    static_assert(sizeof(Block) <= kHeader && sizeof(Entry) % 8 == 0);
    static_assert(alignof(Value) <= 8 && alignof(Attributes) <= 8 && sizeof(Value) % 8 == 0);
    void* mem = ::operator new(kHeader + capacity * sizeof(Entry) + bytes);
    Block* b = new (mem) Block;
    b->capacity = static_cast<std::uint32_t>(capacity);
    b->bytes = static_cast<std::uint32_t>(bytes);
    return b;
  }
};

namespace {

std::size_t align8(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

// Data-area bytes a copy of `v` needs, alignment included. Empty strings and
// lists need none: their views point nowhere.
std::size_t payload_size(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString: return v.as_string().size();
    case Value::Kind::kObject: return 7 + sizeof(Attributes);
    case Value::Kind::kList: {
      const std::size_t n = v.list_size();
      if (n == 0) return 0;
      std::size_t size = 7 + n * sizeof(Value);
      for (std::size_t i = 0; i < n; ++i) {
        const Value& item = v.list_at(i);
        if (item.kind() == Value::Kind::kString) size += item.as_string().size();
        if (item.kind() == Value::Kind::kObject) size += sizeof(Attributes);
      }
      return size;
    }
    default: return 0;
  }
}

// Where a payload starts, or nullptr for values that point nowhere.
const void* payload_of(const Value& v) noexcept {
  switch (v.kind()) {
    case Value::Kind::kString: return v.as_string().empty() ? nullptr : v.as_string().data();
    case Value::Kind::kObject: return v.as_object();
    case Value::Kind::kList: return v.list_size() ? &v.list_at(0) : nullptr;
    default: return nullptr;
  }
}

// Runs the destructors of the objects a payload holds.
void destroy_objects(const Value& v) noexcept {
  if (v.kind() == Value::Kind::kObject) {
    const_cast<Attributes*>(v.as_object())->~Attributes();
  } else if (v.kind() == Value::Kind::kList) {
    for (std::size_t i = 0; i < v.list_size(); ++i) {
      if (const Attributes* o = v.list_at(i).as_object()) const_cast<Attributes*>(o)->~Attributes();
    }
  }
}

}  // namespace

Attributes::Attributes() = default;  // storage is created on the first write
Attributes::~Attributes() { destroy(); }

Attributes::Attributes(Attributes&& other) noexcept : block_(other.block_) {
  other.block_ = nullptr;
}

Attributes& Attributes::operator=(Attributes&& other) noexcept {
  if (this == &other) return *this;
  Block* b = other.block_;  // taken first: `other` may live inside this object
  other.block_ = nullptr;
  destroy();
  block_ = b;
  return *this;
}

Attributes::Attributes(const Attributes& other) { *this = other; }

Attributes& Attributes::operator=(const Attributes& other) {
  if (this == &other) return *this;
  Block* from = other.block_;
  if (from && from->owners.load(std::memory_order_relaxed) >= 1) {
    // Shared before this object's own storage goes: `other` may live inside it.
    from->owners.fetch_add(1, std::memory_order_relaxed);
    destroy();
    block_ = from;
    return *this;
  }
  Block* copy = from && from->size > 0 ? copy_of(*from) : nullptr;
  destroy();
  block_ = copy;
  return *this;
}

Attributes::Block* Attributes::copy_of(const Block& from) {
  // Built in an object of its own: should memory run out half-way, it frees
  // what it has, and the caller has changed nothing.
  Attributes fresh;
  const std::size_t n = from.size;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bytes += from.entries()[i].key_len + payload_size(from.entries()[i].view);
  }
  fresh.block_ = Block::make(n, bytes);
  Block& to = *fresh.block_;
  for (std::size_t i = 0; i < n; ++i) {
    const Entry& e = from.entries()[i];
    Entry copy{fresh.write_payload(e.view), to.used, e.key_len};
    std::memcpy(to.data() + to.used, from.data() + e.key_off, e.key_len);
    to.used += e.key_len;
    new (to.entries() + i) Entry(copy);
    to.size = static_cast<std::uint32_t>(i + 1);
  }
  to.owners.store(1, std::memory_order_relaxed);
  Block* out = fresh.block_;
  fresh.block_ = nullptr;
  return out;
}

void Attributes::own() {
  Block* b = block_;
  if (!b) return;
  const std::uint32_t owners = b->owners.load(std::memory_order_acquire);
  if (owners == 0) return;
  if (owners == 1) {  // shared with nobody: written in place from now on
    b->owners.store(0, std::memory_order_relaxed);
    return;
  }
  Block* mine = copy_of(*b);
  mine->owners.store(0, std::memory_order_relaxed);
  mine->older = b;  // this object's share of `b`, kept behind the copy
  block_ = mine;
}

void Attributes::free_chain(Block* b) noexcept {
  // `b` goes whatever its count (its last holder is letting go); behind it,
  // a shared block is one share let go.
  for (bool first = true; b; first = false) {
    Block* older = b->older;
    if (!first && b->owners.load(std::memory_order_relaxed) != 0) {
      release_share(b);
    } else {
      b->~Block();
      ::operator delete(b);
    }
    b = older;
  }
}

void Attributes::release_share(Block* b) noexcept {
  if (!b) return;
  // The last holder frees: with two or more, whoever takes the count from
  // one to none, since another holder may be letting go at the same time.
  if (b->owners.load(std::memory_order_acquire) >= 2 &&
      b->owners.fetch_sub(1, std::memory_order_acq_rel) != 1) {
    return;
  }
  for (std::size_t i = 0; i < b->size; ++i) destroy_objects(b->entries()[i].view);
  free_chain(b);
}

void Attributes::destroy() noexcept {
  Block* b = block_;
  block_ = nullptr;
  release_share(b);
}

std::size_t Attributes::lower(std::string_view key) const noexcept {
  if (!block_) return 0;
  const Block& b = *block_;
  std::size_t lo = 0, hi = b.size;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (b.key(b.entries()[mid]) < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

void Attributes::reserve(std::size_t entries, std::size_t bytes) {
  Block* old = block_;
  if (old && old->size + entries <= old->capacity && old->used + bytes <= old->bytes) return;
  const std::size_t n = old ? old->size : 0;
  std::size_t keys = 0;
  for (std::size_t i = 0; i < n; ++i) keys += old->entries()[i].key_len;
  // Payloads stay behind, so the new block needs room for the keys and what
  // is being written, plus slack for the writes that usually follow.
  // The first block takes eight keys: a session's call facts, a contact's
  // or an agent's usual attributes fit without moving.
  Block* b = Block::make(std::max<std::size_t>(8, 2 * (n + entries)),
                         std::max<std::size_t>(96, 2 * (keys + bytes)));
  for (std::size_t i = 0; i < n; ++i) {
    const Entry& e = old->entries()[i];
    std::memcpy(b->data() + b->used, old->data() + e.key_off, e.key_len);
    new (b->entries() + i) Entry{e.view, b->used, e.key_len};
    b->used += e.key_len;
  }
  b->size = static_cast<std::uint32_t>(n);
  if (old) old->size = 0;
  b->older = old;  // freed by sweep() once nothing points into it
  block_ = b;
}

// Copies `v` and whatever it points to into the current block, which
// reserve() has made big enough.
Value Attributes::write_payload(const Value& v) {
  Block& b = *block_;
  switch (v.kind()) {
    case Value::Kind::kString: {
      const std::string_view s = v.as_string();
      if (s.empty()) return Value::string({});
      char* at = b.data() + b.used;
      std::memcpy(at, s.data(), s.size());
      b.used += static_cast<std::uint32_t>(s.size());
      ++b.live;
      return Value::string({at, s.size()});
    }
    case Value::Kind::kObject: {
      b.used = static_cast<std::uint32_t>(align8(b.used));
      auto* o = new (b.data() + b.used) Attributes(*v.as_object());
      b.used += sizeof(Attributes);
      ++b.live;
      return Value::object(o);
    }
    case Value::Kind::kList: {
      const std::size_t n = v.list_size();
      if (n == 0) return Value::list(nullptr, 0);
      b.used = static_cast<std::uint32_t>(align8(b.used));
      auto* items = reinterpret_cast<Value*>(b.data() + b.used);
      std::size_t objects = 0;
      for (std::size_t i = 0; i < n; ++i) objects += v.list_at(i).kind() == Value::Kind::kObject;
      auto* const first_object = reinterpret_cast<Attributes*>(items + n);
      Attributes* object = first_object;
      char* text = reinterpret_cast<char*>(first_object + objects);
      try {
        for (std::size_t i = 0; i < n; ++i) {
          const Value& item = v.list_at(i);
          switch (item.kind()) {
            case Value::Kind::kString: {
              const std::string_view s = item.as_string();
              std::memcpy(text, s.data(), s.size());
              new (items + i) Value(Value::string({text, s.size()}));
              text += s.size();
              break;
            }
            case Value::Kind::kObject:
              new (items + i) Value(Value::object(new (object) Attributes(*item.as_object())));
              ++object;
              break;
            case Value::Kind::kList: new (items + i) Value(); break;  // lists in lists are not kept
            default: new (items + i) Value(item); break;
          }
        }
      } catch (...) {
        // A copy of an object built by writes allocates, and may throw. No
        // entry points at this list yet, so neither release() nor
        // release_share() would reach the copies already made: they are
        // let go here.
        while (object != first_object) (--object)->~Attributes();
        throw;
      }
      b.used = static_cast<std::uint32_t>(text - b.data());
      ++b.live;
      return Value::list(items, n);
    }
    default: return v;
  }
}

void Attributes::release(const Value& v) noexcept {
  destroy_objects(v);
  const void* p = payload_of(v);
  if (!p) return;
  for (Block* b = block_; b; b = b->older) {
    if (b->holds(p)) {
      --b->live;
      return;
    }
  }
}

void Attributes::sweep() noexcept {
  for (Block** link = &block_->older; *link;) {
    Block* b = *link;
    // A shared block stays until this object is cleared, assigned to or destroyed: no
    // entry here points into it, but values read before own() may.
    if (b->live == 0 && b->owners.load(std::memory_order_relaxed) == 0) {
      *link = b->older;
      b->older = nullptr;
      free_chain(b);
    } else {
      link = &b->older;
    }
  }
}

void Attributes::write(std::string_view key, const Value& v) {
  // `key` and `v` may point into this object: they are copied before the
  // entry they may belong to is released, and old blocks (a shared one too)
  // outlive this call.
  own();
  std::size_t i = lower(key);
  const bool exists = block_ && i < block_->size && block_->key(block_->entries()[i]) == key;
  reserve(exists ? 0 : 1, (exists ? 0 : key.size()) + payload_size(v));
  Block& b = *block_;
  const Value fresh = write_payload(v);
  Entry* entries = b.entries();
  if (exists) {
    const Value old = entries[i].view;
    entries[i].view = fresh;
    release(old);
  } else {
    const Entry e{fresh, b.used, static_cast<std::uint32_t>(key.size())};
    std::memcpy(b.data() + b.used, key.data(), key.size());
    b.used += static_cast<std::uint32_t>(key.size());
    std::memmove(static_cast<void*>(entries + i + 1), static_cast<const void*>(entries + i),
                 (b.size - i) * sizeof(Entry));
    new (entries + i) Entry(e);
    ++b.size;
  }
  sweep();
}

void Attributes::set(std::string_view key, double n) { write(key, Value::number(n)); }
void Attributes::set(std::string_view key, bool b) { write(key, Value::boolean(b)); }
void Attributes::set(std::string_view key, std::string_view s) { write(key, Value::string(s)); }

void Attributes::set(std::string_view key, const std::vector<std::string>& list) {
  std::vector<Value> items;
  items.reserve(list.size());
  for (const std::string& s : list) items.push_back(Value::string(s));
  write(key, Value::list(items.data(), items.size()));
}

void Attributes::set(std::string_view key, Attributes object) {
  write(key, Value::object(&object));
}

void Attributes::set_value(std::string_view key, const Value& v) { write(key, v); }
void Attributes::set_null(std::string_view key) { write(key, Value()); }

bool Attributes::erase(std::string_view key) {
  const std::size_t i = lower(key);
  if (!block_ || i >= block_->size || block_->key(block_->entries()[i]) != key) return false;
  own();  // the same entry, at the same place, in a block of this object's own
  Block& b = *block_;
  Entry* entries = b.entries();
  const Value old = entries[i].view;
  std::memmove(static_cast<void*>(entries + i), static_cast<const void*>(entries + i + 1),
               (b.size - i - 1) * sizeof(Entry));
  --b.size;
  release(old);
  sweep();
  return true;
}

void Attributes::clear() { destroy(); }

const Value* Attributes::find(std::string_view key) const noexcept {
  if (!block_) return nullptr;
  const Block& b = *block_;
  const Entry* entries = b.entries();
  // Most objects have a handful of keys: a scan that compares lengths first
  // beats a binary search there.
  if (b.size <= 8) {
    const char* data = b.data();
    for (std::size_t i = 0; i < b.size; ++i) {
      const Entry& e = entries[i];
      if (e.key_len == key.size() &&
          (key.empty() || (data[e.key_off] == key[0] &&
                           std::memcmp(data + e.key_off, key.data(), key.size()) == 0))) {
        return &e.view;
      }
    }
    return nullptr;
  }
  const std::size_t i = lower(key);
  if (i >= b.size || b.key(entries[i]) != key) return nullptr;
  return &entries[i].view;
}

const Value* Attributes::find_path(std::string_view dotted) const noexcept {
  const Attributes* obj = this;
  for (;;) {
    const std::size_t dot = dotted.find('.');
    const Value* v = obj->find(dotted.substr(0, dot));
    if (!v || dot == std::string_view::npos) return v;
    obj = v->as_object();
    if (!obj) return nullptr;
    dotted.remove_prefix(dot + 1);
  }
}

Attributes& Attributes::object_at(std::string_view key) {
  own();  // the object handed out may be changed: it must be this object's own
  const Value* v = find(key);
  if (v && v->kind() == Value::Kind::kObject) {
    return const_cast<Attributes&>(*v->as_object());
  }
  set(key, Attributes());
  return const_cast<Attributes&>(*find(key)->as_object());
}

Attributes Attributes::merged(const Attributes& base,
                              const std::pair<std::string_view, Value>* over, std::size_t count) {
  // The keys of `over` in sorted order, each once with its last value:
  // positions sorted by key, equal keys by position, the last of each run kept.
  std::size_t few[16];
  std::vector<std::size_t> many;
  std::size_t* order = few;
  if (count > std::size(few)) {
    many.resize(count);
    order = many.data();
  }
  // Most callers give their keys sorted and each once: then no sort.
  bool sorted = true;
  for (std::size_t i = 0; i < count; ++i) {
    order[i] = i;
    if (i > 0 && !(over[i - 1].first < over[i].first)) sorted = false;
  }
  if (!sorted) {
    std::sort(order, order + count, [&](std::size_t a, std::size_t b) {
      return over[a].first < over[b].first || (over[a].first == over[b].first && a < b);
    });
  }
  std::size_t unique = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (i + 1 < count && over[order[i]].first == over[order[i + 1]].first) continue;
    order[unique++] = order[i];
  }
  // The two sorted runs walked together; on a key in both, `over` wins.
  const std::size_t n_base = base.size();
  auto walk = [&](auto&& visit) {
    std::size_t i = 0, k = 0;
    while (i < n_base || k < unique) {
      const int cmp = i == n_base ? 1
                      : k == unique ? -1
                                    : base.key_at(i).compare(over[order[k]].first);
      if (cmp < 0) {
        visit(base.key_at(i), base.value_at(i));
        ++i;
      } else {
        visit(over[order[k]].first, over[order[k]].second);
        ++k;
        if (cmp == 0) ++i;
      }
    }
  };
  std::size_t n = 0;
  std::size_t bytes = 0;
  walk([&](std::string_view key, const Value& v) {
    ++n;
    bytes += key.size() + payload_size(v);
  });
  Attributes out;
  if (n == 0) return out;
  out.block_ = Block::make(n, bytes);
  Block& to = *out.block_;
  // As operator= lays a copy out: each entry's payload, then its key.
  walk([&](std::string_view key, const Value& v) {
    Entry e{out.write_payload(v), to.used, static_cast<std::uint32_t>(key.size())};
    std::memcpy(to.data() + to.used, key.data(), key.size());
    to.used += static_cast<std::uint32_t>(key.size());
    new (to.entries() + to.size) Entry(e);
    ++to.size;
  });
  to.owners.store(1, std::memory_order_relaxed);  // laid out whole: copies share it
  return out;
}

void Attributes::prefetch() const noexcept {
  if (!block_) return;
  // The header, the entries and the first keys and payloads: a small
  // object (an agent's view) fits.
  const char* p = reinterpret_cast<const char*>(block_);
  const std::size_t size =
      Block::kHeader + block_->capacity * sizeof(Entry) + block_->bytes;
  for (std::size_t off = 0; off < size && off < 256; off += 64) __builtin_prefetch(p + off);
}

std::size_t Attributes::size() const noexcept { return block_ ? block_->size : 0; }

std::string_view Attributes::key_at(std::size_t i) const noexcept {
  return block_->key(block_->entries()[i]);
}

const Value& Attributes::value_at(std::size_t i) const noexcept {
  return block_->entries()[i].view;
}

Result<Attributes> Attributes::from_json(const nlohmann::json& j, std::string_view path) {
  return from_json_at(j, path, 1);
}

namespace {
Error too_deep(std::string_view path) {
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: nested deeper than {} levels", path, kMaxAttributeDepth));
}
}  // namespace

Result<Attributes> Attributes::from_json_at(const nlohmann::json& j, std::string_view path,
                                            int depth) {
  if (!j.is_object()) {
    return make_error(Errc::kInvalidArgument, fmt::format("{}: expected an object", path));
  }
  if (depth > kMaxAttributeDepth) return too_deep(path);
  Attributes out;
  for (const auto& [key, v] : j.items()) {
    // Formatted only where an error or a nested value needs it: most keys
    // hold a scalar, and a path string for each cost more than reading it.
    auto key_path = [&, &key = key] { return fmt::format("{}.{}", path, key); };
    if (v.is_null()) {
      out.set_null(key);
    } else if (v.is_boolean()) {
      out.set(key, v.get<bool>());
    } else if (v.is_number()) {
      const double n = v.get<double>();
      if (!std::isfinite(n)) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}: number is not finite", key_path()));
      }
      out.set(key, n);
    } else if (v.is_string()) {
      out.set(key, std::string_view(v.get_ref<const std::string&>()));
    } else if (v.is_object()) {
      auto nested = from_json_at(v, key_path(), depth + 1);
      if (!nested) return nested;
      out.set(key, std::move(nested).value());
    } else {
      // Lists of scalars and objects; a list inside a list has no meaning
      // for the expression language and is refused.
      // Built in a scratch list, then copied into place by set_value.
      // Reserved up front so the views into them never move.
      if (depth + 1 > kMaxAttributeDepth) return too_deep(key_path());
      std::vector<std::string> strings;
      std::vector<Attributes> objects;
      std::vector<Value> items;
      std::size_t string_count = 0, object_count = 0;
      for (const auto& item : v) {
        string_count += item.is_string();
        object_count += item.is_object();
      }
      strings.reserve(string_count);
      objects.reserve(object_count);
      for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& item = v[i];
        auto item_path = [&] { return fmt::format("{}[{}]", key_path(), i); };
        if (item.is_array()) {
          return make_error(Errc::kInvalidArgument,
                            fmt::format("{}: lists inside lists are not supported", item_path()));
        }
        if (item.is_object()) {
          auto nested = from_json_at(item, item_path(), depth + 2);
          if (!nested) return nested;
          objects.push_back(std::move(nested).value());
          items.push_back(Value::object(&objects.back()));
        } else if (item.is_string()) {
          strings.push_back(item.get<std::string>());
          items.push_back(Value::string(strings.back()));
        } else if (item.is_boolean()) {
          items.push_back(Value::boolean(item.get<bool>()));
        } else if (item.is_number()) {
          items.push_back(Value::number(item.get<double>()));
        } else {
          items.push_back(Value());
        }
      }
      out.set_value(key, Value::list(items.data(), items.size()));
    }
  }
  return out;
}

namespace {
nlohmann::json to_json_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return nullptr;
    case Value::Kind::kBool: return v.as_bool();
    case Value::Kind::kNumber: {
      const double n = v.as_number();
      if (std::floor(n) == n && std::fabs(n) < 9e15) return static_cast<std::int64_t>(n);
      return n;
    }
    case Value::Kind::kString: return std::string(v.as_string());
    case Value::Kind::kList: {
      nlohmann::json a = nlohmann::json::array();
      for (std::size_t i = 0; i < v.list_size(); ++i) a.push_back(to_json_value(v.list_at(i)));
      return a;
    }
    case Value::Kind::kObject: return v.as_object()->to_json();
  }
  return nullptr;
}
}  // namespace

nlohmann::json Attributes::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < size(); ++i) j[std::string(key_at(i))] = to_json_value(value_at(i));
  return j;
}

}  // namespace hotline::expr
