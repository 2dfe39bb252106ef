// Agent presence: logging in and out, ready and not ready, and the state
// supervisors see, derived from presence and the contacts the agent holds.
#include <algorithm>
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

void Router::Impl::refresh_state(AgentIndex ai, TimeMs now) {
  AgentRecord& a = agents[ai];
  AgentState s = a.presence;
  if (a.presence != AgentState::kLoggedOut) {
    if (a.connected_now > 0) {
      s = AgentState::kBusy;
    } else if (a.offered_now > 0) {
      s = AgentState::kReserved;
    } else if (a.wrapping_now > 0) {
      s = AgentState::kWrapUp;
    }
  }
  if (s == a.state) return;
  Output o{Output::Kind::kAgentStateChanged};
  o.from = a.state;
  o.to = s;
  o.time = now;
  o.agent = ai;
  emit(o);
  a.state = s;
  a.state_since = now;
}

Status Router::login(std::string_view agent_id, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence != AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is already logged in", agent_id));
  }
  s.with_staffing(*ai, [&] { a.presence = AgentState::kAvailable; });
  a.idle_since.fill(now);
  a.consecutive_no_answer = 0;
  s.refresh_state(*ai, now);
  s.route_agent(*ai, now);
  s.index_agent(*ai);  // after: see set_available
  return {};
}

Status Router::logout(std::string_view agent_id, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence == AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is not logged in", agent_id));
  }
  if (a.offered_now + a.connected_now + a.wrapping_now > 0) {
    return illegal(fmt::format("agent '{}' is handling contacts ({})", agent_id,
                               agent_state_name(a.state)));
  }
  s.unindex_agent(*ai);
  s.with_staffing(*ai, [&] { a.presence = AgentState::kLoggedOut; });
  if (a.rest) a.rest->not_ready_reason.clear();
  s.refresh_state(*ai, now);
  return {};
}

Status Router::set_not_ready(std::string_view agent_id, std::string_view reason, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence == AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is logged out", agent_id));
  }
  const bool changed = a.presence != AgentState::kNotReady;
  s.unindex_agent(*ai);
  s.with_staffing(*ai, [&] { a.presence = AgentState::kNotReady; });
  s.rest_of(a).not_ready_reason = std::string(reason);
  if (changed || a.state == AgentState::kNotReady) {
    // A new reason is a new not-ready period for reporting.
    if (!changed) {
      Output o{Output::Kind::kAgentStateChanged};
      o.from = o.to = AgentState::kNotReady;
      o.time = now;
      o.agent = *ai;
      s.emit(o);
      a.state_since = now;
    }
  }
  s.refresh_state(*ai, now);
  return {};
}

Status Router::set_available(std::string_view agent_id, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence != AgentState::kNotReady) {
    return illegal(fmt::format("agent '{}' is {}, not not_ready", agent_id,
                               agent_state_name(a.presence)));
  }
  s.with_staffing(*ai, [&] { a.presence = AgentState::kAvailable; });
  if (a.rest) a.rest->not_ready_reason.clear();
  a.consecutive_no_answer = 0;
  // Time on a break is not idle time: the idle clock starts now.
  for (int ch = 0; ch < kChannelCount; ++ch) {
    if (a.active[ch] == 0) a.idle_since[ch] = now;
  }
  s.refresh_state(*ai, now);
  // Waiting contacts first: an agent who takes one at once is then indexed
  // only where it is still free, rather than in every queue and found stale
  // there afterwards. Nothing reads the free sets before, except ring all,
  // which indexes the agent first (route_agent).
  s.route_agent(*ai, now);
  s.index_agent(*ai);
  return {};
}

}  // namespace hotline::routing
