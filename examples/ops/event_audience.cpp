#include "event_audience.hpp"

namespace hotline::ops {

using engine::Notification;

void EventAudience::observe(const Notification& n) {
  if (!n.call_id.empty() && !n.agent_id.empty()) agents_of_call_[n.call_id].insert(n.agent_id);
}

bool EventAudience::visible_to(const Principal& who, const Notification& n) const {
  if (sees_everything(who)) return true;
  if (!n.agent_id.empty() && n.agent_id == who.agent_id) return true;
  if (n.call_id.empty()) return false;
  auto agents = agents_of_call_.find(n.call_id);
  return agents != agents_of_call_.end() && agents->second.count(who.agent_id) > 0;
}

void EventAudience::settle(const Notification& n) {
  if (n.kind == Notification::Kind::kCallEnded) agents_of_call_.erase(n.call_id);
}

}  // namespace hotline::ops
