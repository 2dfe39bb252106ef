#include "store/search/ranking.hpp"

#include <algorithm>
#include <cmath>

namespace hotline::store::search {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// How often `phrase` occurs in `words`, counting every start.
int occurrences(const std::vector<std::string>& words, const SearchPhrase& phrase) {
  const std::size_t n = phrase.words.size();
  if (n == 0 || words.size() < n) return 0;
  int count = 0;
  for (std::size_t i = 0; i + n <= words.size(); ++i) {
    bool all = true;
    for (std::size_t k = 0; k < n && all; ++k) all = phrase_word_matches(phrase, k, words[i + k]);
    if (all) ++count;
  }
  return count;
}

}  // namespace

std::int64_t score_bucket(double bm25) { return std::llround(bm25 * 1000.0); }

std::int64_t weighed_holders(std::int64_t counted, std::int64_t last_counted,
                             std::int64_t first_id, std::int64_t last_id, std::int64_t records) {
  if (counted <= kCountedHolders) return counted;
  // The ids from first_id to last_counted hold `counted`; the whole range
  // holds as many times more as it is wider.
  const double covered = static_cast<double>(last_counted) - static_cast<double>(first_id) + 1.0;
  const double span = static_cast<double>(last_id) - static_cast<double>(first_id) + 1.0;
  double estimate = static_cast<double>(counted);
  if (covered > 0 && span > covered) estimate = std::round(estimate * span / covered);
  // Within the records (a caller that leaves that bound to the ranking
  // passes the largest count), and within what an int64 holds.
  estimate = std::min({estimate, static_cast<double>(std::max(counted, records)), 9e18});
  return std::max(counted, static_cast<std::int64_t>(estimate));
}

bool counts_every_holder(std::int64_t estimate, std::int64_t records) {
  return estimate > kCountedHolders && 2 * estimate >= records;
}

bool scored_by_bm25(const std::vector<SearchPhrase>& query, std::int64_t holders_of_first) {
  const bool lone_character = query.size() == 1 && query[0].prefix;
  return !(lone_character && holders_of_first > kRecencyOnlyHolders);
}

bool ranks_before(const Scored& a, const Scored& b) {
  const auto sa = score_bucket(a.bm25);
  const auto sb = score_bucket(b.bm25);
  if (sa != sb) return sa < sb;
  if (a.updated_at != b.updated_at) return a.updated_at > b.updated_at;
  return a.id > b.id;
}

void keep_contenders(std::vector<Scored>& hits, int limit) {
  const auto keep = static_cast<std::size_t>(std::max(limit, 0));
  if (hits.size() <= keep) return;
  if (keep == 0) {
    hits.clear();
    return;
  }
  std::vector<std::int64_t> buckets;
  buckets.reserve(hits.size());
  for (const auto& h : hits) buckets.push_back(score_bucket(h.bm25));
  std::nth_element(buckets.begin(), buckets.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                   buckets.end());
  const std::int64_t worst = buckets[keep - 1];
  hits.erase(std::remove_if(hits.begin(), hits.end(),
                            [&](const Scored& h) { return score_bucket(h.bm25) > worst; }),
             hits.end());
}

void keep_best(std::vector<Scored>& hits, int limit) {
  const auto keep = std::min(hits.size(), static_cast<std::size_t>(std::max(limit, 0)));
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(),
                    ranks_before);
  hits.resize(keep);
}

std::vector<std::int64_t> rank(const std::vector<IndexedRecord>& records,
                               const std::vector<SearchPhrase>& query, int limit) {
  std::vector<std::int64_t> out;
  if (records.empty() || query.empty() || limit <= 0) return out;
  // freq[r][p]: occurrences of phrase p in record r, over all its columns.
  std::vector<std::vector<int>> freq(records.size(), std::vector<int>(query.size(), 0));
  std::vector<int> holders(query.size(), 0);
  std::vector<double> length(records.size(), 0);
  double total_length = 0;
  for (std::size_t r = 0; r < records.size(); ++r) {
    for (const auto& column : records[r].columns) {
      length[r] += static_cast<double>(column.size());
      for (std::size_t p = 0; p < query.size(); ++p) freq[r][p] += occurrences(column, query[p]);
    }
    total_length += length[r];
    for (std::size_t p = 0; p < query.size(); ++p) holders[p] += freq[r][p] > 0 ? 1 : 0;
  }
  const double rows = static_cast<double>(records.size());
  const double average_length = total_length / rows;
  std::int64_t first_id = records[0].id, last_id = records[0].id;
  for (const auto& r : records) {
    first_id = std::min(first_id, r.id);
    last_id = std::max(last_id, r.id);
  }
  std::vector<double> idf(query.size());
  for (std::size_t p = 0; p < query.size(); ++p) {
    // The walk a store makes, ids upwards, stops at the first holder past
    // kCountedHolders: the id it stops at is the (kCountedHolders + 1)-th
    // smallest holding one.
    double weighed = holders[p];
    if (holders[p] > kCountedHolders) {
      std::vector<std::int64_t> ids;
      ids.reserve(static_cast<std::size_t>(holders[p]));
      for (std::size_t r = 0; r < records.size(); ++r) {
        if (freq[r][p] > 0) ids.push_back(records[r].id);
      }
      const auto stop = ids.begin() + kCountedHolders;
      std::nth_element(ids.begin(), stop, ids.end());
      const auto records_count = static_cast<std::int64_t>(records.size());
      const std::int64_t estimate =
          weighed_holders(kCountedHolders + 1, *stop, first_id, last_id, records_count);
      if (!counts_every_holder(estimate, records_count)) weighed = static_cast<double>(estimate);
    }
    idf[p] = std::log((rows - weighed + 0.5) / (weighed + 0.5));
    if (idf[p] <= 0.0) idf[p] = 1e-6;
  }
  const bool scored = scored_by_bm25(query, holders[0]);
  std::vector<Scored> hits;
  for (std::size_t r = 0; r < records.size(); ++r) {
    const bool all = std::all_of(freq[r].begin(), freq[r].end(), [](int f) { return f > 0; });
    if (!all) continue;
    double score = 0;
    for (std::size_t p = 0; scored && p < query.size(); ++p) {
      const double f = freq[r][p];
      score += idf[p] * ((f * (kK1 + 1.0)) /
                         (f + kK1 * (1 - kB + kB * length[r] / average_length)));
    }
    hits.push_back(Scored{records[r].id, -1.0 * score, records[r].updated_at});
  }
  keep_best(hits, limit);
  out.reserve(hits.size());
  for (const auto& h : hits) out.push_back(h.id);
  return out;
}

}  // namespace hotline::store::search
