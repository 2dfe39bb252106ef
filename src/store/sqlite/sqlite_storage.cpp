// The SQLite backend: WAL, BEGIN IMMEDIATE for writes, prepared statements
// only, FTS5 for ticket text, schema migrations at open.
#include <sqlite3.h>

#include <fmt/format.h>

#include "database.hpp"
#include "hotline/store/storage.hpp"
#include "schema.hpp"
#include "fts_search.hpp"
#include "search_rank_function.hpp"
#include "search_tokenizer.hpp"
#include "sqlite_knowledge.hpp"
#include "store/search/ranking.hpp"
#include "store/query_cursor.hpp"
#include "store/search_words.hpp"
#include "store/try.hpp"

namespace hotline::store {
namespace {

using sqlite::Database;
using sqlite::ScopedReset;
using sqlite::Statement;

// A macro so that statements stay string literals, cached by address.
#define HL_TICKET_COLUMNS                                                                 \
  "id, number, subject, description, category, priority, channel, status, customer_id, " \
  "contact_id, assignee, grp, created_at, updated_at, first_response_due, "              \
  "first_response_at, resolution_due, resolved_at, closed_at, pending_since, paused_ms, " \
  "satisfaction, reopen_count, created_by"

Ticket read_ticket(const Statement& s) {
  Ticket t;
  t.id = s.int64(0);
  t.number = s.text(1);
  t.subject = s.text(2);
  t.description = s.text(3);
  t.category = s.text(4);
  t.priority = static_cast<TicketPriority>(s.int64(5));
  t.channel = static_cast<TicketChannel>(s.int64(6));
  t.status = static_cast<TicketStatus>(s.int64(7));
  t.customer = s.int64(8);
  t.contact_id = s.text(9);
  t.assignee = s.text(10);
  t.group = s.text(11);
  t.created_at = s.int64(12);
  t.updated_at = s.int64(13);
  t.first_response_due = s.int64(14);
  t.first_response_at = s.int64(15);
  t.resolution_due = s.int64(16);
  t.resolved_at = s.int64(17);
  t.closed_at = s.int64(18);
  t.pending_since = s.int64(19);
  t.paused_ms = s.int64(20);
  t.satisfaction = static_cast<int>(s.int64(21));
  t.reopen_count = static_cast<int>(s.int64(22));
  t.created_by = s.text(23);
  return t;
}

// Binds every column but id to ?1..?23; `t` outlives the statement's run.
void bind_ticket(Statement& s, const Ticket& t) {
  s.bind_static(1, t.number)
      .bind_static(2, t.subject)
      .bind_static(3, t.description)
      .bind_static(4, t.category)
      .bind(5, static_cast<int>(t.priority))
      .bind(6, static_cast<int>(t.channel))
      .bind(7, static_cast<int>(t.status))
      .bind(8, t.customer)
      .bind_static(9, t.contact_id)
      .bind_static(10, t.assignee)
      .bind_static(11, t.group)
      .bind(12, t.created_at)
      .bind(13, t.updated_at)
      .bind(14, t.first_response_due)
      .bind(15, t.first_response_at)
      .bind(16, t.resolution_due)
      .bind(17, t.resolved_at)
      .bind(18, t.closed_at)
      .bind(19, t.pending_since)
      .bind(20, t.paused_ms)
      .bind(21, t.satisfaction)
      .bind(22, t.reopen_count)
      .bind_static(23, t.created_by);
}

Error not_found(const char* what, std::int64_t id) {
  return make_error(Errc::kNotFound, fmt::format("no {} with id {}", what, id));
}

// Runs a statement that returns tickets.
Result<std::vector<Ticket>> collect_tickets(Statement* s) {
  ScopedReset reset(s);
  std::vector<Ticket> out;
  for (;;) {
    HL_STORE_TRY(row, s->step());
    if (!row) break;
    out.push_back(read_ticket(*s));
  }
  return out;
}

// Runs `work` with freed pages and deleted cells overwritten with zeros, so
// that replaced text does not linger in the file's free space, whatever the
// SQLite build's default: upstream's leaves free space as it is (so everyday
// updates do not pay for zeroing), Debian's zeroes it on every write. The
// default is left alone otherwise: on Debian's build, turning it off made
// no measurable difference to batched ticket creation.
template <typename Work>
Status zeroing_freed_space(Database& db, Work&& work) {
  std::int64_t before = 0;
  {
    HL_STORE_TRY(q, db.prepare("PRAGMA secure_delete"));
    ScopedReset reset(q);
    HL_STORE_TRY(row, q->step());
    if (row) before = q->int64(0);
  }
  HL_STORE_CHECK(db.exec("PRAGMA secure_delete = ON"));
  Status st = work();
  // The setting is the connection's own integer (0, 1 or 2), not input.
  Status restored = db.exec(fmt::format("PRAGMA secure_delete = {}", before).c_str());
  if (!st) return st;
  return restored;
}

class SqliteTickets final : public TicketStore {
 public:
  explicit SqliteTickets(Database& db) : db_(db) {}

