// A connection's FTS5 extension interface, through which the search
// tokenizer and ranking function are registered.
#pragma once

#include <sqlite3.h>

#include "hotline/util/result.hpp"

namespace hotline::store::sqlite {

// Fails when SQLite has no FTS5 or one older than version 2 of its interface.
Result<fts5_api*> fts5_api_of(sqlite3* db);

}  // namespace hotline::store::sqlite
