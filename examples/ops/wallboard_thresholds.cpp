#include "wallboard_thresholds.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hotline::ops {

using nlohmann::json;

namespace {

struct Field {
  const char* key;
  double WallboardThresholds::*value;
  bool percent;  // a percentage lies in [0, 100]; seconds are only non-negative
};

// In the order the unknown-field error lists them.
constexpr Field kFields[] = {
    {"service_level_percent", &WallboardThresholds::service_level_percent, true},
    {"abandon_percent", &WallboardThresholds::abandon_percent, true},
    {"busy_percent", &WallboardThresholds::busy_percent, true},
    {"asa_seconds", &WallboardThresholds::asa_seconds, false},
    {"fcr_percent", &WallboardThresholds::fcr_percent, true},
    {"occupancy_percent", &WallboardThresholds::occupancy_percent, true},
};

std::string field_list() {
  std::string list;
  for (const Field& f : kFields) {
    if (!list.empty()) list += ", ";
    list += f.key;
  }
  return list;
}

}  // namespace

Result<WallboardThresholds> wallboard_thresholds_from_json(const json& j, std::string_view path) {
  if (!j.is_object()) {
    return make_error(Errc::kInvalidArgument, fmt::format("{}: must be an object", path));
  }
  WallboardThresholds thresholds;
  for (const auto& [key, value] : j.items()) {
    const Field* field = nullptr;
    for (const Field& f : kFields) {
      if (key == f.key) field = &f;
    }
    if (field == nullptr) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}.{}: unknown field (expected one of: {})", path, key,
                                    field_list()));
    }
    const double limit = field->percent ? 100.0 : 86400.0;
    if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0 ||
        value.get<double>() > limit) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}.{}: must be a number from 0 to {}", path, key, limit));
    }
    thresholds.*(field->value) = value.get<double>();
  }
  return thresholds;
}

json to_json(const WallboardThresholds& thresholds) {
  json j = json::object();
  for (const Field& f : kFields) j[f.key] = thresholds.*(f.value);
  return j;
}

}  // namespace hotline::ops