  Result<std::int64_t> reserve_sequence(int year, int count) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO ticket_sequences(year, last) VALUES(?1, ?2) "
                  "ON CONFLICT(year) DO UPDATE SET last = last + ?2 RETURNING last"));
    ScopedReset reset(s);
    s->bind(1, year).bind(2, count);
    HL_STORE_TRY(row, s->step());
    if (!row) return db_.error("numbering a ticket");
    return s->int64(0) - count + 1;
  }

  Status insert(Ticket& t) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO tickets(number, subject, description, category, priority, "
                  "channel, status, customer_id, contact_id, assignee, grp, created_at, "
                  "updated_at, first_response_due, first_response_at, resolution_due, "
                  "resolved_at, closed_at, pending_since, paused_ms, satisfaction, "
                  "reopen_count, created_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                  "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"));
    bind_ticket(*s, t);
    HL_STORE_CHECK(s->run());
    t.id = db_.last_insert_rowid();
    pending_text_.push_back(PendingText{t.id, t.subject, t.description});
    // Outside a transaction there is no commit to wait for.
    return sqlite3_get_autocommit(db_.handle()) ? flush_text() : Status{};
  }

  // New tickets' text reaches the FTS5 index just before commit. FTS5 writes
  // its in-memory terms to disk at every statement savepoint, and the other
  // statements of a write open those; indexing the batch together at the end
  // keeps one flush per transaction instead of one per ticket.
  Status flush_text() {
    if (pending_text_.empty()) return {};
    HL_STORE_TRY(f, db_.prepare(
                  "INSERT INTO ticket_text(rowid, subject, description, notes) "
                  "VALUES(?1, ?2, ?3, '')"));
    for (const auto& p : pending_text_) {
      HL_STORE_CHECK(
          f->bind(1, p.id).bind_static(2, p.subject).bind_static(3, p.description).run());
    }
    pending_text_.clear();
    return {};
  }
  void drop_pending_text() noexcept { pending_text_.clear(); }

  // The index is contentless: the text lives in tickets and ticket_notes, and
  // FTS5 removes a row's terms only when handed the text it indexed. So a
  // change unindexes the current text first and indexes the new text after,
  // both read from the tables by the same expression.
#define HL_INDEXED_TEXT                                                         \
  " t.id, t.subject, t.description, coalesce((SELECT group_concat(body, char(10)) " \
  "FROM ticket_notes WHERE ticket_id = t.id), '') FROM tickets t "
  static constexpr const char* kUnindexTicket =
      "INSERT INTO ticket_text(ticket_text, rowid, subject, description, notes) "
      "SELECT 'delete'," HL_INDEXED_TEXT "WHERE t.id = ?1";
  static constexpr const char* kIndexTicket =
      "INSERT INTO ticket_text(rowid, subject, description, notes) "
      "SELECT" HL_INDEXED_TEXT "WHERE t.id = ?1";
  static constexpr const char* kUnindexCustomer =
      "INSERT INTO ticket_text(ticket_text, rowid, subject, description, notes) "
      "SELECT 'delete'," HL_INDEXED_TEXT "WHERE t.customer_id = ?1";
  static constexpr const char* kIndexCustomer =
      "INSERT INTO ticket_text(rowid, subject, description, notes) "
      "SELECT" HL_INDEXED_TEXT "WHERE t.customer_id = ?1";
