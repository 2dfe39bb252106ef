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
