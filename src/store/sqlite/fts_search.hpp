// Full-text queries for the SQLite backend's FTS5 tables (tickets, customer
// names, knowledge articles): the query in FTS5 syntax, and the ranking every
// backend shares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "database.hpp"
#include "store/search_words.hpp"

namespace hotline::store::sqlite {

// The query as FTS5 syntax: each phrase quoted, its words already folded by
// the tokenizer, so the user's text is never FTS syntax.
std::string fts_match(const std::vector<SearchPhrase>& phrases);

// Runs a search statement (id, bm25, updated_at; the match bound to ?1) and
// keeps the best `limit` ids.
Result<std::vector<std::int64_t>> ranked(Statement* s, const std::string& match, int limit);

}  // namespace hotline::store::sqlite
