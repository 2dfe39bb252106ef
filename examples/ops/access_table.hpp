// Who may call the operations server: each bearer token of the server's
// configuration names a role (and, for an agent, the agent it acts as).
// Every route asks the table first; an unknown token is a 401, a known one
// without the right is a 403.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json_fwd.hpp>

#include "hotline/util/result.hpp"

namespace hotline::ops {

enum class Role { kAgent, kSupervisor, kAdmin };

std::string_view role_name(Role role) noexcept;

struct Principal {
  Role role = Role::kAgent;
  // The agent an agent token acts as; for a supervisor token, the supervisor
  // agent its supervisor actions reach the engine as (empty: none); empty
  // for an admin.
  std::string agent_id;
};

class AccessTable {
 public:
  // Tokens shorter than this are refused: a guessable token is no token.
  static constexpr std::size_t kMinTokenLength = 16;

  // [{"token": "...", "role": "agent"|"supervisor"|"admin", "agent_id": "..."}];
  // an agent token needs its agent_id, a supervisor's may name one, an
  // admin's takes none. Errors name the
  // JSON path under `path`. Duplicate tokens are refused, and, given
  // `agent_exists`, agent ids the center does not have; given
  // `agent_is_supervisor`, a supervisor token naming an agent who is not a
  // supervisor (its supervisor actions would reach the engine as that agent).
  using AgentExists = std::function<bool(std::string_view agent_id)>;
  using AgentIsSupervisor = std::function<bool(std::string_view agent_id)>;
  static Result<AccessTable> from_json(const nlohmann::json& tokens, std::string_view path,
                                       const AgentExists& agent_exists = {},
                                       const AgentIsSupervisor& agent_is_supervisor = {});

  // The principal of an `Authorization` header value ("Bearer <token>");
  // nullopt for a missing, malformed or unknown token.
  std::optional<Principal> authenticate(std::string_view authorization) const;

  std::size_t size() const noexcept { return principals_.size(); }

 private:
  std::unordered_map<std::string, Principal> principals_;
};

// May `who` change the state of agent `agent_id`? An agent only their own;
// a supervisor or an admin anyone's.
bool may_set_agent_state(const Principal& who, std::string_view agent_id) noexcept;
// May `who` read the whole center (every agent, every queue, all events)?
bool sees_everything(const Principal& who) noexcept;

}  // namespace hotline::ops
