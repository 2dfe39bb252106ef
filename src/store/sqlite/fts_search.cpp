#include "fts_search.hpp"

#include "store/search/ranking.hpp"
#include "store/try.hpp"

namespace hotline::store::sqlite {

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

Result<std::vector<std::int64_t>> ranked(Statement* s, const std::string& match, int limit,
                                         Statement* updated_at) {
  std::vector<search::Scored> hits;
  {
    ScopedReset reset(s);
    s->bind(1, match);
    for (;;) {
      HL_STORE_TRY(row, s->step());
      if (!row) break;
      hits.push_back(search::Scored{s->int64(0), s->real(1), 0});
    }
  }
  search::keep_contenders(hits, limit);
  for (auto& h : hits) {
    ScopedReset reset(updated_at);
    updated_at->bind(1, h.id);
    HL_STORE_TRY(row, updated_at->step());
    if (row) h.updated_at = updated_at->int64(0);
  }
  search::keep_best(hits, limit);
  std::vector<std::int64_t> ids;
  ids.reserve(hits.size());
  for (const auto& h : hits) ids.push_back(h.id);
  return ids;
}

}  // namespace hotline::store::sqlite
