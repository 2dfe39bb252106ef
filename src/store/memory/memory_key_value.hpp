// A key-value store in process memory, for the memory backend's knowledge
// records. A write transaction keeps the old value of each key it touches
// (once), so rollback costs what the transaction did.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "hotline/store/key_value.hpp"

namespace hotline::store {

class MemoryKeyValue final : public KeyValueStore {
 public:
  Status begin() override {
    if (undo_) return make_error(Errc::kIllegalState, "a write transaction is already open");
    undo_.emplace();
    return {};
  }
  Status commit() override {
    undo_.reset();
    return {};
  }
  void rollback() noexcept override {
    if (!undo_) return;
    for (auto& [key, old] : *undo_) {
      if (old) {
        records_[key] = std::move(*old);
      } else {
        records_.erase(key);
      }
    }
    undo_.reset();
  }
  Status put(std::string_view kind, std::int64_t id, std::string_view json) override {
    Key key{std::string(kind), id};
    if (undo_ && !undo_->count(key)) {
      auto it = records_.find(key);
      (*undo_)[key] = it == records_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    records_[std::move(key)] = std::string(json);
    return {};
  }
  Result<std::optional<std::string>> get(std::string_view kind, std::int64_t id) override {
    auto it = records_.find(Key{std::string(kind), id});
    if (it == records_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Status scan(std::string_view kind, const Visitor& visit) override {
    for (auto it = records_.lower_bound(Key{std::string(kind), INT64_MIN});
         it != records_.end() && it->first.first == kind; ++it) {
      if (!visit(it->first.second, it->second)) break;
    }
    return {};
  }

 private:
  using Key = std::pair<std::string, std::int64_t>;
  std::map<Key, std::string> records_;
  std::optional<std::map<Key, std::optional<std::string>>> undo_;
};

}  // namespace hotline::store
