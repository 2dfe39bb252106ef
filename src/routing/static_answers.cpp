#include "static_answers.hpp"

#include <cstring>
#include <utility>

namespace hotline::routing {

bool g_reuse_static_answers = true;

void StaticAnswers::Key::put(char kind, const void* p, std::size_t n) noexcept {
  if (spoilt_ || size_ + 1 + n > sizeof bytes_) {
    spoilt_ = true;
    return;
  }
  bytes_[size_++] = kind;
  if (n > 0) std::memcpy(bytes_ + size_, p, n);
  size_ += n;
}

void StaticAnswers::Key::add(const expr::Value& v) noexcept {
  switch (v.kind()) {
    case expr::Value::Kind::kNull: put('n', nullptr, 0); return;
    case expr::Value::Kind::kBool: put(v.as_bool() ? 't' : 'f', nullptr, 0); return;
    case expr::Value::Kind::kNumber: {
      const double d = v.as_number();
      put('d', &d, sizeof d);
      return;
    }
    case expr::Value::Kind::kString: {
      const std::string_view s = v.as_string();
      const auto n = static_cast<std::uint32_t>(s.size());
      if (s.size() != n) {
        spoilt_ = true;
        return;
      }
      put('s', &n, sizeof n);
      put('"', s.data(), s.size());
      return;
    }
    case expr::Value::Kind::kList: {
      const auto n = static_cast<std::uint32_t>(v.list_size());
      put('l', &n, sizeof n);
      for (std::size_t i = 0; i < v.list_size() && !spoilt_; ++i) {
        const expr::Value& item = v.list_at(i);
        if (item.kind() == expr::Value::Kind::kList || item.kind() == expr::Value::Kind::kObject) {
          spoilt_ = true;
          return;
        }
        add(item);
      }
      return;
    }
    case expr::Value::Kind::kObject: spoilt_ = true; return;
  }
  spoilt_ = true;
}

void StaticAnswers::reset(std::optional<std::vector<std::string>> paths) {
  answers_.clear();
  reusable_ = paths.has_value();
  paths_ = paths ? std::move(*paths) : std::vector<std::string>();
}

void StaticAnswers::add_values(const expr::Attributes& view, Key& key) const noexcept {
  for (const std::string& path : paths_) {
    const expr::Value* v = view.find_path(path);
    key.add(v ? *v : expr::Value());
  }
}

const StaticAnswer* StaticAnswers::find(const Key& key) const {
  probe_.assign(key.bytes());
  const auto it = answers_.find(probe_);
  return it == answers_.end() ? nullptr : &it->second;
}

void StaticAnswers::keep(const Key& key, const StaticAnswer& answer) {
  if (answers_.size() < kMaxAnswers) answers_.emplace(std::string(key.bytes()), answer);
}

}  // namespace hotline::routing
