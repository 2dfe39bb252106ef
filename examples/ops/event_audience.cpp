#include "event_audience.hpp"

#include <utility>

namespace hotline::ops {

using engine::Notification;

namespace {

// A supervision action an agent may learn of: one they notice anyway (a barge
// is heard, a take-over takes their call), or one forced on them (released,
// not ready, logged out) that they alone are told about.
bool told_to_agent(const Principal& who, const Notification& n) {
  if (n.text == "barge" || n.text == "take_over") return true;
  const bool forced = n.text == "force_release" || n.text == "force_not_ready" ||
                      n.text == "force_logout";
  return forced && n.agent_id == who.agent_id;
}

}  // namespace

EventAudience::EventAudience(IsSupervisor is_supervisor)
    : is_supervisor_(std::move(is_supervisor)) {}

void EventAudience::observe(const Notification& n) {
  if (!n.call_id.empty() && !n.agent_id.empty()) agents_of_call_[n.call_id].insert(n.agent_id);
}

bool EventAudience::hidden_from_agent(const Principal& who, const Notification& n) const {
  switch (n.kind) {
    case Notification::Kind::kSupervision:
      return !told_to_agent(who, n);
    case Notification::Kind::kLeg:
      // Whose leg it is: `actor` (a supervisor who called in from a number has
      // a leg named by that number), else the leg's name (docs/call-control.md, "Legs").
      {
        const std::string& on_leg = n.actor.empty() ? n.text : n.actor;
        return on_leg != who.agent_id && is_supervisor_ && is_supervisor_(on_leg);
      }
    default:
      return false;
  }
}

bool EventAudience::visible_to(const Principal& who, const Notification& n) const {
  if (sees_everything(who)) return true;
  if (hidden_from_agent(who, n)) return false;
  if (!n.agent_id.empty() && n.agent_id == who.agent_id) return true;
  if (n.call_id.empty()) return false;
  auto agents = agents_of_call_.find(n.call_id);
  return agents != agents_of_call_.end() && agents->second.count(who.agent_id) > 0;
}

void EventAudience::settle(const Notification& n) {
  if (n.kind == Notification::Kind::kCallEnded) agents_of_call_.erase(n.call_id);
}

}  // namespace hotline::ops
