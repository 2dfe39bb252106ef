#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/routing/types.hpp"
#include "hotline/util/time.hpp"

namespace hotline::routing {

// The contact attribute naming the agent who served the customer last (the
// 360° view's last_agent); queues with last-agent routing prefer that agent.
inline constexpr std::string_view kLastAgentAttribute = "customer.last_agent";

// What the host (or the IVR) knows of a contact when it asks for an agent.
struct ContactSpec {
  std::string external_id;  // the host's call or session id
  std::string queue_id;
  Channel channel = Channel::kVoice;
  int priority = 0;        // higher is served first
  std::string caller;      // caller number, for resuming an abandoned place
  expr::Attributes attributes;  // contact.* in expressions (language, tier, ...)
  std::vector<std::pair<std::string, int>> skills;  // skill → least level
  std::string preferred_agent;    // tried alone first
  DurationMs preferred_wait_ms = 0;  // then the contact falls back to the queue
  bool is_callback = false;       // a callback request keeping the caller's place
  TimeMs original_enqueue = kNever;  // keep an earlier place (callbacks, transfers)
};

}  // namespace hotline::routing
