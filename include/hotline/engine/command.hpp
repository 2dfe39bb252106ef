// What the engine asks of the world outside it. The host (through the C ABI's
// telephony and host vtables, the simulator, or a test) carries each command
// out and reports back with events (Engine::digit, Engine::prompt_done,
// Engine::host_result, Engine::agent_answered, ...).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotline/ivr/prompt.hpp"
#include "hotline/util/time.hpp"

namespace hotline::engine {

using Prompt = ivr::Prompt;  // an audio URI, or text for the host's speech synthesis

struct Command {
  enum class Kind : std::uint8_t {
    // Telephony, for a call leg.
    kAnswer,
    kPlay,          // prompts, barge_in; the host reports prompt_done when they end
    kStopPlayback,
    kCollectDigits,  // the host starts DTMF detection; digits come back as events
    kRecord,        // max_ms, finish_key; the host reports recording_done
    kTransfer,      // blind transfer to `target` (a number or URI)
    kHangup,
    // Telephony, for an agent's device.
    kRingAgent,     // offer `call_id` to `agent_id` under `reservation`
    kStopRinging,   // withdraw that offer
    kBridge,        // connect `call_id` to `agent_id`
    // The host's own functions and stores; results come back by request_id.
    kLookup,        // run `function` with `args_json`
    kCreateTicket,  // fields in `args_json`
    kRegisterCallback,  // number to call back in `target`, queue in `queue_id`
    // Live call control (docs/call-control.md). A conversation's parties are
    // legs: the caller's leg is named by `call_id`, an agent's by the agent
    // id, a leg the engine dials to a number by `<call_id>:<n>`.
    kHold,          // take the caller's media out of the conversation, play `prompts` looped
    kResume,        // put the caller back; the last `mix` says who hears whom
    kDial,          // add leg `leg`: ring agent `agent_id`'s phone, or call `target`;
                    // the host reports leg_answered or leg_ended
    kHangupLeg,     // drop leg `leg` from the call (the caller's leg is never named)
    kMix,           // `mix_json`: who hears whom among the call's legs (replaces the last)
    kRecordControl,  // `action`: start, stop, pause or resume the call's recording
  };

  Kind kind;
  TimeMs time = 0;
  std::string call_id;
  std::string agent_id;
  std::string queue_id;
  std::uint64_t reservation = 0;
  std::uint64_t request_id = 0;
  std::vector<Prompt> prompts;
  bool barge_in = false;
  bool loop = false;  // kPlay: repeat until stopped (music on hold)
  int min_digits = 0;
  int max_digits = 0;
  char terminator = 0;
  char finish_key = 0;
  DurationMs first_digit_timeout_ms = 0;
  DurationMs inter_digit_timeout_ms = 0;
  DurationMs max_ms = 0;
  std::string target;
  std::string function;
  std::string args_json;
  std::string leg;       // kDial, kHangupLeg
  std::string mix_json;  // kMix: {"legs": {"<leg>": ["<leg it hears>", ...], ...}}
  std::string action;    // kRecordControl
};

const char* command_kind_name(Command::Kind kind) noexcept;

}  // namespace hotline::engine
