// A database written by schema version 1 (the unicode61 index, in which a
// run of Chinese characters was one word) is re-indexed when opened: its
// Chinese text is found afterwards, tickets, notes and customers alike.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

// Schema version 1 as it was released, and a few records in it.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE customers(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  tier TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',
  national_id TEXT NOT NULL DEFAULT '',
  payment_info TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  merged_into INTEGER NOT NULL DEFAULT 0,
  erased INTEGER NOT NULL DEFAULT 0);
CREATE TABLE customer_phones(
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  position INTEGER NOT NULL,
  e164 TEXT NOT NULL,
  PRIMARY KEY(customer_id, position)) WITHOUT ROWID;
CREATE INDEX customer_phones_by_number ON customer_phones(e164);
CREATE TABLE customer_emails(
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  position INTEGER NOT NULL,
  email TEXT NOT NULL,
  PRIMARY KEY(customer_id, position)) WITHOUT ROWID;
CREATE INDEX customer_emails_by_address ON customer_emails(email);
CREATE TABLE contacts(
  id INTEGER PRIMARY KEY,
  contact_id TEXT NOT NULL,
  customer_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  queue TEXT NOT NULL,
  agent TEXT NOT NULL,
  ani TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  outcome TEXT NOT NULL);
CREATE INDEX contacts_by_customer ON contacts(customer_id, started_at);
CREATE TABLE ticket_sequences(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE tickets(
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  category TEXT NOT NULL,
  priority INTEGER NOT NULL,
  channel INTEGER NOT NULL,
  status INTEGER NOT NULL,
  customer_id INTEGER NOT NULL,
  contact_id TEXT NOT NULL,
  assignee TEXT NOT NULL,
  grp TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  first_response_due INTEGER NOT NULL,
  first_response_at INTEGER NOT NULL,
  resolution_due INTEGER NOT NULL,
  resolved_at INTEGER NOT NULL,
  closed_at INTEGER NOT NULL,
  pending_since INTEGER NOT NULL,
  paused_ms INTEGER NOT NULL,
  satisfaction INTEGER NOT NULL,
  reopen_count INTEGER NOT NULL,
  created_by TEXT NOT NULL);
CREATE INDEX tickets_by_status ON tickets(status, id);
CREATE INDEX tickets_by_assignee ON tickets(assignee, id);
CREATE INDEX tickets_by_group ON tickets(grp, id);
CREATE INDEX tickets_by_customer ON tickets(customer_id, id);
CREATE INDEX tickets_by_resolution_due ON tickets(resolution_due, id) WHERE resolution_due >= 0;
CREATE INDEX tickets_by_first_response_due ON tickets(first_response_due)
  WHERE first_response_at < 0 AND first_response_due >= 0;
-- Contentless (the text lives in tickets and ticket_notes), no positions
-- and no column sizes: search matches words and orders by id, which is all
-- it needs, and indexing stays cheap.
CREATE VIRTUAL TABLE ticket_text USING fts5(subject, description, notes,
  tokenize = 'unicode61 remove_diacritics 2', detail = none, columnsize = 0, content = '');
INSERT INTO ticket_text(ticket_text, rank) VALUES('automerge', 16);
CREATE TABLE ticket_changes(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL);
CREATE INDEX ticket_changes_by_ticket ON ticket_changes(ticket_id, id);
CREATE TABLE ticket_notes(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  author TEXT NOT NULL,
  internal INTEGER NOT NULL,
  body TEXT NOT NULL);
CREATE INDEX ticket_notes_by_ticket ON ticket_notes(ticket_id, id);
CREATE TABLE follow_ups(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  assignee TEXT NOT NULL,
  status INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  done_at INTEGER NOT NULL);
CREATE INDEX follow_ups_by_ticket ON follow_ups(ticket_id);
CREATE INDEX follow_ups_by_due ON follow_ups(status, due_at);
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  detail TEXT NOT NULL);
CREATE INDEX audit_by_entity ON audit_log(entity, entity_id, id);
INSERT INTO customers(id, name, created_at, updated_at) VALUES(1, '张三', 1, 1);
INSERT INTO customers(id, name, created_at, updated_at, erased) VALUES(2, '李四', 1, 1, 1);
INSERT INTO tickets VALUES(1, 'T-2025-000001', '宽带经常断线需要上门维修', '客户很着急', '',
  1, 0, 0, 1, '', '', '', 1, 1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 'alice');
INSERT INTO tickets VALUES(2, 'T-2025-000002', 'Router reboots', '', '',
  1, 0, 0, 0, '', '', '', 2, 2, -1, -1, -1, -1, -1, -1, 0, 0, 0, 'alice');
INSERT INTO ticket_notes VALUES(1, 2, 2, 'alice', 0, '已安排退款');
INSERT INTO ticket_text(rowid, subject, description, notes)
  VALUES(1, '宽带经常断线需要上门维修', '客户很着急', '');
INSERT INTO ticket_text(rowid, subject, description, notes)
  VALUES(2, 'Router reboots', '', '已安排退款');
PRAGMA user_version = 1;
)sql";

std::string scalar(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("opening a version 1 database re-indexes its text for Chinese search") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, kVersion1, nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
  }
  // The check can fail: the old index holds the whole run as one word.
  CHECK(scalar(path, "SELECT count(*) FROM ticket_text WHERE ticket_text MATCH '断线'") == "0");

  auto storage = open_sqlite_storage(SqliteOptions{path});
  REQUIRE_MESSAGE(storage.ok(), (storage.ok() ? "" : storage.error().message));
  CHECK(scalar(path, "PRAGMA user_version") == "6");  // every later migration runs too
  TicketService::Options o;
  o.clock = [] { return kStart; };
  TicketService tickets(**storage, o);
  auto ids = [&](std::string_view q) {
    std::vector<TicketId> out;
    auto found = tickets.search(q);
    REQUIRE(found.ok());
    for (const auto& t : *found) out.push_back(t.id);
    return out;
  };
  CHECK(ids("断线") == std::vector<TicketId>{1});
  CHECK(ids("上门维修 着急") == std::vector<TicketId>{1});
  CHECK(ids("退款") == std::vector<TicketId>{2});  // a note
  CHECK(ids("router") == std::vector<TicketId>{2});

  CustomerService::Options co;
  co.clock = [] { return kStart; };
  auto customers = CustomerService::make(**storage, co);
  REQUIRE(customers.ok());
  const Actor agent{"alice", Role::kAgent};
  auto zhang = customers->search(agent, "zhangsan");
  REQUIRE(zhang.ok());
  REQUIRE(zhang->size() == 1);
  CHECK(zhang->front().id == 1);
  CHECK(customers->search(agent, "lisi")->empty());  // erased before the upgrade

  // Written after the upgrade: indexed the new way too.
  NewTicket n;
  n.subject = "发票抬头错误";
  const auto t = tickets.create(agent, n);
  REQUIRE(t.ok());
  CHECK(ids("发票") == std::vector<TicketId>{t->id});
}
