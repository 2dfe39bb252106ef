#include "search_rank_function.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <new>
#include <queue>
#include <vector>

#include <fmt/format.h>

#include "fts5_api_of.hpp"
#include "store/search/ranking.hpp"
#include "store/try.hpp"

namespace hotline::store::sqlite {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr double kIdfFloor = 1e-6;
// Scores closer together than this are equal to the comparator
// (ranking.cpp rounds to thousandths); a score whose magnitude stays below
// half of it rounds to zero.
constexpr double kTieWidth = 0.001;

// What a query's rows share, computed on the first row: as FTS5's bm25().
struct QueryWeights {
  double average_length = 0;
  std::vector<double> idf;
  // No row can score away from zero (see the header): rows are not read.
  bool weightless = false;
  // Each phrase's occurrences in the current row, and the fewest tokens
  // each column can hold given where they stand: kept here so that a row
  // costs no allocation.
  std::vector<double> frequency;
  std::vector<int> least_size;
  // hotline_bm25_best(): the score buckets (search::score_bucket()) of the
  // best rows scored so far, at most `best` of them, the worst on top.
  std::size_t best = 0;
  std::priority_queue<std::int64_t> best_buckets;
};

int count_row(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  ++*static_cast<sqlite3_int64*>(user);
  return SQLITE_OK;
}

void destroy_weights(void* p) { delete static_cast<QueryWeights*>(p); }

// `given` holds the caller's count of the rows holding each phrase, when it
// has one for every phrase (sqlite::ranked() counts a one-character query's
// hits first); otherwise each phrase's rows are counted here, as FTS5 does.
int weights_of(const Fts5ExtensionApi* api, Fts5Context* fts, int given_count,
               sqlite3_value** given, std::size_t best, QueryWeights** out) {
  if (auto* cached = static_cast<QueryWeights*>(api->xGetAuxdata(fts, 0))) {
    *out = cached;
    return SQLITE_OK;
  }
  auto w = std::make_unique<QueryWeights>();  // bad_alloc is caught by the caller
  sqlite3_int64 rows = 0, tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc == SQLITE_OK) {
    w->average_length = static_cast<double>(tokens) / static_cast<double>(rows);
    const int phrases = api->xPhraseCount(fts);
    w->idf.resize(static_cast<std::size_t>(phrases));
    w->frequency.resize(static_cast<std::size_t>(phrases));
    w->least_size.resize(static_cast<std::size_t>(std::max(api->xColumnCount(fts), 0)));
    w->best = best;
    bool all_floored = true;
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
      sqlite3_int64 holders = 0;
      if (given_count == phrases) {
        // A count estimated from part of the rows may pass their number.
        holders = std::min(sqlite3_value_int64(given[i]), rows);
      } else {
        rc = api->xQueryPhrase(fts, i, &holders, count_row);
        if (rc != SQLITE_OK) break;
      }
      double idf = std::log((static_cast<double>(rows - holders) + 0.5) /
                            (static_cast<double>(holders) + 0.5));
      if (idf <= 0.0) {
        idf = kIdfFloor;
      } else {
        all_floored = false;
      }
      w->idf[static_cast<std::size_t>(i)] = idf;
    }
    // A row's score is at most the sum of its phrases' weights times k1 + 1.
    w->weightless = all_floored &&
                    static_cast<double>(phrases) * kIdfFloor * (kK1 + 1.0) < kTieWidth / 2;
  }
  if (rc != SQLITE_OK) return rc;
  QueryWeights* kept = w.release();
  rc = api->xSetAuxdata(fts, kept, destroy_weights);  // which deletes it on failure
  if (rc == SQLITE_OK) *out = kept;
  return rc;
}

// BM25 of the current row from its phrases' frequencies and its length.
double score_of(const QueryWeights& w, double length) {
  double score = 0;
  for (std::size_t i = 0; i < w.frequency.size(); ++i) {
    const double f = w.frequency[i];
    score += w.idf[i] * ((f * (kK1 + 1.0)) /
                         (f + kK1 * (1 - kB + kB * length / w.average_length)));
  }
  return score;
}

