// The simulated agents' live call control: reading each queue's model from
// the scenario, and planning one conversation's holds, consultation and
// transfer on the agenda (docs/simulator.md, "Call control").
#pragma once

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator.hpp"

namespace hotline::sim {

// Reads `$.simulation.call_control`: {"<queue id>": {"hold": {...},
// "consult": {...}, "transfer": {...}}}. Every queue named, and every
// transfer's target, must be a queue of `engine_config`.
Result<std::vector<CallControlModel>> call_control_from_json(const nlohmann::json& j,
                                                             const nlohmann::json& engine_config);

// What the agent does during one conversation, at offsets from the bridge.
struct CallControlStep {
  enum Kind : std::uint8_t { kHold, kResume, kConsult, kConsultCancel, kTransfer };
  DurationMs at = 0;
  Kind kind = kHold;
};

struct ConversationPlan {
  std::vector<CallControlStep> steps;  // in time order
  DurationMs end = 0;       // when the agent hangs up (or transfers): talk plus holds
  bool transfers = false;   // the last step sends the caller on instead of hanging up
};

// The plan for a conversation of `talk` ms: holds and the consultation are
// placed at uniform times within the talk and add their length to it; a
// transfer at a uniform time ends the conversation there.
ConversationPlan plan_conversation(const CallControlModel& model, DurationMs talk,
                                   std::mt19937_64& rng);

}  // namespace hotline::sim
