// A host's own storage, at its simplest: JSON records by kind and id, with
// transactions. Hotline keeps tickets, customers and the audit log in it
// through open_key_value_storage(), answering every query by scanning, so a
// host can plug in the database it already runs (through the C ABI's
// hl_storage vtable) without Hotline knowing its schema.
//
// Kinds: "ticket", "note", "change", "follow_up", "customer", "contact",
// "audit", "sequence" (id = year), "counter" (id 0: the next record id).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hotline/store/storage.hpp"

namespace hotline::store {

class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() noexcept = 0;
  // Inserts or replaces.
  virtual Status put(std::string_view kind, std::int64_t id, std::string_view record_json) = 0;
  virtual Result<std::optional<std::string>> get(std::string_view kind, std::int64_t id) = 0;
  // Visits every record of `kind`, in any order; the visitor returns false to stop.
  using Visitor = std::function<bool(std::int64_t id, std::string_view record_json)>;
  virtual Status scan(std::string_view kind, const Visitor& visit) = 0;
};

// Records in `kv` (not owned; it must outlive the storage).
std::unique_ptr<Storage> open_key_value_storage(KeyValueStore& kv);

}  // namespace hotline::store
