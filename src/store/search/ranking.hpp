// Search ranking, the same on every backend: Okapi BM25 as SQLite's FTS5
// computes it (k1 = 1.2, b = 0.75, a phrase's inverse document frequency
// floored at 1e-6), then recency. Scores within 0.001 of each other count
// as equal, so matches the words cannot tell apart (a word in half the
// records or more weighs nothing) are ordered newest first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotline/util/time.hpp"
#include "store/search_words.hpp"

namespace hotline::store::search {

// A one-character query held by more records than this is ordered by
// recency alone (most recently updated first, then the highest id): a
// character that common says little about relevance, and scoring every
// record that holds it (hundreds of thousands in a large store) would cost
// far more than the answer is worth.
constexpr std::int64_t kRecencyOnlyHolders = 10'000;

// A phrase's holders (the records holding it, from which BM25 weighs it)
// are counted up to one more than this many, walking ids upwards. Counting
// every holder of a common word means walking a list as long as a good part
// of the records, which on a large store costs more than the rest of the
// query; the weight of a word that common changes little with the exact
// count, so it is estimated instead (weighed_holders()).
constexpr std::int64_t kCountedHolders = 2'000;

// The holder count a phrase is weighed by, the same on every backend.
// `counted` is how many holders the walk found, at most kCountedHolders + 1;
// `last_counted` the id of the last of them; the `records` indexed have ids
// from `first_id` to `last_id`. Up to kCountedHolders it is the count itself.
// Beyond, the walk stopped early: the count is scaled from the share of the
// id range it covered, assuming the holders spread over the ids as over the
// first part (about 2 % off for evenly spread words, from 2,001 samples),
// rounded, and kept between the holders seen and `records`.
std::int64_t weighed_holders(std::int64_t counted, std::int64_t last_counted, std::int64_t first_id,
                       std::int64_t last_id, std::int64_t records);

// Whether an estimate from weighed_holders() is set aside for a count of
// every holder: when it reaches half the records, BM25 would weigh the
// phrase nothing, and a phrase that filled the oldest ids but is rare
// since (an old product's name) must not lose its weight to an estimate.
bool counts_every_holder(std::int64_t estimate, std::int64_t records);

// Whether a query is scored at all, given how many records hold its
// phrases: not a lone character held by more than kRecencyOnlyHolders.
bool scored_by_bm25(const std::vector<SearchPhrase>& query, std::int64_t holders_of_first);

struct Scored {
  std::int64_t id = 0;
  double bm25 = 0;       // FTS5's sign: lower is better
  TimeMs updated_at = 0;
};

// A score rounded to thousandths: scores in one bucket are equal.
std::int64_t score_bucket(double bm25);

// Best first: BM25, then the most recently updated, then the highest id.
bool ranks_before(const Scored& a, const Scored& b);

// The hits that can be among the best `limit` whatever their update times:
// those scoring as well as the limit-th best or better. A backend that reads
// update times separately (SQLite) reads them for these only.
void keep_contenders(std::vector<Scored>& hits, int limit);

// Sorts best first and keeps at most `limit`.
void keep_best(std::vector<Scored>& hits, int limit);

// A record as the index sees it: the folded words of each of its columns.
struct IndexedRecord {
  std::int64_t id = 0;
  TimeMs updated_at = 0;
  std::vector<std::vector<std::string>> columns;
};

// The records holding every phrase of the query (a phrase's words next to
// each other within one column), best first, at most `limit`; the statistics
// (record count, average length, how many hold each phrase) are taken over
// all of `records`, as FTS5 takes them over its whole index, each phrase's
// holders as weighed_holders() counts them.
std::vector<std::int64_t> rank(const std::vector<IndexedRecord>& records,
                               const std::vector<SearchPhrase>& query, int limit);

}  // namespace hotline::store::search
