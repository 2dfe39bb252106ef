// What the host's switch does for the engine: one function per telephony
// command and per host request. Each returns whether the host carried the
// command out; the driver takes the safe path for one it could not
// (safe_path.hpp). The C ABI wraps the host's hl_telephony vtable in this
// interface; the simulator and C++ hosts implement it directly.
#pragma once

#include "hotline/engine/command.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

class Telephony {
 public:
  virtual ~Telephony() = default;

  // Whether this host carries out commands of `kind` at all. Those it does
  // not wait in the driver's queue for the host to poll.
  virtual bool supports(engine::Command::Kind kind) const = 0;

  // For a call leg.
  virtual Status answer(const engine::Command& c) = 0;
  virtual Status play(const engine::Command& c) = 0;
  virtual Status stop_playback(const engine::Command& c) = 0;
  virtual Status collect_digits(const engine::Command& c) = 0;
  virtual Status record(const engine::Command& c) = 0;
  virtual Status transfer(const engine::Command& c) = 0;
  virtual Status hangup(const engine::Command& c) = 0;
  // For an agent's device.
  virtual Status ring_agent(const engine::Command& c) = 0;
  virtual Status stop_ringing(const engine::Command& c) = 0;
  virtual Status bridge(const engine::Command& c) = 0;
  // The host's own functions; results come back as host_result events.
  virtual Status lookup(const engine::Command& c) = 0;
  virtual Status create_ticket(const engine::Command& c) = 0;
  virtual Status register_callback(const engine::Command& c) = 0;
  // Live call control (docs/call-control.md).
  virtual Status hold(const engine::Command& c) = 0;
  virtual Status resume(const engine::Command& c) = 0;
  virtual Status dial(const engine::Command& c) = 0;
  virtual Status hangup_leg(const engine::Command& c) = 0;
  virtual Status mix(const engine::Command& c) = 0;
  virtual Status record_control(const engine::Command& c) = 0;
};

// Calls the function of `telephony` that carries out `c`.
Status carry_out(Telephony& telephony, const engine::Command& c);

}  // namespace hotline::runtime