#undef HL_INDEXED_TEXT

  Status index_text(const char* sql, std::int64_t key) {
    HL_STORE_TRY(s, db_.prepare(sql));
    return s->bind(1, key).run();
  }

  Status update(const Ticket& t) override {
    HL_STORE_CHECK(flush_text());
    HL_STORE_TRY(old, db_.prepare("SELECT subject, description FROM tickets WHERE id = ?1"));
    bool text_changed = false;
    {
      ScopedReset reset(old);
      old->bind(1, t.id);
      HL_STORE_TRY(row, old->step());
      if (!row) return not_found("ticket", t.id);
      text_changed = old->text(0) != t.subject || old->text(1) != t.description;
    }
    HL_STORE_TRY(s, db_.prepare(
                  "UPDATE tickets SET number = ?1, subject = ?2, description = ?3, "
                  "category = ?4, priority = ?5, channel = ?6, status = ?7, customer_id = ?8, "
                  "contact_id = ?9, assignee = ?10, grp = ?11, created_at = ?12, "
                  "updated_at = ?13, first_response_due = ?14, first_response_at = ?15, "
                  "resolution_due = ?16, resolved_at = ?17, closed_at = ?18, "
                  "pending_since = ?19, paused_ms = ?20, satisfaction = ?21, "
                  "reopen_count = ?22, created_by = ?23 WHERE id = ?24"));
    bind_ticket(*s, t);
    s->bind(24, t.id);
    // The full-text index is only touched when the text moved.
    if (text_changed) HL_STORE_CHECK(index_text(kUnindexTicket, t.id));
    HL_STORE_CHECK(s->run());
    if (text_changed) HL_STORE_CHECK(index_text(kIndexTicket, t.id));
    return {};
  }

  Result<Ticket> get(TicketId id) override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_TICKET_COLUMNS " FROM tickets WHERE id = ?1"));
    s->bind(1, id);
    HL_STORE_TRY(rows, collect_tickets(s));
    if (rows.empty()) return not_found("ticket", id);
    return std::move(rows.front());
  }

  Result<Ticket> get_by_number(std::string_view number) override {
    HL_STORE_TRY(s, db_.prepare("SELECT " HL_TICKET_COLUMNS " FROM tickets WHERE number = ?1"));
    s->bind(1, number);
    HL_STORE_TRY(rows, collect_tickets(s));
    if (rows.empty()) {
      return make_error(Errc::kNotFound, fmt::format("no ticket numbered '{}'", number));
    }
    return std::move(rows.front());
  }

  Result<TicketPage> list(const TicketQuery& q) override {
    const bool by_due = q.order == TicketQuery::Order::kResolutionDue;
    // The SQL is assembled from fixed fragments only; every value is bound,
    // each filter to its own parameter number.
    std::string sql = "SELECT " HL_TICKET_COLUMNS " FROM tickets WHERE 1";
    if (q.status) sql += " AND status = ?1";
    if (q.assignee) sql += " AND assignee = ?2";
    if (q.group) sql += " AND grp = ?3";
    if (q.customer) sql += " AND customer_id = ?4";
    if (q.contact_id) sql += " AND contact_id = ?9";
    if (q.open_only) sql += " AND status IN (0, 1, 2)";
    if (by_due || q.due_before) sql += " AND resolution_due >= 0";
    if (q.due_before) sql += " AND resolution_due < ?5";
    std::optional<Cursor> after;
    if (!q.after.empty()) {
      HL_STORE_TRY(c, decode_cursor(q.after));
      after = c;
      sql += by_due ? " AND (resolution_due, id) > (?6, ?7)" : " AND id < ?7";
    }
    sql += by_due ? " ORDER BY resolution_due, id" : " ORDER BY id DESC";
    sql += " LIMIT ?8";
    HL_STORE_TRY(s, db_.prepare(sql));
    if (q.status) s->bind(1, static_cast<int>(*q.status));
    if (q.assignee) s->bind(2, *q.assignee);
    if (q.group) s->bind(3, *q.group);
    if (q.customer) s->bind(4, *q.customer);
    if (q.contact_id) s->bind(9, *q.contact_id);
    if (q.due_before) s->bind(5, *q.due_before);
    if (after) s->bind(6, after->key).bind(7, after->id);
    const int limit = std::max(q.limit, 1);
    s->bind(8, limit + 1);  // one more tells whether another page follows
    HL_STORE_TRY(rows, collect_tickets(s));
    TicketPage page;
    if (static_cast<int>(rows.size()) > limit) {
      rows.resize(static_cast<std::size_t>(limit));
      const Ticket& last = rows.back();
      page.next_cursor = encode_cursor(by_due ? last.resolution_due : last.id, last.id);
    }
    page.tickets = std::move(rows);
    return page;
  }

  Result<std::vector<TicketId>> search(std::string_view text, int limit) override {
    HL_STORE_CHECK(flush_text());
    HL_STORE_TRY(phrases, search_query(text));
    std::vector<TicketId> out;
    if (phrases.empty() || limit <= 0) return out;
    // Ranked in C++ by the comparator the other backends use, so that equal
    // scores break the same way everywhere.
    HL_STORE_TRY(updated, db_.prepare("SELECT updated_at FROM tickets WHERE id = ?1"));
    HL_STORE_TRY(newest, db_.prepare("SELECT id, updated_at FROM tickets INDEXED BY "
                                     "tickets_by_update ORDER BY updated_at DESC, id DESC"));
    HL_STORE_TRY(hits, sqlite::ranked(db_, "ticket_text", phrases, limit,
                                      sqlite::RecencyReads{updated, newest}));
    return hits;
  }

  Result<std::vector<Ticket>> due_before(TimeMs before, int limit) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT " HL_TICKET_COLUMNS " FROM tickets WHERE id IN ("
                  "SELECT id FROM tickets WHERE first_response_at < 0 AND "
                  "first_response_due >= 0 AND first_response_due < ?1 "
                  "UNION SELECT id FROM tickets WHERE resolution_due >= 0 AND "
                  "resolution_due < ?1) AND status IN (0, 1, 2) ORDER BY id LIMIT ?2"));
    s->bind(1, before).bind(2, limit);
    return collect_tickets(s);
  }

  Status add_change(const TicketChange& c) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO ticket_changes(ticket_id, at, actor, field, old_value, "
                  "new_value) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
    return s->bind(1, c.ticket)
        .bind(2, c.at)
        .bind_static(3, c.actor)
        .bind_static(4, c.field)
        .bind_static(5, c.old_value)
        .bind_static(6, c.new_value)
        .run();
  }

  Result<std::vector<TicketChange>> changes(TicketId id) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT ticket_id, at, actor, field, old_value, new_value FROM "
                  "ticket_changes WHERE ticket_id = ?1 ORDER BY id"));
    ScopedReset reset(s);
    s->bind(1, id);
    std::vector<TicketChange> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(TicketChange{s->int64(0), s->int64(1), s->text(2), s->text(3), s->text(4),
                                 s->text(5)});
    }
    return out;
  }

  Status add_note(Note& n) override {
    HL_STORE_CHECK(flush_text());
    HL_STORE_CHECK(index_text(kUnindexTicket, n.ticket));
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO ticket_notes(ticket_id, at, author, internal, body) "
                  "VALUES(?1, ?2, ?3, ?4, ?5)"));
    HL_STORE_CHECK(s->bind(1, n.ticket)
                 .bind(2, n.at)
                 .bind(3, n.author)
                 .bind(4, n.internal ? 1 : 0)
                 .bind(5, n.body)
                 .run());
    n.id = db_.last_insert_rowid();
    return index_text(kIndexTicket, n.ticket);
  }

  Result<std::vector<Note>> notes(TicketId id) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT id, ticket_id, at, author, internal, body FROM ticket_notes "
                  "WHERE ticket_id = ?1 ORDER BY id"));
    ScopedReset reset(s);
    s->bind(1, id);
    std::vector<Note> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(
          Note{s->int64(0), s->int64(1), s->int64(2), s->text(3), s->int64(4) != 0, s->text(5)});
    }
    return out;
  }

  Status put_follow_up(FollowUp& f) override {
    const char* sql =
        f.id == 0 ? "INSERT INTO follow_ups(ticket_id, kind, due_at, assignee, status, outcome, "
                    "created_at, done_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                  : "UPDATE follow_ups SET ticket_id = ?1, kind = ?2, due_at = ?3, "
                    "assignee = ?4, status = ?5, outcome = ?6, created_at = ?7, done_at = ?8 "
                    "WHERE id = ?9";
    HL_STORE_TRY(s, db_.prepare(sql));
    s->bind(1, f.ticket)
        .bind(2, static_cast<int>(f.kind))
        .bind(3, f.due_at)
        .bind(4, f.assignee)
        .bind(5, static_cast<int>(f.status))
        .bind(6, f.outcome)
        .bind(7, f.created_at)
        .bind(8, f.done_at);
    if (f.id != 0) s->bind(9, f.id);
    HL_STORE_CHECK(s->run());
    if (f.id == 0) {
      f.id = db_.last_insert_rowid();
    } else if (db_.changes() == 0) {
      return not_found("follow-up", f.id);
    }
    return {};
  }

  Result<FollowUp> get_follow_up(FollowUpId id) override {
    FollowUpQuery q;
    HL_STORE_TRY(rows, select_follow_ups(q, id));
    if (rows.empty()) return not_found("follow-up", id);
    return std::move(rows.front());
  }

  Result<std::vector<FollowUp>> follow_ups(const FollowUpQuery& q) override {
    return select_follow_ups(q, 0);
  }

  Status move_customer(CustomerId from, CustomerId to) override {
    HL_STORE_TRY(s, db_.prepare("UPDATE tickets SET customer_id = ?2 WHERE customer_id = ?1"));
    return s->bind(1, from).bind(2, to).run();
  }

  Status redact_customer(CustomerId customer, std::string_view replacement) override {
    HL_STORE_CHECK(
        zeroing_freed_space([&] { return redact_customer_text(customer, replacement); }));
    purge_index_at_commit_ = true;
    // Outside a transaction there is no commit to wait for.
    return sqlite3_get_autocommit(db_.handle()) ? purge_redacted_index() : Status{};
  }

  // Before commit, after a redaction: a 'delete' only adds tombstones, and
  // the erased words stay in the older segments of ticket_text_data until
  // those are merged. 'optimize' merges every segment into one without
  // them, once per transaction however many customers it redacted. It
  // rewrites the whole index, which erasure, being rare, can afford.
  Status purge_redacted_index() {
    if (!purge_index_at_commit_) return {};
    purge_index_at_commit_ = false;
    return zeroing_freed_space(
        [&] { return db_.exec("INSERT INTO ticket_text(ticket_text) VALUES('optimize')"); });
  }
  void drop_pending_purge() noexcept { purge_index_at_commit_ = false; }

  template <typename Work>
  Status zeroing_freed_space(Work&& work) {
    return store::zeroing_freed_space(db_, std::forward<Work>(work));
  }

  Status redact_customer_text(CustomerId customer, std::string_view replacement) {
    HL_STORE_CHECK(flush_text());
    HL_STORE_CHECK(index_text(kUnindexCustomer, customer));
    HL_STORE_TRY(t, db_.prepare(
                  "UPDATE tickets SET subject = ?2, description = ?2 WHERE customer_id = ?1"));
    HL_STORE_CHECK(t->bind(1, customer).bind(2, replacement).run());
    HL_STORE_TRY(n, db_.prepare(
                  "UPDATE ticket_notes SET body = ?2 WHERE ticket_id IN "
                  "(SELECT id FROM tickets WHERE customer_id = ?1)"));
    HL_STORE_CHECK(n->bind(1, customer).bind(2, replacement).run());
    HL_STORE_TRY(f, db_.prepare(
                  "UPDATE follow_ups SET outcome = ?2 WHERE outcome <> '' AND ticket_id IN "
                  "(SELECT id FROM tickets WHERE customer_id = ?1)"));
    HL_STORE_CHECK(f->bind(1, customer).bind(2, replacement).run());
    // The lines redacts_text() names, in SQL.
    HL_STORE_TRY(h, db_.prepare(
                  "UPDATE ticket_changes SET "
                  "old_value = CASE WHEN field = 'follow_up' OR old_value = '' THEN old_value "
                  "ELSE ?2 END, "
                  "new_value = CASE WHEN new_value = '' THEN '' ELSE ?2 END "
                  "WHERE (field IN ('subject', 'description') OR "
                  "(field = 'follow_up' AND old_value = 'scheduled')) AND ticket_id IN "
                  "(SELECT id FROM tickets WHERE customer_id = ?1)"));
    HL_STORE_CHECK(h->bind(1, customer).bind(2, replacement).run());
    return index_text(kIndexCustomer, customer);
  }

 private:
  Result<std::vector<FollowUp>> select_follow_ups(const FollowUpQuery& q, FollowUpId id) {
    std::string sql =
        "SELECT id, ticket_id, kind, due_at, assignee, status, outcome, created_at, done_at "
        "FROM follow_ups WHERE 1";
    if (id != 0) sql += " AND id = ?1";
    if (q.ticket) sql += " AND ticket_id = ?2";
    if (q.status) sql += " AND status = ?3";
    if (q.assignee) sql += " AND assignee = ?4";
    if (q.due_before) sql += " AND due_at < ?5";
    sql += " ORDER BY due_at, id LIMIT ?6";
    HL_STORE_TRY(s, db_.prepare(sql));
    ScopedReset reset(s);
    if (id != 0) s->bind(1, id);
    if (q.ticket) s->bind(2, *q.ticket);
    if (q.status) s->bind(3, static_cast<int>(*q.status));
    if (q.assignee) s->bind(4, *q.assignee);
    if (q.due_before) s->bind(5, *q.due_before);
    s->bind(6, std::max(q.limit, 0));
    std::vector<FollowUp> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      FollowUp f;
      f.id = s->int64(0);
      f.ticket = s->int64(1);
      f.kind = static_cast<FollowUpKind>(s->int64(2));
      f.due_at = s->int64(3);
      f.assignee = s->text(4);
      f.status = static_cast<FollowUpStatus>(s->int64(5));
      f.outcome = s->text(6);
      f.created_at = s->int64(7);
      f.done_at = s->int64(8);
      out.push_back(std::move(f));
    }
    return out;
  }

  struct PendingText {
    TicketId id;
    std::string subject, description;
  };
  Database& db_;
  std::vector<PendingText> pending_text_;
  bool purge_index_at_commit_ = false;
};

