#include "hotline/runtime/first_contact.hpp"

#include <string>
#include <vector>

namespace hotline::runtime {
namespace {

constexpr int kPage = 100;

bool is_resolved(store::TicketStatus s) {
  return s == store::TicketStatus::kResolved || s == store::TicketStatus::kClosed;
}

// Every ticket `query` finds, page after page.
Result<std::vector<store::Ticket>> all_tickets(store::TicketService& tickets,
                                               store::TicketQuery query) {
  std::vector<store::Ticket> out;
  query.limit = kPage;
  for (;;) {
    auto page = tickets.list(query);
    if (!page) return std::move(page).error();
    for (auto& t : page->tickets) out.push_back(std::move(t));
    if (page->next_cursor.empty()) return out;
    query.after = page->next_cursor;
  }
}

// True when `customer` raised a ticket of `category` from another contact
// within `window_ms` of `at`: the same issue came back, or had come before.
Result<bool> repeat_contact(store::TicketService& tickets, std::string_view call_id,
                            const store::Ticket& ticket, DurationMs window_ms) {
  store::TicketQuery query;
  query.customer = ticket.customer;
  query.limit = kPage;
  // Newest first: pages stop once they reach tickets older than the window.
  for (;;) {
    auto page = tickets.list(query);
    if (!page) return std::move(page).error();
    for (const store::Ticket& other : page->tickets) {
      if (other.created_at < ticket.created_at - window_ms) return false;
      if (other.contact_id == call_id || other.category != ticket.category) continue;
      if (other.created_at <= ticket.created_at + window_ms) return true;
    }
    if (page->next_cursor.empty()) return false;
    query.after = page->next_cursor;
  }
}

}  // namespace

Result<ResolutionVerdict> judge_resolution(store::TicketService& tickets,
                                           std::string_view call_id, DurationMs window_ms) {
  store::TicketQuery query;
  query.contact_id = std::string(call_id);
  auto of_call = all_tickets(tickets, query);
  if (!of_call) return std::move(of_call).error();
  ResolutionVerdict verdict;
  if (of_call->empty()) return verdict;
  verdict.raised_issue = true;
  for (const store::Ticket& t : *of_call) {
    if (!is_resolved(t.status)) return verdict;
  }
  verdict.resolved = true;
  for (const store::Ticket& t : *of_call) {
    if (t.reopen_count > 0) return verdict;
    if (t.customer == 0) continue;  // no customer: no earlier contact to find
    auto repeated = repeat_contact(tickets, call_id, t, window_ms);
    if (!repeated) return std::move(repeated).error();
    if (*repeated) return verdict;
  }
  verdict.first_contact = true;
  return verdict;
}

}  // namespace hotline::runtime
