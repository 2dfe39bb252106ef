// Whether a call resolved its customer's issue, and at the first contact
// (docs/metrics.md, "CSAT and first-contact resolution"), judged from the
// tickets in the engine's store when the call's wrap-up ends.
#pragma once

#include <string_view>

#include "hotline/store/ticket_service.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

struct ResolutionVerdict {
  // The call has at least one ticket: it raised an issue to judge.
  bool raised_issue = false;
  // The call has tickets (their contact is the call) and every one is
  // resolved or closed.
  bool resolved = false;
  // Resolved, none of them was ever reopened, and their customer raised no
  // other ticket of the same category within `window_ms` before or after.
  bool first_contact = false;
};

// Reads the tickets of `call_id` and, for each one with a customer, that
// customer's tickets near it. Runs where the store may be used (the
// runtime's worker).
Result<ResolutionVerdict> judge_resolution(store::TicketService& tickets,
                                           std::string_view call_id, DurationMs window_ms);

}  // namespace hotline::runtime
