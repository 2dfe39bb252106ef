#include "access_table.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/util/utf8.hpp"

namespace hotline::ops {

using nlohmann::json;

std::string_view role_name(Role role) noexcept {
  switch (role) {
    case Role::kAgent: return "agent";
    case Role::kSupervisor: return "supervisor";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

namespace {

Result<Role> parse_role(const json& value, const std::string& where) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    for (Role r : {Role::kAgent, Role::kSupervisor, Role::kAdmin}) {
      if (text == role_name(r)) return r;
    }
  }
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: must be one of agent, supervisor, admin", where));
}

Result<std::string> string_field(const json& entry, const char* key, const std::string& where) {
  const json& value = entry.at(key);
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    return make_error(Errc::kInvalidArgument, where + ": must be a non-empty string");
  }
  const auto& text = value.get_ref<const std::string&>();
  if (Status s = require_utf8(text, where); !s) return std::move(s).error();
  return text;
}

// RFC 6750's b64token, the only tokens a client can send in a bearer
// `Authorization` header: letters, digits and -._~+/, then any number of '='.
// Where a token breaks that rule (0-based), or npos.
std::size_t first_non_bearer_character(std::string_view token) {
  auto in_b64token = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
  };
  std::size_t i = 0;
  while (i < token.size() && in_b64token(token[i])) ++i;
  if (i == 0) return 0;  // at least one character before any '='
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size() ? std::string_view::npos : i;
}

}  // namespace

Result<AccessTable> AccessTable::from_json(const json& tokens, std::string_view path,
                                           const AgentExists& agent_exists,
                                           const AgentIsSupervisor& agent_is_supervisor) {
  if (!tokens.is_array()) {
    return make_error(Errc::kInvalidArgument, fmt::format("{}: must be an array", path));
  }
  AccessTable table;
  static constexpr const char* kKeys[] = {"token", "role", "agent_id"};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", path, i);
    const json& entry = tokens[i];
    if (!entry.is_object()) {
      return make_error(Errc::kInvalidArgument, at + ": must be an object");
    }
    for (const auto& [key, value] : entry.items()) {
      if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}.{}: unknown field (expected one of: token, role, "
                                      "agent_id)", at, key));
      }
    }
    for (const char* required : {"token", "role"}) {
      if (!entry.contains(required)) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}.{}: required field missing", at, required));
      }
    }
    auto token = string_field(entry, "token", at + ".token");
    if (!token) return std::move(token).error();
    if (token->size() < kMinTokenLength) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}.token: must be at least {} characters", at,
                                    kMinTokenLength));
    }
    if (std::size_t bad = first_non_bearer_character(*token); bad != std::string_view::npos) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}.token: character {} is not allowed (a bearer token is "
                                    "letters, digits and -._~+/, then optional trailing '=')",
                                    at, bad + 1));
    }
    auto role = parse_role(entry.at("role"), at + ".role");
    if (!role) return std::move(role).error();
    Principal who{*role, {}};
    if (*role == Role::kAgent && !entry.contains("agent_id")) {
      return make_error(Errc::kInvalidArgument,
                        at + ".agent_id: required field missing (an agent token acts as "
                             "one agent)");
    }
    // A supervisor token may name the supervisor agent its supervisor
    // actions reach the engine as (the engine records who acted).
    if (*role != Role::kAdmin && entry.contains("agent_id")) {
      auto agent = string_field(entry, "agent_id", at + ".agent_id");
      if (!agent) return std::move(agent).error();
      if (agent_exists && !agent_exists(*agent)) {
        return make_error(Errc::kNotFound,
                          fmt::format("{}.agent_id: no agent {} in the center", at, *agent));
      }
      if (*role == Role::kSupervisor && agent_is_supervisor && !agent_is_supervisor(*agent)) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}.agent_id: agent {} is not a supervisor", at, *agent));
      }
      who.agent_id = std::move(*agent);
    } else if (entry.contains("agent_id")) {
      return make_error(Errc::kInvalidArgument,
                        at + ".agent_id: only an agent or a supervisor token names an agent");
    }
    if (!table.principals_.emplace(std::move(*token), std::move(who)).second) {
      return make_error(Errc::kExists, at + ".token: the same token is listed twice");
    }
  }
  return table;
}

std::optional<Principal> AccessTable::authenticate(std::string_view authorization) const {
  // RFC 6750: the scheme is case-insensitive, one space, then the token.
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) {
      return std::nullopt;
    }
  }
  auto found = principals_.find(std::string(authorization.substr(kScheme.size())));
  if (found == principals_.end()) return std::nullopt;
  return found->second;
}

bool may_set_agent_state(const Principal& who, std::string_view agent_id) noexcept {
  return who.role != Role::kAgent || who.agent_id == agent_id;
}

bool sees_everything(const Principal& who) noexcept { return who.role != Role::kAgent; }

}  // namespace hotline::ops
