#include "hotline/runtime/telephony.hpp"

namespace hotline::runtime {

Status carry_out(Telephony& t, const engine::Command& c) {
  using K = engine::Command::Kind;
  switch (c.kind) {
    case K::kAnswer: return t.answer(c);
    case K::kPlay: return t.play(c);
    case K::kStopPlayback: return t.stop_playback(c);
    case K::kCollectDigits: return t.collect_digits(c);
    case K::kRecord: return t.record(c);
    case K::kTransfer: return t.transfer(c);
    case K::kHangup: return t.hangup(c);
    case K::kRingAgent: return t.ring_agent(c);
    case K::kStopRinging: return t.stop_ringing(c);
    case K::kBridge: return t.bridge(c);
    case K::kLookup: return t.lookup(c);
    case K::kCreateTicket: return t.create_ticket(c);
    case K::kRegisterCallback: return t.register_callback(c);
    case K::kHold: return t.hold(c);
    case K::kResume: return t.resume(c);
    case K::kDial: return t.dial(c);
    case K::kHangupLeg: return t.hangup_leg(c);
    case K::kMix: return t.mix(c);
    case K::kRecordControl: return t.record_control(c);
  }
  return make_error(Errc::kInternal, "a command of an unknown kind");
}

}  // namespace hotline::runtime
