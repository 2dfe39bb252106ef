// An article's tags as one column of text for the search index, the same on
// every backend so that BM25 sees the same lengths everywhere.
#pragma once

#include <string>
#include <vector>

namespace hotline::store {

inline std::string tags_text(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags) {
    if (!out.empty()) out += '\n';
    out += tag;
  }
  return out;
}

}  // namespace hotline::store
