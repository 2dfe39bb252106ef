// A call's conversation once it has reached an agent: its state, its legs
// besides the caller's, and who hears whom (docs/call-control.md). Plain
// data and the mix it implies; the Engine's call-control methods change it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/routing/types.hpp"
#include "hotline/util/time.hpp"

namespace hotline::engine {

enum class ConversationState : std::uint8_t { kConnected, kHeld, kConsulting, kConference };
const char* conversation_state_name(ConversationState state) noexcept;

// What a supervisor's leg does: hears the agent's side of the call
// (monitor), and is heard by the agent (whisper) or by everyone (barge).
enum class SuperviseMode : std::uint8_t { kMonitor, kWhisper, kBarge };
const char* supervise_mode_name(SuperviseMode mode) noexcept;

enum class RecordingState : std::uint8_t { kOff, kRecording, kPaused };

struct Leg {
  std::string name;      // agent id, or <call_id>:<n> for a number
  std::string agent_id;  // the agent or supervisor on it; empty for a number
  std::string target;    // the number dialled
  bool supervisor = false;
  SuperviseMode mode = SuperviseMode::kMonitor;
  bool answered = false;
  bool muted = false;
  bool take_over = false;  // a supervisor's take-over, done when the leg answers
  routing::ContactId contact = 0;  // a consulted agent's contact in the router
  // A queue consultation's offer ringing this agent; 0 once answered (or for
  // a leg the engine dialled by name).
  routing::ReservationId reservation = 0;
  bool from_queue = false;  // reached through a queue consultation
};

struct Conversation {
  ConversationState state = ConversationState::kConnected;
  TimeMs since = 0;      // when the state was entered
  std::string agent_id;  // the owner; empty once the caller went to a number
  // The owner's leg: the agent id, or the leg a supervisor who took the call
  // over called in on.
  std::string agent_leg;
  std::string queue_id;  // the queue that answered
  bool caller_muted = false;
  bool agent_muted = false;
  std::vector<Leg> legs;   // besides the caller's and the owner's, in joining order
  std::string consulted;   // the consulted party's leg while consulting
  // A consultation of a queue waiting for an agent: its contact in the
  // router (0: none), the queue, and the timer bounding the wait.
  routing::ContactId consult_contact = 0;
  std::string consult_queue;
  std::uint64_t consult_timer = 0;
  int next_number = 1;     // for <call_id>:<n>
  RecordingState recording = RecordingState::kOff;
  bool bridged = false;    // false while the agent-number announcement plays
  std::uint64_t announcement_play = 0;  // the announcement's play (request_id)
  bool mixed = false;      // a mix was sent: a resume needs a new one
  // The owner took the call over as a supervisor: the router's contact (the
  // agent's) is already complete.
  bool outside_router = false;

  Leg* leg(std::string_view name) noexcept;
  void drop_leg(std::string_view name);
  // Parties besides the caller and the owner that have answered.
  int answered_parties() const noexcept;
};

// {"legs": {"<leg>": ["<leg it hears>", ...], ...}}: every leg with media
// (the caller's, the owner's, answered legs), muted legs heard by nobody.
std::string mix_json(const Conversation& conversation, std::string_view caller_leg);

}  // namespace hotline::engine
