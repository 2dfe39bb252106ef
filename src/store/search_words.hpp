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

// The same tokens into `out` (emptied first, its capacity kept), for callers
// that tokenize many texts in a row.
Status search_tokens_into(std::string_view text, std::vector<SearchToken>& out);

// Whether every byte of the text is ASCII: such text takes the fast path
// below, which ICU would answer the same way (search_tokenizer_test.cpp
// compares the two over a generated corpus).
bool is_ascii_text(std::string_view text) noexcept;

// The tokens of ASCII text handed to `emit(word, begin, end)` one at a time
// as they are found, without building a SearchToken for each: the runs of
// letters and digits, lower-cased, which is what ICU's word breaks cut again
// at punctuation give for ASCII. `word` points into `scratch` and is valid
// until the next call of `emit`; `emit` returns 0 to go on, anything else to
// stop, and that value is returned. Every ASCII token is plain: it neither
// joins the one before nor is a run's end or a lone character.
namespace detail {
// For each byte, its lower-case form if it is an ASCII letter or digit, else
// 0 (every byte above 0x7F among them).
struct AsciiWordChars {
  char lower[256] = {};
  constexpr AsciiWordChars() {
    for (int c = '0'; c <= '9'; ++c) lower[c] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) lower[c] = static_cast<char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) lower[c] = static_cast<char>(c - 'A' + 'a');
  }
};
inline constexpr AsciiWordChars kAsciiWordChars{};
}  // namespace detail

template <typename Emit>
int for_each_ascii_token(std::string_view text, std::string& scratch, Emit&& emit) {
  // Grown, never shrunk, so that the steady state neither allocates nor
  // clears: a word is written over whatever the last one left.
  if (scratch.size() < text.size()) scratch.resize(text.size());
  char* const word = scratch.data();
  const auto lower = [](char c) {
    return detail::kAsciiWordChars.lower[static_cast<unsigned char>(c)];
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    while (i < n && lower(text[i]) == 0) ++i;
    const std::size_t start = i;
    std::size_t length = 0;
    for (char c; i < n && (c = lower(text[i])) != 0; ++i) word[length++] = c;
    if (length == 0) break;
    if (int rc = emit(std::string_view(word, length), start, i); rc != 0) return rc;
  }
  return 0;
}

namespace detail {
// search_tokens() without the fast paths: ICU's answer for any text, so
// that tests can hold the fast paths to it.
Result<std::vector<SearchToken>> search_tokens_by_icu(std::string_view text);

// The fast path for text of Chinese, Japanese and Korean characters: the
// tokens of `text` into `out` (emptied first) and true, when every code point
// is ASCII, punctuation, a symbol or a space, or a character of the paired
// scripts in the first plane that is not a mark and folds to one to three
// bytes; false, with `out` in no particular state, for anything else
// (accented or other Latin, full-width letters and digits, marks and the
// half-width voicing marks, format and private-use characters, characters
// beyond the first plane or folding beyond it or to several characters such
// as ㈠, bytes that are not UTF-8), which search_tokens() hands to ICU. Each
// character is folded by ICU's own path the first time the process meets it
// and looked up after that, so the answer is ICU's
// (search_cjk_fast_path_test.cpp compares the two over every code point of
// the first plane and over generated text).
bool cjk_tokens(std::string_view text, std::vector<SearchToken>& out);

// Forgets every character the fast path has learnt, so that a test can watch
// threads meet characters for the first time. Only while no thread tokenizes.
void forget_cjk_chars_for_testing() noexcept;
}  // namespace detail

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