// Lists (tags, and the phones and emails the customer's row keeps beside
// their index tables) are stored joined by the ASCII unit separator, which
// validation keeps out of every item.
constexpr char kListSeparator = '\x1f';

std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& item : v) {
    if (!out.empty()) out += kListSeparator;
    out += item;
  }
  return out;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(kListSeparator, start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

class SqliteCustomers final : public CustomerStore {
 public:
  explicit SqliteCustomers(Database& db) : db_(db) {}

  Status insert(Customer& c) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO customers(name, tier, tags, attributes, national_id, "
                  "payment_info, created_at, updated_at, merged_into, erased, phones, emails) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    bind_customer(*s, c);
    HL_STORE_CHECK(s->run());
    c.id = db_.last_insert_rowid();
    HL_STORE_CHECK(index_name(kIndexName, c.id));
    return write_lists(c);
  }

  // The name index is contentless like the ticket index: a name leaves it
  // only when handed the text it was indexed with, read from customers by
  // the same condition that put it in (live customers only).
  static constexpr const char* kUnindexName =
      "INSERT INTO customer_names(customer_names, rowid, name) SELECT 'delete', id, name "
      "FROM customers WHERE id = ?1 AND merged_into = 0 AND erased = 0";
  static constexpr const char* kIndexName =
      "INSERT INTO customer_names(rowid, name) SELECT id, name "
      "FROM customers WHERE id = ?1 AND merged_into = 0 AND erased = 0";

  Status index_name(const char* sql, CustomerId id) {
    HL_STORE_TRY(s, db_.prepare(sql));
    return s->bind(1, id).run();
  }

  // Before commit, after an erasure: as for ticket text, a 'delete' leaves
  // the erased name in older segments of customer_names_data until merged.
  Status purge_erased_names() {
    if (!purge_names_at_commit_) return {};
    purge_names_at_commit_ = false;
    return zeroing_freed_space(db_, [&] {
      return db_.exec("INSERT INTO customer_names(customer_names) VALUES('optimize')");
    });
  }
  void drop_pending_purge() noexcept { purge_names_at_commit_ = false; }

  Result<std::vector<CustomerId>> search(std::string_view text, int limit) override {
    HL_STORE_TRY(phrases, search_query(text));
    if (phrases.empty() || limit <= 0) return std::vector<CustomerId>{};
    HL_STORE_TRY(updated, db_.prepare("SELECT updated_at FROM customers WHERE id = ?1"));
    HL_STORE_TRY(newest, db_.prepare("SELECT id, updated_at FROM customers INDEXED BY "
                                     "customers_by_update ORDER BY updated_at DESC, id DESC"));
    return sqlite::ranked(db_, "customer_names", phrases, limit,
                          sqlite::RecencyReads{updated, newest});
  }

  Status update(const Customer& c) override {
    HL_STORE_TRY(s, db_.prepare(
                  "UPDATE customers SET name = ?1, tier = ?2, tags = ?3, attributes = ?4, "
                  "national_id = ?5, payment_info = ?6, created_at = ?7, updated_at = ?8, "
                  "merged_into = ?9, erased = ?10, phones = ?11, emails = ?12 WHERE id = ?13"));
    bind_customer(*s, c);
    s->bind(13, c.id);
    HL_STORE_CHECK(index_name(kUnindexName, c.id));
    HL_STORE_CHECK(s->run());
    if (db_.changes() == 0) return not_found("customer", c.id);
    HL_STORE_CHECK(index_name(kIndexName, c.id));
    if (c.erased) {
      purge_names_at_commit_ = true;
      if (sqlite3_get_autocommit(db_.handle())) HL_STORE_CHECK(purge_erased_names());
    }
    HL_STORE_TRY(dp, db_.prepare("DELETE FROM customer_phones WHERE customer_id = ?1"));
    HL_STORE_CHECK(dp->bind(1, c.id).run());
    HL_STORE_TRY(de, db_.prepare("DELETE FROM customer_emails WHERE customer_id = ?1"));
    HL_STORE_CHECK(de->bind(1, c.id).run());
    return write_lists(c);
  }

  Result<Customer> get(CustomerId id) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT id, name, tier, tags, attributes, national_id, payment_info, "
                  "created_at, updated_at, merged_into, erased, phones, emails "
                  "FROM customers WHERE id = ?1"));
    ScopedReset reset(s);
    s->bind(1, id);
    HL_STORE_TRY(row, s->step());
    if (!row) return not_found("customer", id);
    return read_customer(*s);
  }

  Result<std::vector<CustomerId>> find_by_phone(std::string_view e164) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT p.customer_id FROM customer_phones p JOIN customers c "
                  "ON c.id = p.customer_id WHERE p.e164 = ?1 AND c.merged_into = 0 AND "
                  "c.erased = 0 ORDER BY p.customer_id"));
    return ids(s, e164);
  }

  // Caller id on the answer path of every call, in one statement that reads
  // two B-trees: the number's index, which carries the customer id, and the
  // customer's row, which carries its phone and e-mail lists (schema 6).
  Result<std::optional<Customer>> first_by_phone(std::string_view e164) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT c.id, c.name, c.tier, c.tags, c.attributes, c.national_id, "
                  "c.payment_info, c.created_at, c.updated_at, c.merged_into, c.erased, "
                  "c.phones, c.emails "
                  "FROM customer_phones p JOIN customers c ON c.id = p.customer_id "
                  "WHERE p.e164 = ?1 AND c.merged_into = 0 AND c.erased = 0 "
                  "ORDER BY p.customer_id LIMIT 1"));
    ScopedReset reset(s);
    s->bind(1, e164);
    HL_STORE_TRY(row, s->step());
    if (!row) return std::optional<Customer>();
    return std::optional<Customer>(read_customer(*s));
  }

  Result<std::vector<CustomerId>> find_by_email(std::string_view email) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT e.customer_id FROM customer_emails e JOIN customers c "
                  "ON c.id = e.customer_id WHERE e.email = ?1 AND c.merged_into = 0 AND "
                  "c.erased = 0 ORDER BY e.customer_id"));
    return ids(s, email);
  }

  Status add_contact(ContactRecord& c) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO contacts(contact_id, customer_id, channel, queue, agent, ani, "
                  "started_at, ended_at, outcome) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    HL_STORE_CHECK(s->bind(1, c.contact_id)
                 .bind(2, c.customer)
                 .bind(3, c.channel)
                 .bind(4, c.queue)
                 .bind(5, c.agent)
                 .bind(6, c.ani)
                 .bind(7, c.started_at)
                 .bind(8, c.ended_at)
                 .bind(9, c.outcome)
                 .run());
    c.id = db_.last_insert_rowid();
    return {};
  }

  Result<std::vector<ContactRecord>> contacts(CustomerId id, int limit) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT id, contact_id, customer_id, channel, queue, agent, ani, started_at, "
                  "ended_at, outcome FROM contacts WHERE customer_id = ?1 "
                  "ORDER BY started_at DESC, id DESC LIMIT ?2"));
    ScopedReset reset(s);
    s->bind(1, id).bind(2, std::max(limit, 0));
    std::vector<ContactRecord> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      ContactRecord c;
      c.id = s->int64(0);
      c.contact_id = s->text(1);
      c.customer = s->int64(2);
      c.channel = s->text(3);
      c.queue = s->text(4);
      c.agent = s->text(5);
      c.ani = s->text(6);
      c.started_at = s->int64(7);
      c.ended_at = s->int64(8);
      c.outcome = s->text(9);
      out.push_back(std::move(c));
    }
    return out;
  }

  Status move_contacts(CustomerId from, CustomerId to) override {
    HL_STORE_TRY(s, db_.prepare("UPDATE contacts SET customer_id = ?2 WHERE customer_id = ?1"));
    return s->bind(1, from).bind(2, to).run();
  }

  Result<std::vector<CustomerId>> merged_away(CustomerId survivor) override {
    HL_STORE_TRY(s, db_.prepare(
                  "SELECT id FROM customers WHERE merged_into = ?1 AND ?1 <> 0 ORDER BY id"));
    return ids(s, survivor);
  }

  Status redact_contacts(CustomerId customer) override {
    HL_STORE_TRY(s, db_.prepare("UPDATE contacts SET ani = '' WHERE customer_id = ?1"));
    return s->bind(1, customer).run();
  }

 private:
  // A row of the columns get() selects, in its order.
  static Customer read_customer(Statement& s) {
    Customer c;
    c.id = s.int64(0);
    c.name = s.text(1);
    c.tier = s.text(2);
    c.tags = split_list(s.text(3));
    c.attributes = s.text(4);
    c.national_id = s.text(5);
    c.payment_info = s.text(6);
    c.created_at = s.int64(7);
    c.updated_at = s.int64(8);
    c.merged_into = s.int64(9);
    c.erased = s.int64(10) != 0;
    c.phones = split_list(s.text(11));
    c.emails = split_list(s.text(12));
    return c;
  }

  static void bind_customer(Statement& s, const Customer& c) {
    s.bind(1, c.name)
        .bind(2, c.tier)
        .bind(3, join_list(c.tags))
        .bind(4, c.attributes)
        .bind(5, c.national_id)
        .bind(6, c.payment_info)
        .bind(7, c.created_at)
        .bind(8, c.updated_at)
        .bind(9, c.merged_into)
        .bind(10, c.erased ? 1 : 0)
        .bind(11, join_list(c.phones))
        .bind(12, join_list(c.emails));
  }

  Status write_lists(const Customer& c) {
    HL_STORE_TRY(p, db_.prepare(
                  "INSERT INTO customer_phones(customer_id, position, e164) VALUES(?1, ?2, ?3)"));
    for (std::size_t i = 0; i < c.phones.size(); ++i) {
      HL_STORE_CHECK(p->bind(1, c.id).bind(2, static_cast<std::int64_t>(i)).bind(3, c.phones[i]).run());
    }
    HL_STORE_TRY(e, db_.prepare(
                  "INSERT INTO customer_emails(customer_id, position, email) VALUES(?1, ?2, ?3)"));
    for (std::size_t i = 0; i < c.emails.size(); ++i) {
      HL_STORE_CHECK(e->bind(1, c.id).bind(2, static_cast<std::int64_t>(i)).bind(3, c.emails[i]).run());
    }
    return {};
  }

  // The ids a one-parameter query returns, in its order.
  template <typename Key>
  static Result<std::vector<CustomerId>> ids(Statement* s, const Key& key) {
    ScopedReset reset(s);
    s->bind(1, key);
    std::vector<CustomerId> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(s->int64(0));
    }
    return out;
  }

  Database& db_;
  bool purge_names_at_commit_ = false;
};

