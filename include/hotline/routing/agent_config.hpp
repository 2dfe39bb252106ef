#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/routing/types.hpp"

namespace hotline::routing {

// A supervisor is an agent who may also monitor, coach, barge into and take
// over others' calls, and force agents not ready or out.
enum class AgentRole : std::uint8_t { kAgent, kSupervisor };

struct AgentConfig {
  std::string id;
  std::string name;
  // Skill name → level (1 = basic; higher is better). Also visible to
  // expressions as agent.skills.<name>.
  std::vector<std::pair<std::string, int>> skills;
  // Free-form attributes for expressions (agent.languages, agent.site, ...).
  expr::Attributes attributes;
  // How many contacts of each channel the agent handles at once.
  std::array<int, kChannelCount> capacity{1, 0, 0, 0};
  // Queues the agent serves, in addition to the queues' own member lists.
  std::vector<std::string> queues;
  AgentRole role = AgentRole::kAgent;
  // The agent's number as callers are told it (the agent-number announcement).
  std::string number;

  int skill_level(std::string_view skill) const noexcept;
};

}  // namespace hotline::routing
