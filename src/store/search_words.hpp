// The words of a text as search sees them, on every backend (the SQLite
// index's tokenizer, the memory and key-value backends, the knowledge base):
// one ICU-based tokenizer, so that every backend finds the same records.
//
// Folding: NFKC (full-width and half-width forms become one), lower case,
// accents removed from Latin letters, Traditional Chinese to Simplified.
// Splitting: runs of Han, Hiragana, Katakana and Hangul become overlapping
// character pairs ("订单号" → "订单", "单号"; a run of one character is
// itself); other scripts are split by ICU's word breaks, and a word is cut
// again at the punctuation inside it ("e-mail" → "e", "mail").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/result.hpp"

namespace hotline::store {

struct SearchToken {
  std::string word;        // folded
  std::size_t begin = 0;   // the bytes of the original text it came from
  std::size_t end = 0;
  // The token overlaps the one before it (the next pair of one run of Chinese
  // or Japanese characters): a query wants such tokens next to each other.
  bool joins_previous = false;
};

// The tokens of a text in order; a token's position is its index.
Result<std::vector<SearchToken>> search_tokens(std::string_view text);

// The folded words of search_tokens(), for an index.
Result<std::vector<std::string>> search_words(std::string_view text);

// A person's name: its words, and for each run of Han characters its pinyin
// without tones, per syllable and joined ("张三" → "张三", "zhang", "san",
// "zhangsan"), so that an agent can type either.
Result<std::vector<std::string>> name_search_words(std::string_view name);

// A query: groups of words, each group a phrase whose words must stand next
// to each other in the text (the pairs of one run of characters); a record
// matches when it holds every phrase.
using SearchPhrase = std::vector<std::string>;
Result<std::vector<SearchPhrase>> search_query(std::string_view text);

}  // namespace hotline::store
