// The screen pop: what an agent's phone is offered with (docs/call-control.md).
#pragma once

#include <string>
#include <string_view>

#include "hotline/engine/engine.hpp"
#include "hotline/ivr/session.hpp"

namespace hotline::engine {

// {"caller", "dialled", "queue_id", "customer": {...}, "ivr_path": [...],
//  "digits": {...}} as JSON text. `session` is null for a call without a flow.
std::string screen_pop_json(const CallInfo& info, const ivr::Session* session,
                            std::string_view queue_id);

}  // namespace hotline::engine
