// The project's tokenizer (store/search_words.hpp) registered with a
// connection's FTS5 as `hotline`, so that the SQLite index splits and folds
// text exactly as the other backends do. `tokenize = 'hotline names'` also
// indexes a name's pinyin.
//
// Queries reach FTS5 already tokenized (the backend builds them from
// search_query()): in a query, each space-separated word is taken as it is.
#pragma once

#include "hotline/util/result.hpp"

struct sqlite3;

namespace hotline::store::sqlite {

Status register_search_tokenizer(sqlite3* db);

}  // namespace hotline::store::sqlite
