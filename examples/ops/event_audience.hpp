// Which notifications an event-stream subscriber may see. Supervisors and
// admins see all; an agent sees the notifications about themself and every
// notification of a call they are on (some, such as a leg joining or the
// call ending, name the call but no agent). The audience learns who is on
// which call from the notifications that name both.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "access_table.hpp"
#include "hotline/engine/notification.hpp"

namespace hotline::ops {

class EventAudience {
 public:
  // Called with every notification, in order, before visible_to.
  void observe(const engine::Notification& n);
  bool visible_to(const Principal& who, const engine::Notification& n) const;
  // After the notification went out: forgets calls that ended.
  void settle(const engine::Notification& n);

  std::size_t calls_followed() const noexcept { return agents_of_call_.size(); }

 private:
  std::unordered_map<std::string, std::unordered_set<std::string>> agents_of_call_;
};

}  // namespace hotline::ops
