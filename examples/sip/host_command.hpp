// What the engine thread asks the SIP thread to do: one telephony command,
// copied out of the vtable's arguments so nothing the engine owns crosses
// threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hotline::sip {

struct HostCommand {
  enum class Kind {
    answer,
    play,
    stop_playback,
    collect_digits,
    record,
    transfer,
    hangup,
    ring_agent,
    stop_ringing,
    bridge,
    create_ticket,  // an IVR ticket (voicemail): written to the store on the SIP thread
    agent_not_ready,  // not a command: the engine reports agent_id not ready (and idle)
    // Live call control (docs/call-control.md).
    hold,            // prompts_json looped to the caller, who leaves the conversation
    resume,          // the caller back in, as the last mix (or the bridge) says
    dial,            // leg: ring agent_id's phone, or call target
    hangup_leg,      // leg
    mix,             // mix_json
    record_control,  // action: start, stop, pause or resume
    engine_refused,  // not a command: an event the engine refused on its loop (status, reason, refused)
    transferred,     // not a command: agent_id sent the call on to target (an agent or queue)
    conversation,    // not a command: the call's conversation entered the state in target
  };
  Kind kind = Kind::answer;
  std::string call_id;
  std::string agent_id;
  std::string queue_id;   // ring_agent: the queue that offers the call
  std::string prompts_json;
  std::string target;     // transfer
  std::uint64_t reservation = 0;
  std::uint64_t request_id = 0;  // create_ticket: answered with host_result; play: echoed
  std::string args_json;         // create_ticket: the ticket's fields
  bool loop = false;
  bool barge_in = false;
  std::int64_t max_ms = 0;
  char finish_key = 0;
  std::vector<std::string> ivr_path;  // ring_agent: the nodes the caller went through
  std::string leg;       // dial, hangup_leg
  std::string mix_json;  // mix
  std::string action;    // record_control
  int status = 0;        // engine_refused: the hl_status
  std::string reason;    // engine_refused: the engine's message
  std::string refused;   // engine_refused: the kind of event refused ("blind_transfer", ...)
};

}  // namespace hotline::sip
