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
  };
  Kind kind = Kind::answer;
  std::string call_id;
  std::string agent_id;
  std::string queue_id;   // ring_agent: the queue that offers the call
  std::string prompts_json;
  std::string target;     // transfer
  std::uint64_t reservation = 0;
  std::uint64_t request_id = 0;  // create_ticket: answered with host_result
  std::string args_json;         // create_ticket: the ticket's fields
  bool loop = false;
  bool barge_in = false;
  std::int64_t max_ms = 0;
  char finish_key = 0;
  std::vector<std::string> ivr_path;  // ring_agent: the nodes the caller went through
};

}  // namespace hotline::sip
