// A thin RAII layer over one SQLite connection: prepared statements cached
// by their SQL text, typed binding, errors as Results. SQL text only ever
// comes from string literals in this folder; input is always bound.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hotline/util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace hotline::store::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  // Binding, by 1-based index. Resets the statement first if it had run.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  // Binds text that stays alive and unchanged until the statement is reset
  // (run() or the next bind): SQLite reads it in place instead of copying.
  Statement& bind_static(int index, std::string_view value);
  Statement& bind_null(int index);

  // A row (true), done (false), or an error.
  Result<bool> step();
  // Runs to completion, expecting no rows.
  Status run();

  std::int64_t int64(int column) const;
  double real(int column) const;
  bool is_null(int column) const;
  std::string text(int column) const;

  void reset();  // also clears bindings

 private:
  friend class Database;
  sqlite3_stmt* stmt_;
  bool dirty_ = false;
};

// Why `path` cannot be opened as the file it names, or empty. SQLite (as
// Debian and most distributions build it) reads a name beginning with
// "file:" as a URI, and a URI's parameters change what a connection does:
// nolock=1 turns off locking, and the write-ahead log with it; mode=ro and
// immutable=1 make it read-only whatever the store was asked for. The
// store sets locking, journalling and access itself, so such a path is
// refused rather than opened with them changed behind its back. A NUL byte
// would end the name SQLite reads early: "\0x" would open a private
// temporary database, and nothing would be stored.
std::string path_problem(std::string_view path);

class Database {
 public:
  // Refuses a path that would not name the file it spells (path_problem).
  static Result<std::unique_ptr<Database>> open(const std::string& path, bool read_only);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs SQL with no parameters (pragmas, schema, BEGIN/COMMIT).
  Status exec(const char* sql);
  // A cached prepared statement, reset and ready to bind. Literals are
  // cached by address (the hot path: no hashing of the text); assembled SQL
  // by its text.
  Result<Statement*> prepare(const char* literal);
  Result<Statement*> prepare(const std::string& sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  Error error(std::string_view what) const;  // from the connection's last error
  sqlite3* handle() const noexcept { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  Result<Statement*> compile(const std::string& sql);
  std::unordered_map<const char*, Statement*> by_address_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// Statement lifetimes end at finalize in ~Database; a Statement's reset on
// scope exit keeps read transactions from lingering.
class ScopedReset {
 public:
  explicit ScopedReset(Statement* s) : s_(s) {}
  ~ScopedReset() { s_->reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Statement* s_;
};

}  // namespace hotline::store::sqlite
