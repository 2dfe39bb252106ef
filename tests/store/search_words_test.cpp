// The one tokenizer every backend indexes and queries with.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/search_words.hpp"

using namespace hotline::store;
using Words = std::vector<std::string>;

namespace {

Words words(std::string_view text) {
  auto w = search_words(text);
  REQUIRE(w.ok());
  return *w;
}

}  // namespace

TEST_CASE("runs of Chinese characters become overlapping pairs and their last character") {
  CHECK(words("退款申请") == Words{"退款", "款申", "申请", "请"});
  CHECK(words("张") == Words{"张"});
  CHECK(words("订单号A123退款") == Words{"订单", "单号", "号", "a123", "退款", "款"});
  CHECK(words("您好，退款") == Words{"您好", "好", "退款", "款"});  // punctuation ends a run
}

TEST_CASE("traditional characters fold to simplified") {
  CHECK(words("退款申請") == words("退款申请"));
  CHECK(words("東京") == Words{"东京", "京"});
}

TEST_CASE("full-width and half-width forms fold together, with case and accents") {
  CHECK(words("ＡＢＣ　１２３") == Words{"abc", "123"});
  CHECK(words("ｶﾀｶﾅ") == words("カタカナ"));
  CHECK(words("Zoë CRÈME") == Words{"zoe", "creme"});
  CHECK(words("Straße") == Words{"straße"});  // lower case, not full case folding
}

TEST_CASE("other scripts split at ICU word breaks and inner punctuation") {
  CHECK(words("e-mail user@example.com don't") ==
        Words{"e", "mail", "user", "example", "com", "don", "t"});
  CHECK(words("Привет мир") == Words{"привет", "мир"});
  const Words thai = words("สวัสดีครับ");
  CHECK(thai.size() == 2);  // a dictionary splits Thai, which has no spaces
}

TEST_CASE("tokens keep the bytes of the original text they came from") {
  const std::string text = "Ａ订单x";
  auto tokens = search_tokens(text);
  REQUIRE(tokens.ok());
  REQUIRE(tokens->size() == 4);
  auto original = [&](std::size_t i) {
    return text.substr((*tokens)[i].begin, (*tokens)[i].end - (*tokens)[i].begin);
  };
  CHECK(original(0) == "Ａ");
  CHECK(original(1) == "订单");
  CHECK(original(2) == "单");
  CHECK((*tokens)[2].run_end);
  CHECK(original(3) == "x");
}

TEST_CASE("a query's pairs of one run form a phrase") {
  auto q = search_query("订单号 refund 退款");
  REQUIRE(q.ok());
  CHECK(*q == std::vector<SearchPhrase>{{{"订单", "单号"}}, {{"refund"}}, {{"退款"}}});
  CHECK(search_query("  ,. ")->empty());
}

TEST_CASE("a query's run of one character is a prefix of the index's tokens") {
  auto q = search_query("卡 a 丢失");
  REQUIRE(q.ok());
  CHECK(*q == std::vector<SearchPhrase>{{{"卡"}, true}, {{"a"}, false}, {{"丢失"}, false}});
  const SearchPhrase card{{"卡"}, true};
  CHECK(phrase_word_matches(card, 0, "卡号"));
  CHECK(phrase_word_matches(card, 0, "卡"));
  CHECK_FALSE(phrase_word_matches(card, 0, "银卡"));
  const SearchPhrase exact{{"卡"}, false};
  CHECK_FALSE(phrase_word_matches(exact, 0, "卡号"));
}

TEST_CASE("a Chinese name is also its pinyin, per syllable and joined") {
  auto w = name_search_words("张三");
  REQUIRE(w.ok());
  CHECK(*w == Words{"张三", "三", "zhang", "san", "zhangsan"});
  auto traditional = name_search_words("張三豐");
  REQUIRE(traditional.ok());
  CHECK(*traditional ==
        Words{"张三", "三丰", "丰", "zhang", "san", "feng", "zhangsanfeng"});
  CHECK(*name_search_words("Anna Smith") == Words{"anna", "smith"});
}

TEST_CASE("bytes that are not UTF-8 separate words") {
  CHECK(words(std::string("ab\xff" "cd")) == Words{"ab", "cd"});
  CHECK(words(std::string("订\xff单")) == Words{"订", "单"});
}
