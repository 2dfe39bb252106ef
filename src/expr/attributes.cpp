// Storage: a vector of entries sorted by key. Each entry's payload lives in a
// heap node that never moves, so the Value views handed out stay valid while
// other keys are added or removed; only replacing or erasing that key (or
// destroying the object) invalidates them.
#include "hotline/expr/attributes.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hotline::expr {

namespace {

// What a Value points into. A plain string costs one small allocation; an
// object one; a list keeps its items and what they point to together.
// Vectors are reserved to their final size before they are filled, so the
// views into them never move.
struct Storage {
  virtual ~Storage() = default;
};
struct TextStorage final : Storage {
  explicit TextStorage(std::string_view s) : text(s) {}
  std::string text;
};
struct ObjectStorage final : Storage {
  explicit ObjectStorage(Attributes a) : object(std::move(a)) {}
  Attributes object;
};
struct ListStorage final : Storage {
  std::vector<std::string> strings;
  std::vector<Value> items;
  std::vector<Attributes> objects;
};

std::size_t count_kind(const Value& list, Value::Kind kind) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < list.list_size(); ++i) n += list.list_at(i).kind() == kind;
  return n;
}

// Copies `v` into new storage (none for scalars) and returns the new view.
Value copy_value(const Value& v, std::unique_ptr<Storage>& out) {
  switch (v.kind()) {
    case Value::Kind::kString: {
      auto t = std::make_unique<TextStorage>(v.as_string());
      Value view = Value::string(t->text);
      out = std::move(t);
      return view;
    }
    case Value::Kind::kObject: {
      auto o = std::make_unique<ObjectStorage>(*v.as_object());
      Value view = Value::object(&o->object);
      out = std::move(o);
      return view;
    }
    case Value::Kind::kList: {
      auto l = std::make_unique<ListStorage>();
      l->items.reserve(v.list_size());
      l->strings.reserve(count_kind(v, Value::Kind::kString));
      l->objects.reserve(count_kind(v, Value::Kind::kObject));
      for (std::size_t i = 0; i < v.list_size(); ++i) {
        const Value& item = v.list_at(i);
        switch (item.kind()) {
          case Value::Kind::kString:
            l->strings.emplace_back(item.as_string());
            l->items.push_back(Value::string(l->strings.back()));
            break;
          case Value::Kind::kObject:
            l->objects.push_back(*item.as_object());
            l->items.push_back(Value::object(&l->objects.back()));
            break;
          case Value::Kind::kList: l->items.push_back(Value()); break;  // lists in lists are not kept
          default: l->items.push_back(item); break;
        }
      }
      Value view = Value::list(l->items.data(), l->items.size());
      out = std::move(l);
      return view;
    }
    default: out.reset(); return v;
  }
}

}  // namespace

struct Attributes::Impl {
  struct Entry {
    std::string key;
    Value view;                        // kept beside the key: lookups touch one cache line
    std::unique_ptr<Storage> storage;  // what the view points into, if anything
  };
  std::vector<Entry> entries;

  std::vector<Entry>::iterator lower(std::string_view key) {
    return std::lower_bound(entries.begin(), entries.end(), key,
                            [](const Entry& e, std::string_view k) { return e.key < k; });
  }
  std::vector<Entry>::const_iterator lower(std::string_view key) const {
    return std::lower_bound(entries.begin(), entries.end(), key,
                            [](const Entry& e, std::string_view k) { return e.key < k; });
  }
  Entry& slot(std::string_view key) {
    auto it = lower(key);
    if (it == entries.end() || it->key != key) {
      it = entries.insert(it, Entry{std::string(key), Value(), nullptr});
    }
    it->storage.reset();
    it->view = Value();
    return *it;
  }
};

Attributes::Attributes() = default;  // storage is created on the first write
Attributes::~Attributes() = default;
Attributes::Attributes(Attributes&&) noexcept = default;
Attributes& Attributes::operator=(Attributes&&) noexcept = default;

Attributes::Attributes(const Attributes& other) { *this = other; }

Attributes& Attributes::operator=(const Attributes& other) {
  if (this == &other) return *this;
  if (!other.impl_ || other.impl_->entries.empty()) {
    impl_.reset();
    return *this;
  }
  auto fresh = std::make_unique<Impl>();
  fresh->entries.reserve(other.impl_ ? other.impl_->entries.size() : 0);
  if (other.impl_) {
    for (const auto& e : other.impl_->entries) {
      std::unique_ptr<Storage> storage;
      Value view = copy_value(e.view, storage);
      fresh->entries.push_back(Impl::Entry{e.key, view, std::move(storage)});
    }
  }
  impl_ = std::move(fresh);
  return *this;
}

void Attributes::set(std::string_view key, double n) { mut().slot(key).view = Value::number(n); }
void Attributes::set(std::string_view key, bool b) { mut().slot(key).view = Value::boolean(b); }

