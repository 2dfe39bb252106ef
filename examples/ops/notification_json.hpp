// An engine notification as the JSON object the event stream sends: the
// same shape the C ABI's listeners receive (docs/events.md).
#pragma once

#include <nlohmann/json.hpp>

#include "hotline/engine/notification.hpp"

namespace hotline::ops {

nlohmann::json notification_json(const engine::Notification& n);

}  // namespace hotline::ops
