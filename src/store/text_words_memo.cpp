#include "text_words_memo.hpp"

#include <algorithm>
#include <utility>

#include "store/search_words.hpp"
#include "store/try.hpp"

namespace hotline::store {

Result<const std::vector<std::string>*> TextWordsMemo::words(Key key, std::string_view text) {
  auto found = entries_.find(key);
  if (found != entries_.end() && found->second.text == text) return &found->second.words;
  HL_STORE_TRY(words, search_words(text));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  Entry& entry = entries_[key];
  entry.text.assign(text);
  entry.words = std::move(words);
  return &entry.words;
}

void TextWordsMemo::keep_only(const std::unordered_set<std::int64_t>& ids) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (ids.count(it->first.id)) {
      ++it;
    } else {
      it = entries_.erase(it);
    }
  }
}

}  // namespace hotline::store
