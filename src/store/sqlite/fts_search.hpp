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
// the tokenizer, so the user's text is never FTS syntax; a prefix phrase
// (one character) is followed by FTS5's `*`.
std::string fts_match(const std::vector<SearchPhrase>& phrases);

// Runs a search statement (rowid and bm25; the match bound to ?1) and keeps
// the best `limit` ids. Update times, the tie-break, are read (by
// `updated_at`, the id bound to ?1) only for the hits that can make the cut:
// a common word matches a good part of the records, and a lookup each would
// cost more than the ranking.
Result<std::vector<std::int64_t>> ranked(Statement* s, const std::string& match, int limit,
                                         Statement* updated_at);

}  // namespace hotline::store::sqlite