// Scores the current row, FTS5's sign (lower is better). With `w.best` set,
// a row that cannot rank among the best `w.best` scored so far is not
// scored: `*skipped` is set instead, and its size is not read.
int score_row(const Fts5ExtensionApi* api, Fts5Context* fts, QueryWeights& w, double* out,
              bool* skipped) {
  *skipped = false;
  std::fill(w.frequency.begin(), w.frequency.end(), 0.0);
  std::fill(w.least_size.begin(), w.least_size.end(), 0);
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc != SQLITE_OK) break;
    w.frequency[static_cast<std::size_t>(phrase)] += 1.0;
    // The column holds at least the tokens up to the end of this match.
    const int end = offset + api->xPhraseSize(fts, phrase);
    auto& least = w.least_size[static_cast<std::size_t>(column)];
    least = std::max(least, end);
  }
  if (rc != SQLITE_OK) return rc;
  if (w.best > 0 && w.best_buckets.size() == w.best) {
    // The score falls as the row grows longer: at the fewest tokens the
    // row can hold it is at its best. Skipped only when even that rounds
    // to a worse bucket than the worst of the best so far, which can only
    // improve as more rows come: the row would fall outside
    // search::keep_contenders() in any case.
    double least = 0;
    for (const int n : w.least_size) least += n;
    if (search::score_bucket(-1.0 * score_of(w, least)) > w.best_buckets.top()) {
      *skipped = true;
      return SQLITE_OK;
    }
  }
  int length = 0;
  rc = api->xColumnSize(fts, -1, &length);
  if (rc != SQLITE_OK) return rc;
  *out = -1.0 * score_of(w, static_cast<double>(length));
  if (w.best > 0) {
    const std::int64_t bucket = search::score_bucket(*out);
    if (w.best_buckets.size() < w.best) {
      w.best_buckets.push(bucket);
    } else if (bucket < w.best_buckets.top()) {
      w.best_buckets.pop();
      w.best_buckets.push(bucket);
    }
  }
  return SQLITE_OK;
}

// hotline_bm25(table, holders...) and, with `best` > 0,
// hotline_bm25_best(table, best, holders...).
void rank_row(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
              std::size_t best, int given_count, sqlite3_value** given) {
  try {
    QueryWeights* w = nullptr;
    int rc = weights_of(api, fts, given_count, given, best, &w);
    if (rc == SQLITE_OK && w->weightless) {
      sqlite3_result_double(ctx, 0.0);
      return;
    }
    double score = 0;
    bool skipped = false;
    if (rc == SQLITE_OK) rc = score_row(api, fts, *w, &score, &skipped);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
    } else if (skipped) {
      sqlite3_result_null(ctx);
    } else {
      sqlite3_result_double(ctx, score);
    }
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  } catch (...) {
    sqlite3_result_error(ctx, "hotline_bm25 failed", -1);
  }
}

void hotline_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                  int given_count, sqlite3_value** given) {
  rank_row(api, fts, ctx, 0, given_count, given);
}

void hotline_bm25_best(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                       int given_count, sqlite3_value** given) {
  if (given_count < 1 || sqlite3_value_type(given[0]) != SQLITE_INTEGER ||
      sqlite3_value_int64(given[0]) < 1) {
    sqlite3_result_error(ctx, "hotline_bm25_best: the second argument must be a count above 0",
                         -1);
    return;
  }
  // The bound is a heap of that many buckets: past a million places it would
  // cost more than it saves, so such a limit scores every row (and so never
  // drops one the other backends would return).
  constexpr sqlite3_int64 kMostPlacesBounded = 1 << 20;
  const sqlite3_int64 places = sqlite3_value_int64(given[0]);
  const auto best = static_cast<std::size_t>(places > kMostPlacesBounded ? 0 : places);
  rank_row(api, fts, ctx, best, given_count - 1, given + 1);
}

void hotline_row_count(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                       int, sqlite3_value**) {
  sqlite3_int64 rows = 0;
  const int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) {
    sqlite3_result_int64(ctx, rows);
  } else {
    sqlite3_result_error_code(ctx, rc);
  }
}

}  // namespace

Status register_search_rank_function(sqlite3* db) {
  HL_STORE_TRY(api, fts5_api_of(db));
  if (api->xCreateFunction(api, "hotline_bm25", nullptr, hotline_bm25, nullptr) != SQLITE_OK) {
    return make_error(Errc::kInternal, "registering the search ranking with FTS5 failed");
  }
  if (api->xCreateFunction(api, "hotline_bm25_best", nullptr, hotline_bm25_best, nullptr) !=
      SQLITE_OK) {
    return make_error(Errc::kInternal, "registering the search ranking with FTS5 failed");
  }
  if (api->xCreateFunction(api, "hotline_row_count", nullptr, hotline_row_count, nullptr) !=
      SQLITE_OK) {
    return make_error(Errc::kInternal, "registering the search row count with FTS5 failed");
  }
  return {};
}

}  // namespace hotline::store::sqlite
