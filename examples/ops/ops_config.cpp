#include "ops_config.hpp"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hotline::ops {

using nlohmann::json;

namespace {

Result<std::vector<double>> bucket_bounds(const json& value, std::string_view path) {
  constexpr std::size_t kMaxBuckets = 64;
  if (!value.is_array() || value.empty() || value.size() > kMaxBuckets) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{}: must be an array of 1 to {} numbers", path, kMaxBuckets));
  }
  std::vector<double> bounds;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const json& bound = value[i];
    if (!bound.is_number() || !std::isfinite(bound.get<double>()) || bound.get<double>() <= 0) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}[{}]: must be a positive number", path, i));
    }
    if (!bounds.empty() && bound.get<double>() <= bounds.back()) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}[{}]: must be greater than the bound before it", path, i));
    }
    bounds.push_back(bound.get<double>());
  }
  return bounds;
}

}  // namespace

Result<OpsConfig> ops_config_from_json(const json& j,
                                       const AccessTable::AgentExists& agent_exists,
                                       const AccessTable::AgentIsSupervisor& agent_is_supervisor) {
  if (!j.is_object()) return make_error(Errc::kInvalidArgument, "$: must be an object");
  for (const auto& [key, value] : j.items()) {
    if (key != "tokens" && key != "wait_buckets_seconds" && key != "handle_buckets_seconds" &&
        key != "wallboard") {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("$.{}: unknown field (expected one of: tokens, "
                                    "wait_buckets_seconds, handle_buckets_seconds, wallboard)",
                                    key));
    }
  }
  if (!j.contains("tokens")) {
    return make_error(Errc::kInvalidArgument, "$.tokens: required field missing");
  }
  OpsConfig config;
  auto access = AccessTable::from_json(j.at("tokens"), "$.tokens", agent_exists,
                                       agent_is_supervisor);
  if (!access) return std::move(access).error();
  config.access = std::move(*access);
  if (j.contains("wait_buckets_seconds")) {
    auto bounds = bucket_bounds(j.at("wait_buckets_seconds"), "$.wait_buckets_seconds");
    if (!bounds) return std::move(bounds).error();
    config.wait_buckets_seconds = std::move(*bounds);
  }
  if (j.contains("handle_buckets_seconds")) {
    auto bounds = bucket_bounds(j.at("handle_buckets_seconds"), "$.handle_buckets_seconds");
    if (!bounds) return std::move(bounds).error();
    config.handle_buckets_seconds = std::move(*bounds);
  }
  if (j.contains("wallboard")) {
    auto thresholds = wallboard_thresholds_from_json(j.at("wallboard"), "$.wallboard");
    if (!thresholds) return std::move(thresholds).error();
    config.wallboard = *thresholds;
  }
  return config;
}

Result<OpsConfig> ops_config_for_center(const nlohmann::json& j, const engine::Engine& center) {
  const routing::Router& router = center.router();
  return ops_config_from_json(
      j, [&router](std::string_view agent) { return router.agent_config(agent).has_value(); },
      [&router](std::string_view agent) {
        const auto found = router.agent_config(agent);
        return found && found->role == routing::AgentRole::kSupervisor;
      });
}

}  // namespace hotline::ops
