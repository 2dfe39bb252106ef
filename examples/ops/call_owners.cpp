#include "call_owners.hpp"

namespace hotline::ops {

using engine::Notification;
using OutputKind = routing::Output::Kind;

void CallOwners::observe(const Notification& n) {
  if (n.call_id.empty()) return;
  const bool accepted = n.kind == Notification::Kind::kRouting &&
                        n.routing == OutputKind::kOfferAccepted;
  const bool conversation = n.kind == Notification::Kind::kConversation && n.text != "ended";
  if ((accepted || conversation) && !n.agent_id.empty()) {
    owners_[n.call_id] = n.agent_id;
    return;
  }
  // A take-over hands the call to the supervisor from the request on (the
  // engine completes it when their leg answers), and no conversation
  // notification names them while the call stays connected.
  if (n.kind == Notification::Kind::kSupervision && n.text == "take_over" && !n.actor.empty()) {
    owners_[n.call_id] = n.actor;
    taken_over_.insert(n.call_id);
    return;
  }
  // A supervisor who took a call over has no wrap-up in the router: the
  // call is over for them when its conversation ends.
  if (n.kind == Notification::Kind::kConversation && n.text == "ended" &&
      taken_over_.erase(n.call_id) > 0) {
    owners_.erase(n.call_id);
    return;
  }
  // The owner's after-call work is over: nothing is left to act on.
  if (n.kind == Notification::Kind::kRouting && n.routing == OutputKind::kWrapUpEnded) {
    auto found = owners_.find(n.call_id);
    if (found != owners_.end() && found->second == n.agent_id) owners_.erase(found);
  }
}

std::optional<std::string> CallOwners::owner(std::string_view call_id) const {
  auto found = owners_.find(std::string(call_id));
  if (found == owners_.end()) return std::nullopt;
  return found->second;
}

}  // namespace hotline::ops