class SqliteAudit final : public AuditLog {
 public:
  explicit SqliteAudit(Database& db) : db_(db) {}

  Status append(AuditRecord& r) override {
    HL_STORE_TRY(s, db_.prepare(
                  "INSERT INTO audit_log(at, actor, role, action, entity, entity_id, detail) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    HL_STORE_CHECK(s->bind(1, r.at)
                 .bind(2, r.actor)
                 .bind(3, r.role)
                 .bind(4, r.action)
                 .bind(5, r.entity)
                 .bind(6, r.entity_id)
                 .bind(7, r.detail)
                 .run());
    r.id = db_.last_insert_rowid();
    return {};
  }

  Result<std::vector<AuditRecord>> records(const AuditQuery& q) override {
    std::string sql =
        "SELECT id, at, actor, role, action, entity, entity_id, detail FROM audit_log WHERE 1";
    if (q.entity) sql += " AND entity = ?1";
    if (q.entity_id) sql += " AND entity_id = ?2";
    if (q.actor) sql += " AND actor = ?3";
    sql += " ORDER BY id DESC LIMIT ?4";
    HL_STORE_TRY(s, db_.prepare(sql));
    ScopedReset reset(s);
    if (q.entity) s->bind(1, *q.entity);
    if (q.entity_id) s->bind(2, *q.entity_id);
    if (q.actor) s->bind(3, *q.actor);
    s->bind(4, std::max(q.limit, 0));
    std::vector<AuditRecord> out;
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      out.push_back(AuditRecord{s->int64(0), s->int64(1), s->text(2), s->text(3), s->text(4),
                                s->text(5), s->int64(6), s->text(7)});
    }
    return out;
  }

