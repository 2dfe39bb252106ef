// Who is asking. Every store operation names its actor: the role decides
// which fields they may read in clear or change, and the audit log records
// the actor's id.
#pragma once

#include <string>
#include <string_view>

namespace hotline::store {

enum class Role { kAgent, kSupervisor, kAdmin };

const char* role_name(Role role) noexcept;
bool parse_role(std::string_view name, Role& out) noexcept;

struct Actor {
  std::string id;  // an agent id, a user name, or "system"
  Role role = Role::kAgent;
};

inline Actor system_actor() { return Actor{"system", Role::kAdmin}; }

}  // namespace hotline::store
