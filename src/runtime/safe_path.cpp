#include "hotline/runtime/safe_path.hpp"

#include <nlohmann/json.hpp>

namespace hotline::runtime {

void take_safe_path(engine::Engine& engine, const engine::Command& failed, TimeMs now) {
  using K = engine::Command::Kind;
  switch (failed.kind) {
    case K::kRingAgent: (void)engine.agent_rejected(failed.reservation, now); break;
    case K::kLookup:
    case K::kCreateTicket:
    case K::kRegisterCallback:
      (void)engine.host_result(failed.request_id, false,
                               nlohmann::json{{"error", "host request failed"}}, now);
      break;
    case K::kAnswer:
    case K::kPlay:
    case K::kCollectDigits:
    case K::kRecord:
    case K::kBridge:
    case K::kTransfer: (void)engine.call_hung_up(failed.call_id, now); break;
    // A leg that could not be dialled never came.
    case K::kDial: (void)engine.leg_ended(failed.call_id, failed.leg, now); break;
    case K::kHangup:
    case K::kStopPlayback:
    case K::kStopRinging:
    case K::kHangupLeg:
    case K::kHold:
    case K::kResume:
    case K::kMix:
    case K::kRecordControl: break;  // nothing safer to do
  }
}

}  // namespace hotline::runtime
