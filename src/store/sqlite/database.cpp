#include "database.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

namespace hotline::store::sqlite {
namespace {

Errc errc_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Errc::kBusy;
    case SQLITE_CONSTRAINT:
      return Errc::kExists;
    case SQLITE_NOMEM:
      return Errc::kNoMemory;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Errc::kPermission;
    default:
      return Errc::kIo;
  }
}

}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  if (dirty_) reset();
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (dirty_) reset();
  // SQLITE_TRANSIENT: SQLite copies, so temporaries may be bound.
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_static(int index, std::string_view value) {
  if (dirty_) reset();
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (dirty_) reset();
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  dirty_ = true;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  Error e = make_error(errc_of(rc), fmt::format("SQLite: {}", sqlite3_errmsg(db)));
  reset();
  return e;
}

Status Statement::run() {
  auto r = step();
  if (!r) return std::move(r).error();
  reset();
  return {};
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
           : std::string();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  dirty_ = false;
}

std::string path_problem(std::string_view path) {
  if (const auto nul = path.find('\0'); nul != std::string_view::npos) {
    return fmt::format("the path holds a NUL byte (byte {}), which would end it early", nul);
  }
  // SQLite's own test: the five bytes exactly, in this case.
  if (path.substr(0, 5) != "file:") return {};
  return fmt::format("'{}' would be read as an SQLite URI, whose parameters can change the "
                     "store's locking, journalling or access; give the file's path (prefixed "
                     "with ./ if the file's name begins with 'file:')",
                     path);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, bool read_only) {
  if (std::string problem = path_problem(path); !problem.empty()) {
    return make_error(Errc::kInvalidArgument, std::move(problem));
  }
  sqlite3* db = nullptr;
  const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = make_error(errc_of(rc), fmt::format("cannot open SQLite database '{}': {}", path,
                                                  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Database>(new Database(db));
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt->stmt_);
  statements_.clear();
  sqlite3_close(db_);
}

Status Database::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  Error e = make_error(errc_of(rc), fmt::format("SQLite: {}", message ? message : sqlite3_errstr(rc)));
  sqlite3_free(message);
  return e;
}

Result<Statement*> Database::prepare(const char* literal) {
  auto it = by_address_.find(literal);
  if (it != by_address_.end()) {
    if (it->second->dirty_) it->second->reset();
    return it->second;
  }
  auto s = prepare(std::string(literal));
  if (s) by_address_.emplace(literal, *s);
  return s;
}

Result<Statement*> Database::prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) {
    if (it->second->dirty_) it->second->reset();
    return it->second.get();
  }
  return compile(sql);
}

Result<Statement*> Database::compile(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return error("preparing a statement");
  auto owned = std::make_unique<Statement>(stmt);
  Statement* raw = owned.get();
  statements_.emplace(sql, std::move(owned));
  return raw;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Error Database::error(std::string_view what) const {
  return make_error(errc_of(sqlite3_errcode(db_)),
                    fmt::format("SQLite, {}: {}", what, sqlite3_errmsg(db_)));
}

}  // namespace hotline::store::sqlite
