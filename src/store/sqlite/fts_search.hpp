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

// How a search reads the update times that break ties between equal scores.
struct RecencyReads {
  // `updated_at` of the id bound to ?1.
  Statement* updated_at = nullptr;
  // Optional: every id with its `updated_at`, most recently updated first
  // (then the highest id), from an index. When many hits tie for the last
  // places (a query most records match: BM25 weighs its words nothing), the
  // newest of them are found by walking this instead of reading each hit.
  Statement* newest_first = nullptr;
};

// Searches the FTS5 table `fts_table` (a name from the code, never input)
// and keeps the best `limit` rowids, ranked by `hotline_bm25()` and the
// tie-break every backend shares. Update times are read only for the hits
// that can make the cut: a common word matches a good part of the records,
// and a lookup each would cost more than the ranking.
//
// A one-character query (a lone prefix phrase) counts its hits first: when
// half the rows or more hold it, BM25 weighs it nothing and every hit ties,
// and when more than search::kRecencyOnlyHolders hold it, it is ordered by
// recency alone; either way no score is computed. Any other query walks
// each phrase's holders only as far as search::kCountedHolders + 1. Either
// count, as search::weighed_holders() makes it, is handed to
// `hotline_bm25_best()`, which then does not walk the rows again, and which
// leaves unscored the rows that cannot be among the best `limit`.
Result<std::vector<std::int64_t>> ranked(Database& db, const char* fts_table,
                                         const std::vector<SearchPhrase>& phrases, int limit,
                                         const RecencyReads& recency);

}  // namespace hotline::store::sqlite
