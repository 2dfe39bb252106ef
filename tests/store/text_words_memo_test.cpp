// The knowledge base's memo of texts' words: a text is tokenized once, a
// changed text afresh, and records gone since are forgotten.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/search_words.hpp"
#include "store/text_words_memo.hpp"

using namespace hotline::store;
using Words = std::vector<std::string>;

TEST_CASE("the memo gives a text's sorted distinct words and recomputes a changed text") {
  TextWordsMemo memo;
  auto first = memo.words({7, 0}, "退款 订单 退款");
  REQUIRE(first.ok());
  // Each run gives its pair and its last character alone (search_words.hpp).
  CHECK(**first == Words{"单", "款", "订单", "退款"});
  const std::vector<std::string>* kept = *first;
  // The same text under the same key is the entry already computed.
  CHECK(*memo.words({7, 0}, "退款 订单 退款") == kept);
  // A new text under the key (an edit, an id used again) is tokenized anew.
  auto changed = memo.words({7, 0}, "Modem reboot");
  REQUIRE(changed.ok());
  CHECK(**changed == Words{"modem", "reboot"});
  // Another field of the record is its own entry.
  CHECK(**memo.words({7, 1}, "退款") == Words{"款", "退款"});
  CHECK(memo.size() == 2);
}

TEST_CASE("the memo forgets the records not kept, and only those") {
  TextWordsMemo memo;
  REQUIRE(memo.words({1, 0}, "a").ok());
  REQUIRE(memo.words({1, 1}, "b").ok());
  REQUIRE(memo.words({2, 0}, "c").ok());
  memo.keep_only({1});
  CHECK(memo.size() == 2);
  CHECK(**memo.words({1, 1}, "b") == Words{"b"});
  memo.keep_only({});
  CHECK(memo.size() == 0);
}
