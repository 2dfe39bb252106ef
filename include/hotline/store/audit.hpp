// The audit log: every change to a customer or ticket and every clear read
// of a sensitive field leaves a record of who, when and what.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hotline/util/time.hpp"

namespace hotline::store {

struct AuditRecord {
  std::int64_t id = 0;
  TimeMs at = 0;
  std::string actor;
  std::string role;
  std::string action;  // "create", "update", "read-sensitive", "merge", "export", "erase", ...
  std::string entity;  // "customer" or "ticket"
  std::int64_t entity_id = 0;
  std::string detail;  // which fields; never the value of a sensitive one
};

struct AuditQuery {
  std::optional<std::string> entity;
  std::optional<std::int64_t> entity_id;
  std::optional<std::string> actor;
  int limit = 100;  // most recent first
};

}  // namespace hotline::store
