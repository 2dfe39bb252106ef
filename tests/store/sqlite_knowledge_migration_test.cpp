// A database written before the knowledge base existed (schema version 2)
// opens, migrates to version 3, and keeps its tickets.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "hotline/store/knowledge_service.hpp"
#include "hotline/store/ticket_service.hpp"
#include "store/sqlite/search_tokenizer.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  // The article index uses the project's tokenizer; dropping it needs it.
  REQUIRE(sqlite::register_search_tokenizer(db).ok());
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

int user_version(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

}  // namespace

TEST_CASE("a schema-2 database gains the knowledge base and keeps its tickets") {
  TempDir dir;
  const std::string path = dir.file("before.db");
  TicketService::Options to;
  to.clock = [] { return kStart; };
  {
    auto s = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(s.ok());
    TicketService tickets(**s, to);
    NewTicket n;
    n.subject = "written before the knowledge base";
    REQUIRE(tickets.create(system_actor(), n).ok());
  }
  // Migrations are append-only, so taking migration 3's tables (and the
  // columns migration 6 added) away leaves exactly the file the library
  // before the knowledge base wrote.
  exec(path,
       "DROP TABLE kb_categories; DROP TABLE kb_articles; DROP TABLE kb_article_versions; "
       "DROP TABLE kb_article_text; DROP TABLE kb_scripts; DROP TABLE kb_search_misses; "
       "ALTER TABLE customers DROP COLUMN phones; ALTER TABLE customers DROP COLUMN emails; "
       "PRAGMA user_version = 2;");
  REQUIRE(user_version(path) == 2);

  // A reader refuses the old file until a writer has migrated it.
  auto reader = open_sqlite_storage(SqliteOptions{path, false, 5000, true});
  REQUIRE_FALSE(reader.ok());
  CHECK(reader.error().message.find("schema version 2, this library reads 6") !=
        std::string::npos);

  auto s = open_sqlite_storage(SqliteOptions{path});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  CHECK(user_version(path) == 6);
  TicketService tickets(**s, to);
  CHECK(tickets.get_by_number("T-2026-000001")->subject == "written before the knowledge base");
  KnowledgeService::Options ko;
  ko.clock = [] { return kStart; };
  KnowledgeService kb(**s, ko);
  NewArticle a;
  a.title = "First article";
  a.body = "after the migration";
  auto created = kb.create_article(system_actor(), a);
  REQUIRE(created.ok());
  CHECK(kb.search(system_actor(), "migration")->size() == 1);
}

TEST_CASE("opening a schema-3 database rebuilds its search indexes from the stored text") {
  TempDir dir;
  const std::string path = dir.file("schema3.db");
  TicketService::Options to;
  to.clock = [] { return kStart; };
  KnowledgeService::Options ko;
  ko.clock = [] { return kStart; };
  {
    auto s = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(s.ok());
    TicketService tickets(**s, to);
    NewTicket n;
    n.subject = "客户的银行卡丢失";
    REQUIRE(tickets.create(system_actor(), n).ok());
    KnowledgeService kb(**s, ko);
    NewArticle a;
    a.title = "补办银行卡";
    REQUIRE(kb.create_article(system_actor(), a).ok());
  }
  // Schema 3's ticket index lacked the last character of each run; emptied
  // here, it stands for any index the rebuild must replace. (The article
  // index keeps its own text and is rebuilt from it.) Migration 6's columns
  // go too, as schema 3 had none.
  exec(path,
       "INSERT INTO ticket_text(ticket_text) VALUES('delete-all'); "
       "ALTER TABLE customers DROP COLUMN phones; ALTER TABLE customers DROP COLUMN emails; "
       "PRAGMA user_version = 3;");


  auto s = open_sqlite_storage(SqliteOptions{path});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  CHECK(user_version(path) == 6);
  TicketService tickets(**s, to);
  auto found = tickets.search("卡");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front().subject == "客户的银行卡丢失");
  KnowledgeService kb(**s, ko);
  auto articles = kb.search(system_actor(), "卡");
  REQUIRE(articles.ok());
  REQUIRE(articles->size() == 1);
  CHECK(articles->front().title == "补办银行卡");
}
