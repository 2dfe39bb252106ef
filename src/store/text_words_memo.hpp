// The folded words of texts the knowledge base matches again and again (an
// article's title and body, a script's text), computed once per text rather
// than on every suggestion: tokenizing is ICU work, and a suggestion reads
// every published article and script.
//
// An entry is keyed by its record and field and keeps the text it was computed
// from, so a changed text (an edit, a write by another process, a deleted id
// used again) is tokenized afresh: the memo never answers for a text it did
// not see. Like the service that holds it, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hotline/util/result.hpp"

namespace hotline::store {

class TextWordsMemo {
 public:
  // What a text belongs to: a record's id and which of its texts.
  struct Key {
    std::int64_t id = 0;
    int field = 0;
    bool operator==(const Key& o) const { return id == o.id && field == o.field; }
  };

  // The sorted, distinct words search_words() gives for `text`.
  Result<const std::vector<std::string>*> words(Key key, std::string_view text);

  // Forgets the entries of records not in `ids` (deleted since).
  void keep_only(const std::unordered_set<std::int64_t>& ids);

  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<std::int64_t>()(k.id) ^ (static_cast<std::size_t>(k.field) << 1);
    }
  };
  struct Entry {
    std::string text;
    std::vector<std::string> words;
  };
  std::unordered_map<Key, Entry, KeyHash> entries_;
};

}  // namespace hotline::store
