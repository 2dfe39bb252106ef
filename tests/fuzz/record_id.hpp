// The id of a record a store call handed out as JSON, for targets whose
// fixtures create records through the C ABI.
#pragma once

#include <cstdint>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "hotline.h"

namespace hotline::fuzz {

// Frees `record` and returns its "id"; a fixture record without one is a bug
// of the target, so it aborts.
inline std::int64_t id_of(char* record) {
  const auto j = nlohmann::json::parse(record, nullptr, false);
  hl_free(record);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_number_integer()) std::abort();
  return j["id"].get<std::int64_t>();
}

}  // namespace hotline::fuzz
