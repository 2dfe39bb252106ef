// Carries out the IVR's create_ticket commands against a store of the
// engine's own instead of asking the host (the runtime's thread-pool
// writer); the result comes back as a host_result event. It also keeps in
// that store what the engine reports for it: a post-call survey's score on
// the call's tickets, and each supervisor's action in the audit log; and it
// judges from there whether a call whose wrap-up ended resolved its issue.
#pragma once

#include "hotline/engine/command.hpp"
#include "hotline/engine/notification.hpp"

namespace hotline::runtime {

class TicketWriter {
 public:
  virtual ~TicketWriter() = default;
  virtual void write_ticket(const engine::Command& create_ticket) = 0;
  // A survey, wrap-up code or supervision notification (others are not
  // handed on); a writer that keeps none ignores it.
  virtual void keep(const engine::Notification& /*survey_code_or_supervision*/) {}
  // The routing notification that a call's wrap-up ended (with its call and
  // queue): the call's tickets are read for first-contact resolution, and
  // the verdict goes back to the driver (Driver::count_issue_contact).
  virtual void judge_resolution(const engine::Notification& /*wrap_up_ended*/) {}
};

}  // namespace hotline::runtime