void Attributes::set(std::string_view key, std::string_view s) {
  auto text = std::make_unique<TextStorage>(s);  // `s` may point into the entry being replaced
  Impl::Entry& e = mut().slot(key);
  e.view = Value::string(text->text);
  e.storage = std::move(text);
}

void Attributes::set(std::string_view key, const std::vector<std::string>& list) {
  auto l = std::make_unique<ListStorage>();
  l->items.reserve(list.size());
  l->strings.reserve(list.size());
  for (const std::string& s : list) {
    l->strings.push_back(s);
    l->items.push_back(Value::string(l->strings.back()));
  }
  Impl::Entry& e = mut().slot(key);
  e.view = Value::list(l->items.data(), l->items.size());
  e.storage = std::move(l);
}

void Attributes::set(std::string_view key, Attributes object) {
  auto o = std::make_unique<ObjectStorage>(std::move(object));
  Impl::Entry& e = mut().slot(key);
  e.view = Value::object(&o->object);
  e.storage = std::move(o);
}

void Attributes::set_value(std::string_view key, const Value& v) {
  // Copy first: `v` may point into the entry about to be replaced.
  std::unique_ptr<Storage> storage;
  Value view = copy_value(v, storage);
  Impl::Entry& e = mut().slot(key);
  e.view = view;
  e.storage = std::move(storage);
}

void Attributes::set_null(std::string_view key) { mut().slot(key).view = Value(); }

bool Attributes::erase(std::string_view key) {
  if (!impl_) return false;
  auto it = impl_->lower(key);
  if (it == impl_->entries.end() || it->key != key) return false;
  impl_->entries.erase(it);
  return true;
}

void Attributes::clear() { impl_.reset(); }

const Value* Attributes::find(std::string_view key) const noexcept {
  if (!impl_) return nullptr;
  const auto& entries = impl_->entries;
  // Most objects have a handful of keys: a scan that compares lengths first
  // beats a binary search there.
  if (entries.size() <= 8) {
    for (const auto& e : entries) {
      if (e.key.size() == key.size() && (key.empty() || (e.key[0] == key[0] &&
          std::memcmp(e.key.data(), key.data(), key.size()) == 0))) {
        return &e.view;
      }
    }
    return nullptr;
  }
  auto it = impl_->lower(key);
  if (it == entries.end() || it->key != key) return nullptr;
  return &it->view;
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
  const Value* v = find(key);
  if (v && v->kind() == Value::Kind::kObject) {
    return const_cast<Attributes&>(*v->as_object());
  }
  set(key, Attributes());
  return const_cast<Attributes&>(*find(key)->as_object());
}

std::size_t Attributes::size() const noexcept { return impl_ ? impl_->entries.size() : 0; }

std::string_view Attributes::key_at(std::size_t i) const noexcept {
  return impl_->entries[i].key;
}

const Value& Attributes::value_at(std::size_t i) const noexcept {
  return impl_->entries[i].view;
}

Attributes::Impl& Attributes::mut() {
  if (!impl_) impl_ = std::make_unique<Impl>();
  return *impl_;
}

Result<Attributes> Attributes::from_json(const nlohmann::json& j, std::string_view path) {
  if (!j.is_object()) {
    return make_error(Errc::kInvalidArgument, fmt::format("{}: expected an object", path));
  }
  Attributes out;
  for (const auto& [key, v] : j.items()) {
    const std::string p = fmt::format("{}.{}", path, key);
    if (v.is_null()) {
      out.set_null(key);
    } else if (v.is_boolean()) {
      out.set(key, v.get<bool>());
    } else if (v.is_number()) {
      const double n = v.get<double>();
      if (!std::isfinite(n)) {
        return make_error(Errc::kInvalidArgument, fmt::format("{}: number is not finite", p));
      }
      out.set(key, n);
    } else if (v.is_string()) {
      out.set(key, std::string_view(v.get_ref<const std::string&>()));
    } else if (v.is_object()) {
      auto nested = from_json(v, p);
      if (!nested) return nested;
      out.set(key, std::move(nested).value());
    } else {
      // Lists of scalars and objects; a list inside a list has no meaning
      // for the expression language and is refused.
      // Built in a scratch list, then copied into place by set_value.
      ListStorage scratch;
      std::vector<Value>& items = scratch.items;
      std::size_t strings = 0, objects = 0;
      for (const auto& item : v) {
        strings += item.is_string();
        objects += item.is_object();
      }
      scratch.strings.reserve(strings);
      scratch.objects.reserve(objects);
      for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& item = v[i];
        const std::string ip = fmt::format("{}[{}]", p, i);
        if (item.is_array()) {
          return make_error(Errc::kInvalidArgument,
                            fmt::format("{}: lists inside lists are not supported", ip));
        }
        if (item.is_object()) {
          auto nested = from_json(item, ip);
          if (!nested) return nested;
          scratch.objects.push_back(std::move(nested).value());
          items.push_back(Value::object(&scratch.objects.back()));
        } else if (item.is_string()) {
          scratch.strings.push_back(item.get<std::string>());
          items.push_back(Value::string(scratch.strings.back()));
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