 private:
  Database& db_;
  bool purge_names_at_commit_ = false;
};

class SqliteStorage final : public Storage {
 public:
  explicit SqliteStorage(std::unique_ptr<Database> db)
      : db_(std::move(db)),
        tickets_(*db_),
        customers_(*db_),
        audit_(*db_),
        knowledge_(sqlite::open_knowledge(*db_)) {}
  ~SqliteStorage() override {
    if (in_transaction_) rollback();
  }

  TicketStore& tickets() override { return tickets_; }
  CustomerStore& customers() override { return customers_; }
  AuditLog& audit() override { return audit_; }
  KnowledgeStore& knowledge() override { return *knowledge_; }

  Status begin() override {
    if (in_transaction_) return make_error(Errc::kIllegalState, "a write transaction is open");
    if (in_read_) return make_error(Errc::kIllegalState, "a read snapshot is open");
    // IMMEDIATE takes the write lock now, so a busy database fails here,
    // before any work, rather than at the first write.
    HL_STORE_CHECK(db_->exec("BEGIN IMMEDIATE"));
    in_transaction_ = true;
    return {};
  }
  Status commit() override {
    if (!in_transaction_) return make_error(Errc::kIllegalState, "no write transaction is open");
    in_transaction_ = false;
    Status st = tickets_.flush_text();
    if (st) st = tickets_.purge_redacted_index();
    if (st) st = customers_.purge_erased_names();
    if (st) st = db_->exec("COMMIT");
    if (!st) {
      tickets_.drop_pending_text();
      tickets_.drop_pending_purge();
      customers_.drop_pending_purge();
      (void)db_->exec("ROLLBACK");
      return st;
    }
    return {};
  }
  void rollback() noexcept override {
    tickets_.drop_pending_text();
    tickets_.drop_pending_purge();
    customers_.drop_pending_purge();
    if (!in_transaction_) return;
    in_transaction_ = false;
    (void)db_->exec("ROLLBACK");
  }

