#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hotline/expr/expression.hpp"
#include "hotline/ivr/prompt.hpp"
#include "hotline/routing/types.hpp"
#include "hotline/util/time.hpp"

namespace hotline::routing {

// One ring of a queue's bullseye. A contact starts in ring 0 and widens to
// the next ring when it has waited `timeout_ms` in this one; a contact in ring
// k may be offered to any agent who qualifies for ring 0..k.
struct Ring {
  // Over agent.* and contact.* keys; the empty expression admits every member.
  expr::Expression target;
  // The least level the agent needs in each skill the queue and the contact
  // ask for (1 means "has the skill").
  int min_level = 1;
  // How long a contact stays in this ring; kNever for the last ring.
  DurationMs timeout_ms = kNever;
};

struct QueueMember {
  std::string agent_id;
  int position = 0;  // order for linear and round robin (lower first)
  int weight = 1;    // for weighted random
};

// A duration the router fills in from its options when the queue is added.
inline constexpr DurationMs kRouterDefault = -1;

// Which of a queue's calls are recorded (docs/call-control.md): every call
// from the bridge on, none, or those an agent starts.
enum class RecordingPolicy : std::uint8_t { kNone, kAll, kOnDemand };

struct QueueConfig {
  std::string id;
  std::string name;
  int priority = 0;  // higher is served first by agents in several queues
  Channel channel = Channel::kVoice;
  Strategy strategy = Strategy::kLongestIdle;
  std::vector<Ring> rings;  // empty means one ring that admits every member
  std::vector<std::pair<std::string, int>> skills;  // skills every contact here needs
  std::vector<QueueMember> members;
  int max_length = 0;               // 0: unlimited; beyond it a contact is refused
  DurationMs max_wait_ms = kNever;  // then an overflow notification
  DurationMs wrap_up_ms = 0;
  DurationMs offer_timeout_ms = 15000;
  int max_no_answer = 3;  // consecutive; then the agent is set not ready (0: never)
  // Answered within this counts toward the service level; kRouterDefault
  // takes RouterOptions::default_service_level_ms.
  DurationMs service_level_ms = kRouterDefault;
  // A caller who abandoned and calls back within this window resumes their place.
  DurationMs resume_window_ms = 0;
  // Last-agent routing: a contact whose customer data names the agent who
  // served them last (the contact attribute customer.last_agent) waits this
  // long for that agent alone before the rings begin. 0: off.
  DurationMs last_agent_wait_ms = 0;
  // Live call control. What a held caller hears (empty: the host's own music).
  std::vector<ivr::Prompt> music_on_hold;
  RecordingPolicy recording = RecordingPolicy::kNone;
  // Played to the caller after the agent answers, before the bridge; a text
  // prompt may say ${agent.number}.
  std::vector<ivr::Prompt> announce_agent;
  // The IVR flow the caller is sent to when the agent hangs up (a post-call
  // survey); empty: the call ends, or its own flow goes on.
  std::string survey_flow;
};

}  // namespace hotline::routing
