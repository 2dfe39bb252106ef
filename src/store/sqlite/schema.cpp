#include "schema.hpp"

#include <iterator>

#include <fmt/format.h>

namespace hotline::store::sqlite {
namespace {

// Append only: a released migration never changes, later ones alter it.
constexpr const char* kMigrations[] = {
    // 1: tickets, customers, contacts, audit.
    R"sql(
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
)sql",
    // 2: search with the project's tokenizer (search_tokenizer.hpp): Chinese,
    // Japanese and Korean found by character pairs, positions kept for
    // phrases and column sizes for BM25; customers searchable by name. The
    // index is rebuilt from the stored text.
    R"sql(
DROP TABLE ticket_text;
CREATE VIRTUAL TABLE ticket_text USING fts5(subject, description, notes,
  tokenize = 'hotline', content = '');
INSERT INTO ticket_text(ticket_text, rank) VALUES('automerge', 16);
INSERT INTO ticket_text(rowid, subject, description, notes)
  SELECT t.id, t.subject, t.description,
         coalesce((SELECT group_concat(body, char(10)) FROM ticket_notes
                   WHERE ticket_id = t.id), '')
  FROM tickets t;
CREATE VIRTUAL TABLE customer_names USING fts5(name, tokenize = 'hotline names',
  content = '');
INSERT INTO customer_names(rowid, name)
  SELECT id, name FROM customers WHERE merged_into = 0 AND erased = 0;
)sql",
    // 3: the knowledge base. Tags and changed-field lists are JSON lists.
    R"sql(
CREATE TABLE kb_categories(
  id INTEGER PRIMARY KEY,
  parent INTEGER NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL);
CREATE TABLE kb_articles(
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  tags TEXT NOT NULL,
  status INTEGER NOT NULL,
  owner TEXT NOT NULL,
  review_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  used INTEGER NOT NULL,
  helped INTEGER NOT NULL);
CREATE TABLE kb_article_versions(
  article_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  changed TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  category TEXT NOT NULL,
  tags TEXT NOT NULL,
  status INTEGER NOT NULL,
  owner TEXT NOT NULL,
  review_at INTEGER NOT NULL,
  PRIMARY KEY(article_id, version)) WITHOUT ROWID;
-- The ticket index's tokenizer, so that an article is found by the words
-- search_words() gives on every backend, Chinese included. It keeps its own
-- copy of the text: articles are few and change rarely, and a replaced one is
-- deleted by rowid.
CREATE VIRTUAL TABLE kb_article_text USING fts5(title, body, tags, tokenize = 'hotline');
CREATE TABLE kb_scripts(
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  queue TEXT NOT NULL,
  category TEXT NOT NULL,
  ivr_path TEXT NOT NULL,
  shortcut TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL);
CREATE TABLE kb_search_misses(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  query TEXT NOT NULL);
CREATE INDEX kb_search_misses_by_time ON kb_search_misses(at);
)sql",
    // 4: the search indexes also hold the last character of each run of
    // Chinese, Japanese or Korean characters alone, so that a one-character
    // query finds a character anywhere in a run (search_words.hpp). Every
    // index is rebuilt from the stored text, as in 2.
    R"sql(
DROP TABLE ticket_text;
CREATE VIRTUAL TABLE ticket_text USING fts5(subject, description, notes,
  tokenize = 'hotline', content = '');
INSERT INTO ticket_text(ticket_text, rank) VALUES('automerge', 16);
INSERT INTO ticket_text(rowid, subject, description, notes)
  SELECT t.id, t.subject, t.description,
         coalesce((SELECT group_concat(body, char(10)) FROM ticket_notes
                   WHERE ticket_id = t.id), '')
  FROM tickets t;
DROP TABLE customer_names;
CREATE VIRTUAL TABLE customer_names USING fts5(name, tokenize = 'hotline names',
  content = '');
INSERT INTO customer_names(rowid, name)
  SELECT id, name FROM customers WHERE merged_into = 0 AND erased = 0;
