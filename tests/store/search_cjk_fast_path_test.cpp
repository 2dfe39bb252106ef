// The fast path for Chinese, Japanese and Korean text must list exactly what
// ICU's general path lists, take most such text itself, and hand everything
// it cannot decide to ICU.
#include <doctest/doctest.h>

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/search_words.hpp"

using namespace hotline::store;

namespace {

void require_same(const std::vector<SearchToken>& fast, const std::vector<SearchToken>& icu) {
  REQUIRE(fast.size() == icu.size());
  for (std::size_t k = 0; k < fast.size(); ++k) {
    INFO("token ", k);
    CHECK(fast[k].word == icu[k].word);
    CHECK(fast[k].begin == icu[k].begin);
    CHECK(fast[k].end == icu[k].end);
    CHECK(fast[k].joins_previous == icu[k].joins_previous);
    CHECK(fast[k].run_end == icu[k].run_end);
    CHECK(fast[k].lone_char == icu[k].lone_char);
  }
}

// Pieces the fast path takes: Simplified and Traditional Chinese, kana
// (half-width too), Hangul, the iteration and prolonged-sound marks, a
// compatibility ideograph, CJK and ASCII punctuation, full-width spaces and
// symbols, and ASCII words whose punctuation ICU's word breaks treat in
// several ways.
const std::vector<std::string> kFastPieces = {
    "退款申请", "訂單", "订单号", "东京", "カタカナ", "ｶﾀｶﾅ", "ひらがな", "한국어", "々", "人々",
    "コーヒー", "豈", "號碼", "号", "您好", "銀行卡", "〇", "，", "。", "、", "「", "」", "《",
    "》", "（", "）", "！", "？", "：", "；", "…", "—", "·", "\u3000", "￥", "℃", "※", "㈱",
    "Refund", "ORDER", "a1b2", "x", "42", "e-mail", "don't", "3.14", "snake_case", "C++", "#7",
    "WiFi", "Q&A", " ", "\t", "\n", ",", ".", "-", "'", "\x01", ""};

// Pieces the fast path hands to ICU: accented and other Latin, Cyrillic,
// full-width letters and digits, a Roman numeral, a vulgar fraction, a
// combining voicing mark, a half-width voicing mark, a character beyond the
// first plane, an emoji, a private-use character, a soft hyphen and a byte
// that is not UTF-8.
const std::vector<std::string> kOtherPieces = {
    "Zoë", "Straße", "Привет", "ＡＢＣ", "１２３", "Ⅻ", "¼", "か\u3099", "ｶﾞ", "𠀀", "😀",
    "\uE000", "\u00AD", "\xff"};

std::string utf8_of(char32_t c) {
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(bytes, length, static_cast<UChar32>(c));
  return std::string(bytes, static_cast<std::size_t>(length));
}

std::string generated_text(std::mt19937& rng, bool other_pieces) {
  std::string text;
  const int pieces = std::uniform_int_distribution<int>(0, 40)(rng);
  for (int i = 0; i < pieces; ++i) {
    if (other_pieces && rng() % 10 == 0) {
      text += kOtherPieces[rng() % kOtherPieces.size()];
    } else {
      text += kFastPieces[rng() % kFastPieces.size()];
    }
  }
  return text;
}

}  // namespace

TEST_CASE("the CJK fast path lists exactly what ICU lists, and takes such text itself") {
  std::mt19937 rng(31);
  int taken = 0;
  const int texts = 3000;
  for (int i = 0; i < texts; ++i) {
    const std::string text = generated_text(rng, false);
    INFO("text: ", text);
    std::vector<SearchToken> fast;
    const bool took = detail::cjk_tokens(text, fast);
    auto icu = detail::search_tokens_by_icu(text);
    REQUIRE(icu.ok());
    taken += took;
    if (took) require_same(fast, *icu);
    auto listed = search_tokens(text);
    REQUIRE(listed.ok());
    require_same(*listed, *icu);
  }
  // Every piece above is one the fast path decides.
  CHECK(taken == texts);
}

TEST_CASE("every code point of the first plane, alone and in runs, gets ICU's tokens") {
  // Each character between Chinese characters, then after an ASCII word and
  // doubled: whatever the character's class, search_tokens() must list what
  // ICU lists, whichever path takes it.
  int taken = 0;
  for (char32_t c = 0x80; c < 0x10000; ++c) {
    if (c >= 0xD800 && c < 0xE000) continue;  // surrogates are not characters
    const std::string one = utf8_of(c);
    const std::string text = "订" + one + "单 ab" + one + one + "，";
    INFO("code point: ", static_cast<unsigned>(c));
    auto listed = search_tokens(text);
    auto icu = detail::search_tokens_by_icu(text);
    REQUIRE(listed.ok());
    REQUIRE(icu.ok());
    require_same(*listed, *icu);
    std::vector<SearchToken> fast;
    taken += detail::cjk_tokens(text, fast);
  }
  // The Han, kana and Hangul of the first plane alone are over 40,000.
  CHECK(taken > 40000);
}

TEST_CASE("text the CJK fast path cannot decide goes to ICU, with ICU's answer") {
  for (const std::string& piece : kOtherPieces) {
    const std::string text = "订单" + piece + "号";
    INFO("text: ", text);
    std::vector<SearchToken> fast;
    CHECK_FALSE(detail::cjk_tokens(text, fast));
  }
  std::mt19937 rng(32);
  int handed_on = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = generated_text(rng, true);
    INFO("text: ", text);
    std::vector<SearchToken> fast;
    handed_on += !detail::cjk_tokens(text, fast);
    auto listed = search_tokens(text);
    auto icu = detail::search_tokens_by_icu(text);
    REQUIRE(listed.ok());
    REQUIRE(icu.ok());
    require_same(*listed, *icu);
  }
  CHECK(handed_on > 500);
}

TEST_CASE("the CJK fast path pairs, folds and places the characters of a run") {
  std::vector<SearchToken> tokens;
  REQUIRE(detail::cjk_tokens("訂單號，Refund 号", tokens));
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].word == "订单");
  CHECK(tokens[0].begin == 0);
  CHECK(tokens[0].end == 6);
  CHECK_FALSE(tokens[0].joins_previous);
  CHECK(tokens[1].word == "单号");
  CHECK(tokens[1].joins_previous);
  CHECK(tokens[2].word == "号");
  CHECK(tokens[2].run_end);
  CHECK(tokens[3].word == "refund");
  CHECK(tokens[3].begin == 12);
  CHECK(tokens[3].end == 18);
  CHECK(tokens[4].word == "号");
  CHECK(tokens[4].lone_char);
  CHECK(tokens[4].end == 22);
}

TEST_CASE("threads meeting characters for the first time together get the same tokens") {
  // Hangul syllables, forgotten first: every thread learns them at once.
  std::string text;
  for (char32_t c = 0xB000; c < 0xB200; ++c) {
    text += utf8_of(c);
    if (c % 7 == 0) text += "，";
  }
  auto icu = detail::search_tokens_by_icu(text);
  REQUIRE(icu.ok());
  detail::forget_cjk_chars_for_testing();
  std::vector<std::vector<SearchToken>> results(4);
  std::vector<char> took(results.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] { took[t] = detail::cjk_tokens(text, results[t]); });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < results.size(); ++t) {
    CHECK(took[t]);
    require_same(results[t], *icu);
  }
}