  Status begin_read() override {
    if (in_transaction_) return make_error(Errc::kIllegalState, "a write transaction is open");
    if (in_read_) return make_error(Errc::kIllegalState, "a read snapshot is already open");
    // Both statements prepared once, unlike exec()'s text, and COMMIT before
    // the transaction begins, so that end_read() finds it ready.
    HL_STORE_TRY(commit, db_->prepare("COMMIT"));
    (void)commit;
    // Deferred: the first read takes the snapshot and its locks, the others
    // find them taken.
    HL_STORE_TRY(s, db_->prepare("BEGIN DEFERRED"));
    HL_STORE_CHECK(s->run());
    in_read_ = true;
    return {};
  }
  void end_read() noexcept override {
    if (!in_read_) return;
    in_read_ = false;
    try {
      auto s = db_->prepare("COMMIT");
      if (s && (*s)->run()) return;
    } catch (...) {  // out of memory building the error: given up as below
    }
    // A transaction SQLite still held open would keep this connection on its
    // snapshot for good, and the log from being checkpointed: given up.
    if (!sqlite3_get_autocommit(db_->handle())) {
      sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

 private:
  std::unique_ptr<Database> db_;
  SqliteTickets tickets_;
  SqliteCustomers customers_;
  SqliteAudit audit_;
  std::unique_ptr<KnowledgeStore> knowledge_;
  bool in_transaction_ = false;
  bool in_read_ = false;
};

// The pragmas, and for a writer the schema's migration: the first reads of
// the file, where a connection holding it alone is met.
Status prepare_connection(sqlite::Database& db, const SqliteOptions& options) {
  // Reads of pages outside the page cache (a caller-id lookup among a
  // million customers touches a few, at random) map the file instead of
  // copying each page in with a system call. Writes still go through the
  // write-ahead log, so durability is unchanged.
  HL_STORE_CHECK(db.exec("PRAGMA mmap_size = 1073741824"));
  if (!options.read_only) {
    // Larger pages for a new file (no effect on an existing one): fewer
    // b-tree pages to touch per ticket and for the search index's segments.
    HL_STORE_CHECK(db.exec("PRAGMA page_size = 8192"));
    HL_STORE_CHECK(db.exec("PRAGMA journal_mode = WAL"));
    HL_STORE_CHECK(db.exec(options.synchronous_full ? "PRAGMA synchronous = FULL"
                                                    : "PRAGMA synchronous = NORMAL"));
    HL_STORE_CHECK(sqlite::migrate(db));
    HL_STORE_CHECK(db.exec("PRAGMA cache_size = -65536"));
    // Checkpoint every ~40 MB of WAL rather than every 4 MB: pages that
    // busy writes touch again and again (index edges, the search index) are
    // copied into the database once per checkpoint, not once per 1000 pages.
    HL_STORE_CHECK(db.exec("PRAGMA wal_autocheckpoint = 10000"));
  } else {
    HL_STORE_TRY(s, db.prepare("PRAGMA user_version"));
    ScopedReset reset(s);
    HL_STORE_TRY(row, s->step());
    if (!row || s->int64(0) != sqlite::schema_version()) {
      return make_error(Errc::kIllegalState,
                        fmt::format("'{}' has schema version {}, this library reads {}; open it "
                                    "for writing once to migrate",
                                    options.path, row ? s->int64(0) : 0,
                                    sqlite::schema_version()));
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Storage>> open_sqlite_storage(const SqliteOptions& options) {
  if (options.path.empty()) {
    return make_error(Errc::kInvalidArgument, "the SQLite store needs a path");
  }
  if (options.exclusive && options.read_only) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("'{}': a store cannot be both read-only and exclusive (a "
                                  "reader beside the writer cannot hold the file alone)",
                                  options.path));
  }
  HL_STORE_TRY(db, sqlite::Database::open(options.path, options.read_only));
  HL_STORE_CHECK(sqlite::register_search_tokenizer(db->handle()));
  HL_STORE_CHECK(sqlite::register_search_rank_function(db->handle()));
  sqlite3_busy_timeout(db->handle(), options.busy_timeout_ms);
  if (options.exclusive) {
    // Set before the file is first read, so that the write-ahead log's index
    // lives in this connection's memory instead of the shared-memory file.
    // The first read below takes the lock, and it is held until close.
    HL_STORE_CHECK(db->exec("PRAGMA locking_mode = EXCLUSIVE"));
  }
  if (Status prepared = prepare_connection(*db, options); !prepared) {
    Error e = std::move(prepared).error();
    if (e.code == Errc::kBusy && options.exclusive) {
      e.message = fmt::format("'{}' is in use by another connection, and exclusive locking needs "
                              "the file to have no other connection open (another store, "
                              "hotline-ops, the sqlite3 shell): {}",
                              options.path, e.message);
    } else if (e.code == Errc::kBusy) {
      e.message = fmt::format("'{}' is in use by another connection: most likely a store holding "
                              "the file with exclusive locking, or one migrating it: {}",
                              options.path, e.message);
    }
    return e;
  }
  return std::unique_ptr<Storage>(std::make_unique<SqliteStorage>(std::move(db)));
}

}  // namespace hotline::store
