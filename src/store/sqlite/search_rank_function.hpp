// `hotline_bm25(table)`, an FTS5 ranking function registered on every
// connection the store opens: Okapi BM25 exactly as FTS5's own `bm25()`
// computes it (k1 = 1.2, b = 0.75, every column weighted 1, a phrase's inverse
// document frequency floored at 1e-6), so its scores are the ones the other
// backends compute (store/search/ranking.hpp).
//
// It differs in one thing: when every phrase of the query is held by half
// the rows or more, each phrase weighs only its floor and no row can score
// further than 0.001 from zero, where the shared comparator counts scores as
// equal. The function then returns 0 for every row without reading the row's
// positions and size, which FTS5's `bm25()` reads for each match: that is
// most of the cost of a query (a one-character query, say) that matches a
// large part of the index.
//
// `hotline_bm25(table, holders...)` takes, for each phrase of the query, the
// number of rows holding it, when the caller has counted them already; FTS5
// then need not walk each phrase's rows a second time. sqlite::ranked()
// hands in the counts the ranking weighs by (search::weighed_holders(): an
// estimate for a phrase held by more than search::kCountedHolders rows); a
// count above the rows' is taken as theirs.
//
// `hotline_bm25_best(table, best, holders...)` scores as `hotline_bm25()`
// but returns NULL for a row that cannot be among the `best` best: its score
// at the fewest tokens the row can hold (where its matches end in each
// column) rounds worse than the `best` best scored so far. Such a row would
// not make the cut whatever its size, and its size (a lookup per row, most
// of the cost of a query matching thousands of rows) is not read.
// `hotline_row_count(table)` is the number of rows BM25 counts with.
#pragma once

#include "hotline/util/result.hpp"

struct sqlite3;

namespace hotline::store::sqlite {

Status register_search_rank_function(sqlite3* db);

}  // namespace hotline::store::sqlite
