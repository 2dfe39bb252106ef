#include "store/record_queries.hpp"

#include <algorithm>

#include "store/search_words.hpp"
#include "store/try.hpp"

namespace hotline::store {

bool is_open(TicketStatus s) {
  return s == TicketStatus::kNew || s == TicketStatus::kOpen || s == TicketStatus::kPending;
}

bool matches(const TicketQuery& q, const std::optional<Cursor>& after, const Ticket& t) {
  const bool by_due = q.order == TicketQuery::Order::kResolutionDue;
  if (q.status && t.status != *q.status) return false;
  if (q.assignee && t.assignee != *q.assignee) return false;
  if (q.group && t.group != *q.group) return false;
  if (q.customer && t.customer != *q.customer) return false;
  if (q.contact_id && t.contact_id != *q.contact_id) return false;
  if (q.open_only && !is_open(t.status)) return false;
  if ((q.due_before || by_due) && t.resolution_due == kNoTime) return false;
  if (q.due_before && t.resolution_due >= *q.due_before) return false;
  if (after) {
    if (by_due ? std::pair(t.resolution_due, t.id) <= std::pair(after->key, after->id)
               : t.id >= after->id) {
      return false;
    }
  }
  return true;
}

TicketPage page_of(std::vector<Ticket> rows, const TicketQuery& q) {
  const bool by_due = q.order == TicketQuery::Order::kResolutionDue;
  std::sort(rows.begin(), rows.end(), [&](const Ticket& a, const Ticket& b) {
    return by_due ? std::pair(a.resolution_due, a.id) < std::pair(b.resolution_due, b.id)
                  : a.id > b.id;
  });
  TicketPage page;
  const auto limit = static_cast<std::size_t>(std::max(q.limit, 1));
  if (rows.size() > limit) {
    rows.resize(limit);
    const Ticket& last = rows.back();
    page.next_cursor = encode_cursor(by_due ? last.resolution_due : last.id, last.id);
  }
  page.tickets = std::move(rows);
  return page;
}

bool is_due_before(const Ticket& t, TimeMs before) {
  if (!is_open(t.status)) return false;
  const bool first_response = t.first_response_at == kNoTime &&
                              t.first_response_due != kNoTime && t.first_response_due < before;
  const bool resolution = t.resolution_due != kNoTime && t.resolution_due < before;
  return first_response || resolution;
}

bool matches(const FollowUpQuery& q, const FollowUp& f) {
  if (q.ticket && f.ticket != *q.ticket) return false;
  if (q.status && f.status != *q.status) return false;
  if (q.assignee && f.assignee != *q.assignee) return false;
  if (q.due_before && f.due_at >= *q.due_before) return false;
  return true;
}

void order_and_cut(std::vector<FollowUp>& rows, int limit) {
  std::sort(rows.begin(), rows.end(), [](const FollowUp& a, const FollowUp& b) {
    return std::pair(a.due_at, a.id) < std::pair(b.due_at, b.id);
  });
  if (rows.size() > static_cast<std::size_t>(std::max(limit, 0))) {
    rows.resize(static_cast<std::size_t>(std::max(limit, 0)));
  }
}

bool matches(const AuditQuery& q, const AuditRecord& r) {
  if (q.entity && r.entity != *q.entity) return false;
  if (q.entity_id && r.entity_id != *q.entity_id) return false;
  if (q.actor && r.actor != *q.actor) return false;
  return true;
}

bool redacts_text(const TicketChange& c) noexcept {
  return c.field == "subject" || c.field == "description" ||
         (c.field == "follow_up" && c.old_value == "scheduled");
}

Result<search::IndexedRecord> indexed_ticket(const Ticket& t, const std::string& notes) {
  search::IndexedRecord r;
  r.id = t.id;
  r.updated_at = t.updated_at;
  for (const std::string* column : {&t.subject, &t.description, &notes}) {
    auto words = search_words(*column);
    if (!words) return std::move(words).error();
    r.columns.push_back(std::move(*words));
  }
  return r;
}

Result<search::IndexedRecord> indexed_customer(const Customer& c) {
  search::IndexedRecord r;
  r.id = c.id;
  r.updated_at = c.updated_at;
  auto words = name_search_words(c.name);
  if (!words) return std::move(words).error();
  r.columns.push_back(std::move(*words));
  return r;
}

bool is_searchable(const Customer& c) { return c.merged_into == 0 && !c.erased; }

Result<std::optional<Customer>> CustomerStore::first_by_phone(std::string_view e164) {
  HL_STORE_TRY(ids, find_by_phone(e164));
  if (ids.empty()) return std::optional<Customer>();
  HL_STORE_TRY(c, get(ids.front()));
  return std::optional<Customer>(std::move(c));
}

}  // namespace hotline::store
