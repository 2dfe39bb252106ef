#include "store/search/snippet.hpp"

#include <algorithm>
#include <utility>

namespace hotline::store::search {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// `at` moved back by up to `count` characters.
std::size_t back(std::string_view text, std::size_t at, std::size_t count) {
  while (count-- > 0 && at > 0) {
    --at;
    while (at > 0 && is_continuation(text[at])) --at;
  }
  return at;
}

// `at` moved forward by up to `count` characters.
std::size_t forward(std::string_view text, std::size_t at, std::size_t count) {
  while (count-- > 0 && at < text.size()) {
    ++at;
    while (at < text.size() && is_continuation(text[at])) ++at;
  }
  return at;
}

}  // namespace

Result<std::string> snippet(std::string_view text, const std::vector<SearchPhrase>& query,
                            std::size_t width) {
  auto tokens = search_tokens(text);
  if (!tokens) return std::move(tokens).error();
  const auto& t = *tokens;
  std::vector<std::pair<std::size_t, std::size_t>> marks;
  for (const auto& phrase : query) {
    const std::size_t n = phrase.words.size();
    if (n == 0 || n > t.size()) continue;
    for (std::size_t i = 0; i + n <= t.size(); ++i) {
      bool all = true;
      for (std::size_t k = 0; k < n && all; ++k) {
        all = phrase_word_matches(phrase, k, t[i + k].word);
      }
      if (!all) continue;
      // A prefix matches the first character of a pair: that character alone.
      const std::size_t end = phrase.prefix ? forward(text, t[i].begin, 1) : t[i + n - 1].end;
      marks.emplace_back(t[i].begin, end);
    }
  }
  if (marks.empty()) return std::string();
  // Overlapping marks (the pairs of one run, a word in two phrases) become one.
  std::sort(marks.begin(), marks.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged{marks.front()};
  for (const auto& m : marks) {
    if (m.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, m.second);
    } else {
      merged.push_back(m);
    }
  }
  // A fifth of the width before the first match, the rest after.
  // Starting at a word, not inside one.
  std::size_t from = back(text, merged.front().first, width / 5);
  if (from > 0) {
    for (const auto& token : t) {
      if (token.begin >= from) {
        from = token.begin;
        break;
      }
    }
  }
  std::size_t to = forward(text, from, width);
  to = std::max(to, merged.front().second);
  std::string out;
  if (from > 0) out += "…";
  std::size_t at = from;
  for (const auto& [begin, end] : merged) {
    if (begin >= to) break;
    const std::size_t stop = std::min(end, to);
    out.append(text.substr(at, begin - at));
    out += kMarkOpen;
    out.append(text.substr(begin, stop - begin));
    out += kMarkClose;
    at = stop;
  }
  out.append(text.substr(at, to - at));
  if (to < text.size()) out += "…";
  return out;
}

}  // namespace hotline::store::search
