#include "fts5_api_of.hpp"

#include <fmt/format.h>

namespace hotline::store::sqlite {

Result<fts5_api*> fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return make_error(Errc::kInternal,
                      fmt::format("SQLite has no FTS5: {}", sqlite3_errmsg(db)));
  }
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (!api || api->iVersion < 2) {
    return make_error(Errc::kInternal, "SQLite's FTS5 is missing or too old for the search index");
  }
  return api;
}

}  // namespace hotline::store::sqlite
