// Query semantics for backends that filter records themselves (memory, a
// host's key-value store), so that they answer exactly as SQLite does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hotline/store/storage.hpp"
#include "store/query_cursor.hpp"

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

// Every word of the query (search_words) is a word of the text.
Result<bool> has_all_words(const std::vector<std::string>& words, const std::string& text);

}  // namespace hotline::store
