// The one policy for a command the host could not carry out: what the
// engine is told instead, so that nothing waits for an answer that will
// never come.
//   ring_agent                       the agent rejected the offer (the
//                                    contact keeps its place)
//   lookup, create_ticket,
//   register_callback                a failed result (the flow takes its
//                                    error exit)
//   answer, play, collect_digits,
//   record, bridge, transfer         the call hung up: it can no longer be
//                                    played to
//   dial                             the leg ended (it never came)
//   hangup, stop_playback,
//   stop_ringing, hangup_leg, hold,
//   resume, mix, record_control      nothing: there is nothing safer to do
#pragma once

#include "hotline/engine/command.hpp"
#include "hotline/engine/engine.hpp"

namespace hotline::runtime {

// Tells `engine`, at `now`, what the failure of `failed` means. What the
// engine answers (an unknown reservation or call by now) changes nothing.
void take_safe_path(engine::Engine& engine, const engine::Command& failed, TimeMs now);

}  // namespace hotline::runtime