INSERT INTO kb_article_text(kb_article_text) VALUES('rebuild');
)sql",
    // 5: tickets and customers by recency, so that a search whose best hits
    // tie on score (a query most records match) takes the newest of them
    // from an index instead of reading each hit's update time (fts_search).
    R"sql(
CREATE INDEX IF NOT EXISTS tickets_by_update ON tickets(updated_at, id);
CREATE INDEX IF NOT EXISTS customers_by_update ON customers(updated_at, id);
)sql",
    // 6: a customer's phone numbers and e-mail addresses also kept in the
    // customer's row, joined by the unit separator (char 31), so that caller
    // id reads two B-trees (the number's index and the row) instead of four.
    // customer_phones and customer_emails stay: they index the lists.
    // Each list is joined by walking its entries in position order: SQLite
    // leaves group_concat's order unspecified (an ORDER BY inside the
    // aggregate needs 3.44, newer than the Debian 12 library).
    R"sql(
ALTER TABLE customers ADD COLUMN phones TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN emails TEXT NOT NULL DEFAULT '';
UPDATE customers SET
  phones = coalesce((
    WITH RECURSIVE walk(position, list) AS (
      SELECT position, e164 FROM customer_phones WHERE customer_id = customers.id
        AND position = (SELECT min(position) FROM customer_phones
                        WHERE customer_id = customers.id)
      UNION ALL
      SELECT n.position, walk.list || char(31) || n.e164 FROM walk JOIN customer_phones n
        ON n.customer_id = customers.id
        AND n.position = (SELECT min(position) FROM customer_phones
                          WHERE customer_id = customers.id AND position > walk.position))
    SELECT list FROM walk ORDER BY position DESC LIMIT 1), ''),
  emails = coalesce((
    WITH RECURSIVE walk(position, list) AS (
      SELECT position, email FROM customer_emails WHERE customer_id = customers.id
        AND position = (SELECT min(position) FROM customer_emails
                        WHERE customer_id = customers.id)
      UNION ALL
      SELECT n.position, walk.list || char(31) || n.email FROM walk JOIN customer_emails n
        ON n.customer_id = customers.id
        AND n.position = (SELECT min(position) FROM customer_emails
                          WHERE customer_id = customers.id AND position > walk.position))
    SELECT list FROM walk ORDER BY position DESC LIMIT 1), '');
)sql",
};

}  // namespace

int schema_version() { return static_cast<int>(std::size(kMigrations)); }

Status migrate(Database& db) {
  auto version_of = [&]() -> Result<int> {
    auto st = db.prepare("PRAGMA user_version");
    if (!st) return std::move(st).error();
    ScopedReset reset(*st);
    auto row = (*st)->step();
    if (!row) return std::move(row).error();
    return static_cast<int>((*st)->int64(0));
  };
  auto current = version_of();
  if (!current) return std::move(current).error();
  if (*current > schema_version()) {
    return make_error(Errc::kIllegalState,
                      fmt::format("the database has schema version {}, newer than this "
                                  "library's {}; upgrade Hotline to open it",
                                  *current, schema_version()));
  }
  for (int v = *current; v < schema_version(); ++v) {
    if (auto st = db.exec("BEGIN IMMEDIATE"); !st) return st;
    // Read again inside the write lock: another process may have migrated.
    auto now = version_of();
    if (!now) {
      (void)db.exec("ROLLBACK");
      return std::move(now).error();
    }
    if (*now > v) {
      if (auto c = db.exec("COMMIT"); !c) return c;
      v = *now - 1;
      continue;
    }
    Status st = db.exec(kMigrations[v]);
    if (st) {
      // user_version takes no parameters; the value is our own integer.
      st = db.exec(fmt::format("PRAGMA user_version = {}", v + 1).c_str());
    }
    if (!st) {
      (void)db.exec("ROLLBACK");
      return make_error(st.error().code,
                        fmt::format("migrating the schema to version {}: {}", v + 1,
                                    st.error().message));
    }
    if (auto c = db.exec("COMMIT"); !c) return c;
  }
  return {};
}

}  // namespace hotline::store::sqlite
