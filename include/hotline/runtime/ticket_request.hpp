// The ticket an IVR `create_ticket` request asks for, read from the request's
// arguments: the fields the flow rendered, the call it came from, and for a
// voicemail the recording, which the ticket's description names so whoever
// opens the ticket can find the message.
#pragma once

#include <nlohmann/json.hpp>

#include "hotline/store/ticket.hpp"

namespace hotline::runtime {

// Arguments that are not an object, or fields of the wrong type, are left at
// the ticket's defaults: the request comes from the engine's own flow.
store::NewTicket ticket_from_request(const nlohmann::json& args);

}  // namespace hotline::runtime
