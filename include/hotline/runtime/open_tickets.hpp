// The customer's open tickets on the screen pop: before a ring_agent command
// reaches the host, the tickets of the customer its pop names that are not
// resolved or closed join it as "open_tickets" (docs/call-control.md).
#pragma once

#include "hotline/engine/command.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

// At most this many, newest first: a phone's screen, not a ticket list.
inline constexpr int kScreenPopOpenTickets = 5;

// Adds "open_tickets": [{"id", "number", "subject", "status", "priority",
// "created_at"}, ...] to `ring`'s args_json when its customer has an id; a
// pop without a customer gets an empty list. One indexed read by customer id
// (tickets_by_customer). A store error leaves the command unchanged.
Status add_open_tickets(store::TicketStore& tickets, engine::Command& ring);

}  // namespace hotline::runtime
