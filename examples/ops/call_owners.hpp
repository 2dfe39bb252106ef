// Who owns each live call, as the engine's notifications tell it: the agent
// an offer was accepted by, then the agent each conversation notification
// names (a transfer moves it), or the supervisor who takes it over, until
// the owner's wrap-up for the call ends (a supervisor's conversation). An agent's token acts only on the
// calls it owns (docs/ops-server.md, "Call actions").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "hotline/engine/notification.hpp"

namespace hotline::ops {

class CallOwners {
 public:
  void observe(const engine::Notification& n);
  // The owner of `call_id`, or nullopt for a call it has not seen answered.
  std::optional<std::string> owner(std::string_view call_id) const;
  std::size_t size() const noexcept { return owners_.size(); }

 private:
  std::unordered_map<std::string, std::string> owners_;
  std::unordered_set<std::string> taken_over_;
};

}  // namespace hotline::ops
