#include "fts_search.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "store/search/ranking.hpp"
#include "store/try.hpp"

namespace hotline::store::sqlite {
namespace {

// Below this many tied hits, reading each one's update time is cheaper than
// walking the recency index.
constexpr std::size_t kWalkFrom = 256;
// The walk gives up after this many index entries per tied hit (the tied
// hits are then a small share of the records) and reads each hit instead.
constexpr std::size_t kWalkStepsPerHit = 8;

Status read_each(std::vector<search::Scored>& hits, Statement* updated_at) {
  for (auto& h : hits) {
    ScopedReset reset(updated_at);
    updated_at->bind(1, h.id);
    HL_STORE_TRY(row, updated_at->step());
    if (row) h.updated_at = updated_at->int64(0);
  }
  return {};
}

// The `wanted` most recent of `tied` (sorted by id), with their update
// times, from the newest-first walk; false when the walk ran out of budget
// or of rows before finding them.
Result<bool> newest_of(const std::vector<search::Scored>& tied, std::size_t wanted,
                       Statement* newest_first, std::vector<search::Scored>& out) {
  ScopedReset reset(newest_first);
  const std::size_t budget = tied.size() * kWalkStepsPerHit;
  std::size_t found = 0;
  for (std::size_t steps = 0; found < wanted && steps < budget; ++steps) {
    HL_STORE_TRY(row, newest_first->step());
    if (!row) break;
    const std::int64_t id = newest_first->int64(0);
    const auto it = std::lower_bound(
        tied.begin(), tied.end(), id,
        [](const search::Scored& h, std::int64_t v) { return h.id < v; });
    if (it == tied.end() || it->id != id) continue;
    search::Scored hit = *it;
    hit.updated_at = newest_first->int64(1);
    out.push_back(hit);
    ++found;
  }
  return found == wanted;
}

}  // namespace

std::string fts_match(const std::vector<SearchPhrase>& phrases) {
  std::string match;
  for (const auto& phrase : phrases) {
    if (!match.empty()) match += ' ';
    match += '"';
    for (std::size_t i = 0; i < phrase.words.size(); ++i) {
      if (i) match += ' ';
      match += phrase.words[i];
    }
    match += '"';
    if (phrase.prefix) match += " *";
  }
  return match;
}

Result<std::vector<std::int64_t>> ranked(Database& db, const char* fts_table,
                                         const std::vector<SearchPhrase>& phrases, int limit,
                                         const RecencyReads& recency) {
  const std::string match = fts_match(phrases);
  std::vector<search::Scored> hits;
  // The ids the index spans, read once and only when a phrase is held by
  // more rows than are counted (search::weighed_holders()).
  std::int64_t first_id = 0, last_id = 0;
  bool have_span = false;
  auto weighed = [&](std::int64_t counted, std::int64_t last_counted,
                     std::int64_t rows) -> Result<std::int64_t> {
    if (counted > search::kCountedHolders && !have_span) {
      HL_STORE_TRY(span, db.prepare(fmt::format("SELECT (SELECT min(id) FROM {0}_docsize), "
                                                "(SELECT max(id) FROM {0}_docsize)",
                                                fts_table)));
      ScopedReset reset(span);
      HL_STORE_TRY(row, span->step());
      if (!row) return db.error("reading the search index's id range");
      first_id = span->int64(0);
      last_id = span->int64(1);
      have_span = true;
    }
    return search::weighed_holders(counted, last_counted, first_id, last_id, rows);
  };
  bool have_scores = false;
  std::vector<std::int64_t> holders;  // each phrase's, as weighed
  if (phrases.size() == 1 && phrases[0].prefix) {
    HL_STORE_TRY(counted, db.prepare(fmt::format(
                              "SELECT rowid, hotline_row_count({0}) FROM {0} WHERE {0} MATCH ?1 "
                              "ORDER BY rowid",
                              fts_table)));
    ScopedReset reset(counted);
    counted->bind(1, match);
    std::int64_t rows = 0;
    for (;;) {
      HL_STORE_TRY(row, counted->step());
      if (!row) break;
      rows = counted->int64(1);
      hits.push_back(search::Scored{counted->int64(0), 0.0, 0});
    }
    const auto all = static_cast<std::int64_t>(hits.size());
    const std::int64_t walked = std::min(all, search::kCountedHolders + 1);
    HL_STORE_TRY(estimate, weighed(walked, walked ? hits[walked - 1].id : 0, rows));
    const std::int64_t weight = search::counts_every_holder(estimate, rows) ? all : estimate;
    holders.push_back(weight);
    // With half the rows or more holding the phrase, FTS5's inverse
    // document frequency is not above zero, so floored: the one phrase
    // weighs 1e-6 and every score rounds to the same 0. Held by more than
    // search::kRecencyOnlyHolders, it is not scored on any backend.
    have_scores = hits.empty() || 2 * weight >= rows ||
                  !search::scored_by_bm25(phrases, all);
    if (!have_scores) hits.clear();
  } else {
    // Each phrase's holders, walked in id order as far as the ranking
    // counts them. The row count is read only for an estimate.
    HL_STORE_TRY(walk, db.prepare(fmt::format(
                           "SELECT rowid FROM {0} WHERE {0} MATCH ?1 ORDER BY rowid LIMIT ?2",
                           fts_table)));
    std::int64_t rows = -1;
    for (const auto& phrase : phrases) {
      const std::string phrase_match = fts_match({phrase});
      std::int64_t found = 0, last = 0;
      {
        ScopedReset reset(walk);
        walk->bind(1, phrase_match).bind(2, search::kCountedHolders + 1);
        for (;;) {
          HL_STORE_TRY(row, walk->step());
          if (!row) break;
          ++found;
          last = walk->int64(0);
        }
      }
      if (found == 0) return std::vector<std::int64_t>{};  // no row holds every phrase
      if (found <= search::kCountedHolders) {
        holders.push_back(found);
        continue;
      }
      if (rows < 0) {
        HL_STORE_TRY(count, db.prepare(fmt::format(
                                "SELECT hotline_row_count({0}) FROM {0} WHERE {0} MATCH ?1 LIMIT 1",
                                fts_table)));
        ScopedReset reset(count);
        count->bind(1, phrase_match);
        HL_STORE_TRY(row, count->step());
        if (!row) return db.error("counting the search index's rows");
        rows = count->int64(0);
      }
      HL_STORE_TRY(estimate, weighed(found, last, rows));
      if (search::counts_every_holder(estimate, rows)) {
        HL_STORE_TRY(all, db.prepare(fmt::format(
                              "SELECT count(*) FROM {0} WHERE {0} MATCH ?1", fts_table)));
        ScopedReset reset(all);
        all->bind(1, phrase_match);
        HL_STORE_TRY(row, all->step());
        if (!row) return db.error("counting a search word's holders");
        estimate = all->int64(0);
      }
      holders.push_back(estimate);
    }
  }
  if (!have_scores) {
    // Rows that cannot be among the best `limit` come back NULL, unscored.
    std::string given;
    for (std::size_t i = 0; i < holders.size(); ++i) given += fmt::format(", ?{}", i + 3);
    HL_STORE_TRY(s, db.prepare(fmt::format("SELECT rowid, hotline_bm25_best({0}, ?2{1}) "
                                           "FROM {0} WHERE {0} MATCH ?1",
                                           fts_table, given)));
    ScopedReset reset(s);
    s->bind(1, match).bind(2, std::max(limit, 1));
    for (std::size_t i = 0; i < holders.size(); ++i) {
      s->bind(static_cast<int>(i) + 3, holders[i]);
    }
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      if (s->is_null(1)) continue;
      hits.push_back(search::Scored{s->int64(0), s->real(1), 0});
    }
  }
  const auto keep = static_cast<std::size_t>(std::max(limit, 0));
  search::keep_contenders(hits, limit);
  bool recency_read = false;
  if (hits.size() > keep && recency.newest_first) {
    // The contenders are those scoring better than the cut, all of which
    // stay, and those tied at it, of which the newest fill the places left.
    // The cut is the worst bucket among the contenders; buckets are negative
    // wherever BM25 gives the words weight, so it starts below them all.
    std::int64_t cut = std::numeric_limits<std::int64_t>::min();
    for (const auto& h : hits) cut = std::max(cut, search::score_bucket(h.bm25));
    std::vector<search::Scored> better, tied;
    for (const auto& h : hits) (search::score_bucket(h.bm25) < cut ? better : tied).push_back(h);
    if (tied.size() >= kWalkFrom) {
      std::sort(tied.begin(), tied.end(),
                [](const search::Scored& a, const search::Scored& b) { return a.id < b.id; });
      std::vector<search::Scored> newest;
      HL_STORE_TRY(walked, newest_of(tied, keep - better.size(), recency.newest_first, newest));
      if (walked) {
        HL_STORE_CHECK(read_each(better, recency.updated_at));
        hits = std::move(better);
        hits.insert(hits.end(), newest.begin(), newest.end());
        recency_read = true;
      }
    }
  }
  if (!recency_read) HL_STORE_CHECK(read_each(hits, recency.updated_at));
  search::keep_best(hits, limit);
  std::vector<std::int64_t> ids;
  ids.reserve(hits.size());
  for (const auto& h : hits) ids.push_back(h.id);
  return ids;
}

}  // namespace hotline::store::sqlite
