// The screen pop on the event stream: when a call rings an agent, the
// subscribers who may see it get {"kind": "screen_pop", "call_id",
// "agent_id", "reservation", "time", "context": <the ring's screen pop>}
// (docs/call-control.md, "Screen pop"), the context masked for an agent's
// token as the customer routes mask it (masking.hpp).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "access_table.hpp"
#include "hotline/engine/command.hpp"

namespace hotline::ops {

// The message for `ring` (a ring_agent command) as `who` may see it, or
// nullopt when it is not theirs to see (another agent's ring) or not a ring.
std::optional<nlohmann::json> screen_pop_for(const Principal& who, const engine::Command& ring);

}  // namespace hotline::ops
