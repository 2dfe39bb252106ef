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

// Vectors are reserved to their final size before they are filled, so the
// views into them never move. (A deque would allocate its map even empty.)
struct Node {
  std::string text;                  // a string value
  std::vector<std::string> strings;  // strings inside a list
  std::vector<Value> items;          // a list
  std::vector<Attributes> objects;   // an object, or objects inside a list
};

std::size_t count_kind(const Value& list, Value::Kind kind) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < list.list_size(); ++i) n += list.list_at(i).kind() == kind;
  return n;
}

}  // namespace

struct Attributes::Impl {
  struct Entry {
    std::string key;
    Value view;                  // kept beside the key: lookups touch one cache line
    std::unique_ptr<Node> node;  // what the view points into, if anything
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
    it->node.reset();
    it->view = Value();
    return *it;
  }
  static Node& storage(Entry& e) {
    e.node = std::make_unique<Node>();
    return *e.node;
  }
};

namespace {

// Copies `v` into `node`, which owns everything the copy points to.
Value copy_into(Node& node, const Value& v);

Value copy_item(Node& node, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString: {
      node.strings.emplace_back(v.as_string());
      return Value::string(node.strings.back());
    }
    case Value::Kind::kObject: {
      node.objects.emplace_back(*v.as_object());
      return Value::object(&node.objects.back());
    }
    case Value::Kind::kList: return Value();  // lists inside lists are not kept
    default: return v;
  }
}

Value copy_into(Node& node, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString:
      node.text = std::string(v.as_string());
      return Value::string(node.text);
    case Value::Kind::kList:
      node.items.reserve(v.list_size());
      node.strings.reserve(count_kind(v, Value::Kind::kString));
      node.objects.reserve(count_kind(v, Value::Kind::kObject));
      for (std::size_t i = 0; i < v.list_size(); ++i) {
        node.items.push_back(copy_item(node, v.list_at(i)));
      }
      return Value::list(node.items.data(), node.items.size());
    case Value::Kind::kObject:
      node.objects.reserve(1);
      node.objects.emplace_back(*v.as_object());
      return Value::object(&node.objects.back());
    default: return v;
  }
}

}  // namespace

// The storage is created on first write: contacts and agents without
// attributes cost no allocation.
Attributes::Attributes() = default;
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
      auto node = std::make_unique<Node>();
      Value view = copy_into(*node, e.view);
      fresh->entries.push_back(Impl::Entry{e.key, view, std::move(node)});
    }
  }
  impl_ = std::move(fresh);
  return *this;
}

void Attributes::set(std::string_view key, double n) { mut().slot(key).view = Value::number(n); }
void Attributes::set(std::string_view key, bool b) { mut().slot(key).view = Value::boolean(b); }

void Attributes::set(std::string_view key, std::string_view s) {
  std::string text(s);  // `s` may point into the entry being replaced
  Impl::Entry& e = mut().slot(key);
  Node& node = Impl::storage(e);
  node.text = std::move(text);
  e.view = Value::string(node.text);
}

void Attributes::set(std::string_view key, const std::vector<std::string>& list) {
  Impl::Entry& e = mut().slot(key);
  Node& node = Impl::storage(e);
  node.items.reserve(list.size());
  node.strings.reserve(list.size());
  for (const std::string& s : list) {
    node.strings.push_back(s);
    node.items.push_back(Value::string(node.strings.back()));
  }
  e.view = Value::list(node.items.data(), node.items.size());
}

void Attributes::set(std::string_view key, Attributes object) {
  Impl::Entry& e = mut().slot(key);
  Node& node = Impl::storage(e);
  node.objects.reserve(1);
  node.objects.push_back(std::move(object));
  e.view = Value::object(&node.objects.back());
}

void Attributes::set_value(std::string_view key, const Value& v) {
  // Copy first: `v` may point into the entry about to be replaced.
  auto node = std::make_unique<Node>();
  Value view = copy_into(*node, v);
  Impl::Entry& e = mut().slot(key);
  e.node = std::move(node);
  e.view = view;
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
      Node node;
      std::vector<Value> items;
      std::size_t strings = 0, objects = 0;
      for (const auto& item : v) {
        strings += item.is_string();
        objects += item.is_object();
      }
      node.strings.reserve(strings);
      node.objects.reserve(objects);
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
          node.objects.push_back(std::move(nested).value());
          items.push_back(Value::object(&node.objects.back()));
        } else if (item.is_string()) {
          node.strings.push_back(item.get<std::string>());
          items.push_back(Value::string(node.strings.back()));
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
