// Carries out the IVR's create_ticket commands against a store of the
// engine's own instead of asking the host (the runtime's thread-pool
// writer); the result comes back as a host_result event.
#pragma once

#include "hotline/engine/command.hpp"

namespace hotline::runtime {

class TicketWriter {
 public:
  virtual ~TicketWriter() = default;
  virtual void write_ticket(const engine::Command& create_ticket) = 0;
};

}  // namespace hotline::runtime
