// Carries out the IVR's create_ticket commands against a store of the
// engine's own instead of asking the host (the runtime's thread-pool
// writer); the result comes back as a host_result event. It also keeps in
// that store what the engine reports for it: a post-call survey's score on
// the call's tickets, and each supervisor's action in the audit log.
#pragma once

#include "hotline/engine/command.hpp"
#include "hotline/engine/notification.hpp"

namespace hotline::runtime {

class TicketWriter {
 public:
  virtual ~TicketWriter() = default;
  virtual void write_ticket(const engine::Command& create_ticket) = 0;
  // A survey or supervision notification (others are not handed on); a
  // writer that keeps none ignores it.
  virtual void keep(const engine::Notification& /*survey_or_supervision*/) {}
};

}  // namespace hotline::runtime
