// Which notifications an event-stream subscriber may see. Supervisors and
// admins see all; an agent sees the notifications about themself and every
// notification of a call they are on (some, such as a leg joining or the
// call ending, name the call but no agent). The audience learns who is on
// which call from the notifications that name both.
//
// Silent supervision stays silent: an agent is not told that a supervisor
// monitors or whispers on their call, nor that a supervisor's leg joined
// or left it. They do learn of a barge or a take-over (they hear the first
// and lose the call in the second) and of what was forced on them.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "access_table.hpp"
#include "hotline/engine/notification.hpp"

namespace hotline::ops {

class EventAudience {
 public:
  // Whether `agent_id` is a supervisor of the center (legs are named by agent id).
  using IsSupervisor = std::function<bool(std::string_view agent_id)>;
  explicit EventAudience(IsSupervisor is_supervisor);

  // Called with every notification, in order, before visible_to.
  void observe(const engine::Notification& n);
  bool visible_to(const Principal& who, const engine::Notification& n) const;
  // After the notification went out: forgets calls that ended.
  void settle(const engine::Notification& n);

  std::size_t calls_followed() const noexcept { return agents_of_call_.size(); }

 private:
  // What an agent may never see of their own calls, whoever it names.
  bool hidden_from_agent(const Principal& who, const engine::Notification& n) const;

  IsSupervisor is_supervisor_;
  std::unordered_map<std::string, std::unordered_set<std::string>> agents_of_call_;
};

}  // namespace hotline::ops
