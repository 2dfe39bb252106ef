// The words of a text as search sees them, on every backend (the SQLite
// index's tokenizer, the memory and key-value backends, the knowledge base):
// one ICU-based tokenizer, so that every backend finds the same records.
//
// Folding: NFKC (full-width and half-width forms become one), lower case,
// accents removed from Latin letters, Traditional Chinese to Simplified.
// Splitting: runs of Han, Hiragana, Katakana and Hangul become overlapping
// character pairs and their last character alone ("订单号" → "订单", "单号",
// "号"; a run of one character is itself), so that every character of a run
// begins exactly one token; other scripts are split by ICU's word breaks, and a word is cut
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
  // The last character of a run of two or more, alone: indexed so that a
  // one-character query finds the character wherever it stands in a run,
  // never part of a query's phrase.
  bool run_end = false;
  // A run of one character: a query takes it as a prefix (SearchPhrase).
  bool lone_char = false;
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
// matches when it holds every phrase. A run of one character is a prefix:
// it matches every token that character begins (the pairs it starts and a
// run's last character), so "卡" finds "银行卡" and "卡号".
struct SearchPhrase {
  std::vector<std::string> words;
  bool prefix = false;
  bool operator==(const SearchPhrase& o) const { return words == o.words && prefix == o.prefix; }
};

// Whether `word`, a token of the index, is matched by the phrase's word at
// that place (equal, or beginning with it for a prefix).
bool phrase_word_matches(const SearchPhrase& phrase, std::size_t i, std::string_view word);
Result<std::vector<SearchPhrase>> search_query(std::string_view text);

}  // namespace hotline::store
