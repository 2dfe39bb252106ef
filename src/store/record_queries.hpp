// Query semantics for backends that filter records themselves (memory, a
// host's key-value store), so that they answer exactly as SQLite does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hotline/store/storage.hpp"
#include "store/query_cursor.hpp"
#include "store/search/ranking.hpp"

namespace hotline::store {

bool is_open(TicketStatus s);

// A ticket belongs in the query's result (the cursor already decoded).
bool matches(const TicketQuery& q, const std::optional<Cursor>& after, const Ticket& t);
// Orders the matching rows as the query asks, keeps one page, sets the cursor.
TicketPage page_of(std::vector<Ticket> rows, const TicketQuery& q);
// Not resolved or closed, with a first-response or resolution due time
// before `before`.
bool is_due_before(const Ticket& t, TimeMs before);

bool matches(const FollowUpQuery& q, const FollowUp& f);
void order_and_cut(std::vector<FollowUp>& rows, int limit);  // by due time
bool matches(const AuditQuery& q, const AuditRecord& r);

// A ticket as the SQLite index holds it: subject, description, and its
// notes' bodies joined by line breaks (oldest first).
Result<search::IndexedRecord> indexed_ticket(const Ticket& t, const std::string& notes);
// A customer as the SQLite name index holds it: the name and its pinyin.
Result<search::IndexedRecord> indexed_customer(const Customer& c);
// Live customers (neither merged away nor erased) are the ones search finds.
bool is_searchable(const Customer& c);

}  // namespace hotline::store
