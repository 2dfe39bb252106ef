#include "search_rank_function.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <new>
#include <vector>

#include <fmt/format.h>

#include "fts5_api_of.hpp"
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
  // Each phrase's occurrences in the current row: kept here so that a row
  // costs no allocation.
  std::vector<double> frequency;
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
               sqlite3_value** given, QueryWeights** out) {
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
    bool all_floored = true;
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
      sqlite3_int64 holders = 0;
      if (given_count == phrases) {
        holders = sqlite3_value_int64(given[i]);
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

void hotline_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx,
                  int given_count, sqlite3_value** given) {
  try {
    QueryWeights* w = nullptr;
    int rc = weights_of(api, fts, given_count, given, &w);
    if (rc == SQLITE_OK && w->weightless) {
      sqlite3_result_double(ctx, 0.0);
      return;
    }
    int instances = 0;
    if (rc == SQLITE_OK) std::fill(w->frequency.begin(), w->frequency.end(), 0.0);
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
      int phrase = 0, column = 0, offset = 0;
      rc = api->xInst(fts, i, &phrase, &column, &offset);
      if (rc == SQLITE_OK) w->frequency[static_cast<std::size_t>(phrase)] += 1.0;
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    double score = 0;
    for (std::size_t i = 0; i < w->frequency.size(); ++i) {
      const double f = w->frequency[i];
      score += w->idf[i] * ((f * (kK1 + 1.0)) /
                            (f + kK1 * (1 - kB + kB * static_cast<double>(length) /
                                                     w->average_length)));
    }
    sqlite3_result_double(ctx, -1.0 * score);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  } catch (...) {
    sqlite3_result_error(ctx, "hotline_bm25 failed", -1);
  }
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
  if (api->xCreateFunction(api, "hotline_row_count", nullptr, hotline_row_count, nullptr) !=
      SQLITE_OK) {
    return make_error(Errc::kInternal, "registering the search row count with FTS5 failed");
  }
  return {};
}

}  // namespace hotline::store::sqlite
