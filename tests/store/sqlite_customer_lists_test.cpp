// Schema 6 keeps each customer's phone and e-mail lists in the customer's
// row as well as in the tables that index them: a version 5 file gains the
// lists from those tables when opened, and every later write keeps the two
// copies equal, so that caller id (which reads the row) and the number and
// address searches (which read the tables) agree.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

// The first column of the first row of `sql` with `id` bound to ?1, as text;
// "<none>" when there is no row and "<error>" when the SQL does not compile.
std::string scalar(const std::string& path, const char* sql, std::int64_t id = 0) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string out = "<error>";
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_int64(s, 1, id);
    out = "<none>";
    if (sqlite3_step(s) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(s, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

// The lists as the index tables hold them, in list order, joined as the row
// keeps them.
std::string indexed_phones(const std::string& path, CustomerId id) {
  return scalar(path,
                "SELECT coalesce(group_concat(e164, char(31)), '') FROM (SELECT e164 FROM "
                "customer_phones WHERE customer_id = ?1 ORDER BY position)",
                id);
}
std::string indexed_emails(const std::string& path, CustomerId id) {
  return scalar(path,
                "SELECT coalesce(group_concat(email, char(31)), '') FROM (SELECT email FROM "
                "customer_emails WHERE customer_id = ?1 ORDER BY position)",
                id);
}
std::string row_phones(const std::string& path, CustomerId id) {
  return scalar(path, "SELECT phones FROM customers WHERE id = ?1", id);
}
std::string row_emails(const std::string& path, CustomerId id) {
  return scalar(path, "SELECT emails FROM customers WHERE id = ?1", id);
}

Customer customer(const std::string& name, std::vector<std::string> phones,
                  std::vector<std::string> emails) {
  Customer c;
  c.name = name;
  c.tier = "gold";
  c.national_id = "X-1";
  c.phones = std::move(phones);
  c.emails = std::move(emails);
  c.created_at = c.updated_at = kStart;
  return c;
}

}  // namespace

TEST_CASE("opening a version 5 database copies each customer's lists into its row") {
  TempDir dir;
  const std::string path = dir.file("old.db");
  // Lists out of sorted order, so that the copy must follow their positions.
  Customer many = customer("many", {"+493099999", "+4915123456789", "+49301111"},
                           {"z@example.com", "a@example.com"});
  Customer none = customer("none", {}, {});
  Customer one = customer("one", {"+4940123456"}, {"one@example.com"});
  {
    auto storage = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(storage.ok());
    for (Customer* c : {&many, &none, &one}) REQUIRE((*storage)->customers().insert(*c).ok());
  }
  // Version 5 is version 6 without the two columns: taking them away gives
  // the file as the previous release wrote it.
  exec(path,
       "ALTER TABLE customers DROP COLUMN phones; ALTER TABLE customers DROP COLUMN emails; "
       "PRAGMA user_version = 5;");
  // Positions with gaps: the lists follow their order, not their count (a
  // guard for the migration's walk, which steps to the next position held).
  exec(path,
       "UPDATE customer_phones SET position = -(position * 3 + 1); "
       "UPDATE customer_phones SET position = -position; "
       "UPDATE customer_emails SET position = -(position * 5 + 2); "
       "UPDATE customer_emails SET position = -position;");
  REQUIRE(scalar(path, "SELECT phones FROM customers") == "<error>");  // the check can fail

  auto storage = open_sqlite_storage(SqliteOptions{path});
  REQUIRE_MESSAGE(storage.ok(), (storage.ok() ? "" : storage.error().message));
  CHECK(scalar(path, "PRAGMA user_version") == "6");
  auto& customers = (*storage)->customers();
  for (const Customer* c : {&many, &none, &one}) {
    CAPTURE(c->name);
    CHECK(row_phones(path, c->id) == indexed_phones(path, c->id));
    CHECK(row_emails(path, c->id) == indexed_emails(path, c->id));
    auto read = customers.get(c->id);
    REQUIRE(read.ok());
    CHECK(read->name == c->name);
    CHECK(read->national_id == c->national_id);
    CHECK(read->phones == c->phones);
    CHECK(read->emails == c->emails);
  }
  auto hit = customers.first_by_phone("+4915123456789");
  REQUIRE(hit.ok());
  REQUIRE(hit->has_value());
  CHECK((*hit)->id == many.id);
  CHECK((*hit)->phones == many.phones);
  CHECK((*hit)->emails == many.emails);
  CHECK(*customers.find_by_email("one@example.com") == std::vector<CustomerId>{one.id});
}

TEST_CASE("the row's lists and the index tables stay equal through updates and erasure") {
  SqliteBackend backend;
  const std::string path = backend.dir.file("hotline.db");
  auto storage = backend.open();
  auto& customers = storage->customers();
  Customer c = customer("c", {"+49301", "+49302"}, {"c@example.com"});
  REQUIRE(customers.insert(c).ok());
  auto agree = [&] {
    CHECK(row_phones(path, c.id) == indexed_phones(path, c.id));
    CHECK(row_emails(path, c.id) == indexed_emails(path, c.id));
    auto read = customers.get(c.id);
    REQUIRE(read.ok());
    CHECK(read->phones == c.phones);
    CHECK(read->emails == c.emails);
  };
  agree();
  CHECK(row_phones(path, c.id) == "+49301\x1f+49302");

  c.phones = {"+49303", "+49301"};  // one gone, one new, the order changed
  c.emails = {};
  REQUIRE(customers.update(c).ok());
  agree();
  CHECK(customers.find_by_phone("+49302")->empty());
  auto hit = customers.first_by_phone("+49303");
  REQUIRE(hit.ok());
  REQUIRE(hit->has_value());
  CHECK((*hit)->phones == c.phones);
  CHECK((*hit)->emails.empty());

  c.phones.clear();
  c.erased = true;
  REQUIRE(customers.update(c).ok());
  agree();
  CHECK(row_phones(path, c.id).empty());
  CHECK_FALSE(customers.first_by_phone("+49301")->has_value());
}
