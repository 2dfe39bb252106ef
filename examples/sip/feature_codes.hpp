// Feature codes. Supervision: a supervisor's phone dials a code and an
// agent id (by default *1<agent> to monitor, *2<agent> to whisper, *3<agent>
// to barge, *4<agent> to take the call over) and joins that agent's live
// call in that mode. In a call: an
// agent's phone presses a code as keys (RFC 4733 or SIP INFO) to merge a
// consultation into a conference (*5), drop a party (*6<leg>#), mute
// itself (*7, again to unmute), add a party to the call (*8<number>#),
// start or stop an on-demand recording (*9) and pause or resume the
// recording (*0); call_keys.hpp reads them.
#pragma once

#include <optional>
#include <string>

namespace hotline::sip {

struct FeatureCodes {
  std::string monitor = "*1";
  std::string whisper = "*2";
  std::string barge = "*3";
  std::string take_over = "*4";
  std::string conference = "*5";
  std::string drop = "*6";
  std::string mute = "*7";
  std::string add = "*8";
  std::string record = "*9";
  std::string pause = "*0";
};

struct SupervisionDial {
  std::string mode;   // "monitor", "whisper", "barge" or "take_over", as the engine names them
  std::string agent;  // the agent whose call is joined
};

// The mode and agent a dialled number asks for, or nothing when it starts
// with no code or names no agent. The longest matching code wins, so codes
// may share a beginning (*1 and *12).
std::optional<SupervisionDial> match_feature_code(const FeatureCodes& codes,
                                                  const std::string& dialled);

}  // namespace hotline::sip
