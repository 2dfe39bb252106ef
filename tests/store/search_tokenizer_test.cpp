// The SQLite index's tokenizer and its ASCII fast path: whatever the path,
// FTS5 must receive exactly the tokens search_tokens() lists, and the fast
// path must list exactly what ICU's general path does.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <malloc.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/search_words.hpp"
#include "store/sqlite/fts5_api_of.hpp"
#include "store/sqlite/search_tokenizer.hpp"

using namespace hotline::store;

namespace {

struct Token {
  std::string word;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const Token& o) const {
    return word == o.word && begin == o.begin && end == o.end;
  }
};

// The `hotline` tokenizer of a fresh connection, driven as FTS5 drives it
// when it indexes a document.
class RegisteredTokenizer {
 public:
  explicit RegisteredTokenizer(bool names) {
    REQUIRE(sqlite3_open(":memory:", &db_) == SQLITE_OK);
    REQUIRE(sqlite::register_search_tokenizer(db_).ok());
    auto api = sqlite::fts5_api_of(db_);
    REQUIRE(api.ok());
    void* user_data = nullptr;
    REQUIRE((*api)->xFindTokenizer(*api, "hotline", &user_data, &methods_) == SQLITE_OK);
    const char* args[] = {"names"};
    REQUIRE(methods_.xCreate(user_data, args, names ? 1 : 0, &tokenizer_) == SQLITE_OK);
  }
  ~RegisteredTokenizer() {
    if (tokenizer_) methods_.xDelete(tokenizer_);
    sqlite3_close(db_);
  }

  std::vector<Token> document(std::string_view text) {
    return document(text, [](const Token&) {});
  }

  // As above, calling `on_token` as each token arrives, from inside FTS5's
  // token callback.
  template <typename OnToken>
  std::vector<Token> document(std::string_view text, OnToken on_token) {
    struct Context {
      std::vector<Token> out;
      OnToken& on_token;
    } context{{}, on_token};
    const int rc = methods_.xTokenize(
        tokenizer_, &context, FTS5_TOKENIZE_DOCUMENT, text.data(),
        static_cast<int>(text.size()),
        [](void* ctx, int, const char* token, int size, int begin, int end) {
          auto& c = *static_cast<Context*>(ctx);
          c.out.push_back(Token{std::string(token, static_cast<std::size_t>(size)),
                                static_cast<std::size_t>(begin), static_cast<std::size_t>(end)});
          c.on_token(c.out.back());
          return SQLITE_OK;
        });
    REQUIRE(rc == SQLITE_OK);
    return std::move(context.out);
  }

 private:
  sqlite3* db_ = nullptr;
  fts5_tokenizer methods_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

std::vector<Token> listed(const std::vector<SearchToken>& tokens) {
  std::vector<Token> out;
  for (const auto& t : tokens) out.push_back(Token{t.word, t.begin, t.end});
  return out;
}

// Generated text: words of letters and digits in both cases, joined by
// spaces, punctuation and control characters; with `other_scripts`, also
// accented Latin, Chinese (traditional too), kana, Cyrillic, full-width
// forms and a stray byte that is not UTF-8.
std::string generated_text(std::mt19937& rng, bool other_scripts) {
  static const std::vector<std::string> ascii_pieces = {
      "Refund", "ORDER", "a1b2", "x", "42", "e-mail", "user@example.com", "don't", "3.14",
      "snake_case", "C++", "#7", "(router)", "WiFi", "z", "0", "Q&A", "TV/DSL"};
  static const std::vector<std::string> separators = {" ",  "  ", ", ", ". ", "\t", "\n", "!",
                                                      "?",  "-", "/", "\x01", "~", "", "|"};
  static const std::vector<std::string> other_pieces = {
      "Zoë", "CRÈME", "Straße", "退款申请", "訂單", "东京", "カタカナ", "ｶﾀｶﾅ", "Привет",
      "ＡＢＣ１２３", "号", "naïve", "\xff", "您好，", "Å"};
  std::string text;
  const int pieces = std::uniform_int_distribution<int>(0, 30)(rng);
  for (int i = 0; i < pieces; ++i) {
    const bool other = other_scripts && rng() % 4 == 0;
    const auto& list = other ? other_pieces : ascii_pieces;
    text += list[rng() % list.size()];
    text += separators[rng() % separators.size()];
  }
  return text;
}

}  // namespace

TEST_CASE("ASCII text takes a fast path that lists exactly what ICU lists") {
  std::mt19937 rng(17);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = generated_text(rng, false);
    REQUIRE(is_ascii_text(text));
    auto fast = search_tokens(text);
    auto icu = detail::search_tokens_by_icu(text);
    REQUIRE(fast.ok());
    REQUIRE(icu.ok());
    INFO("text: ", text);
    REQUIRE(fast->size() == icu->size());
    for (std::size_t k = 0; k < fast->size(); ++k) {
      const SearchToken& a = (*fast)[k];
      const SearchToken& b = (*icu)[k];
      CHECK(a.word == b.word);
      CHECK(a.begin == b.begin);
      CHECK(a.end == b.end);
      CHECK(a.joins_previous == b.joins_previous);
      CHECK(a.run_end == b.run_end);
      CHECK(a.lone_char == b.lone_char);
    }
  }
}

TEST_CASE("is_ascii_text finds a byte above 0x7F wherever it stands") {
  for (std::size_t size = 0; size < 40; ++size) {
    const std::string ascii(size, 'a');
    CHECK(is_ascii_text(ascii));
    for (std::size_t at = 0; at < size; ++at) {
      std::string text = ascii;
      text[at] = '\x80';
      CHECK_FALSE(is_ascii_text(text));
    }
  }
}

TEST_CASE("the index's tokenizer hands FTS5 exactly the tokens search_tokens() lists") {
  RegisteredTokenizer tokenizer(false);
  std::mt19937 rng(18);
  for (int i = 0; i < 2000; ++i) {
    // Alternating, so that buffers kept from one call serve texts of every kind.
    const std::string text = generated_text(rng, i % 2 == 1);
    auto expected = search_tokens(text);
    REQUIRE(expected.ok());
    INFO("text: ", text);
    CHECK(tokenizer.document(text) == listed(*expected));
  }
}

TEST_CASE("the names tokenizer adds pinyin after the name's own tokens, and nothing for ASCII") {
  RegisteredTokenizer tokenizer(true);
  std::mt19937 rng(19);
  for (int i = 0; i < 1000; ++i) {
    const std::string text = generated_text(rng, i % 2 == 1);
    auto tokens = search_tokens(text);
    auto all = name_search_words(text);
    REQUIRE(tokens.ok());
    REQUIRE(all.ok());
    std::vector<Token> expected = listed(*tokens);
    for (std::size_t k = tokens->size(); k < all->size(); ++k) {
      expected.push_back(Token{(*all)[k], 0, text.size()});
    }
    INFO("text: ", text);
    CHECK(tokenizer.document(text) == expected);
  }
  CHECK(tokenizer.document("Zhang San") ==
        std::vector<Token>{{"zhang", 0, 5}, {"san", 6, 9}});
  CHECK(tokenizer.document("张三") == std::vector<Token>{{"张三", 0, 6},
                                                        {"三", 3, 6},
                                                        {"zhang", 0, 6},
                                                        {"san", 0, 6},
                                                        {"zhangsan", 0, 6}});
}

TEST_CASE("a long ASCII word after short ones is whole") {
  RegisteredTokenizer tokenizer(false);
  CHECK(tokenizer.document("a b") == std::vector<Token>{{"a", 0, 1}, {"b", 2, 3}});
  const std::string long_word(5000, 'Q');
  const std::string text = "x " + long_word + " y";
  CHECK(tokenizer.document(text) == std::vector<Token>{{"x", 0, 1},
                                                       {std::string(5000, 'q'), 2, 5002},
                                                       {"y", 5003, 5004}});
  CHECK(tokenizer.document("").empty());
  CHECK(tokenizer.document(" ,. ").empty());
}

TEST_CASE("a token callback that tokenizes again on the same thread leaves both lists whole") {
  RegisteredTokenizer tokenizer(false);
  std::mt19937 rng(20);
  for (int i = 0; i < 200; ++i) {
    const std::string outer = generated_text(rng, i % 2 == 1);
    const std::string inner = generated_text(rng, i % 3 != 0);
    auto outer_expected = search_tokens(outer);
    auto inner_expected = search_tokens(inner);
    REQUIRE(outer_expected.ok());
    REQUIRE(inner_expected.ok());
    std::vector<std::vector<Token>> inner_lists;
    const auto outer_listed = tokenizer.document(
        outer, [&](const Token&) { inner_lists.push_back(tokenizer.document(inner)); });
    INFO("outer: ", outer, " inner: ", inner);
    CHECK(outer_listed == listed(*outer_expected));
    REQUIRE(inner_lists.size() == outer_listed.size());
    for (const auto& list : inner_lists) CHECK(list == listed(*inner_expected));
  }
}

// The bytes the program holds on the heap: glibc's figures (its chunks, and the
// large blocks given their own mapping), or under ASan and TSan, whose allocator
// replaces glibc's, the sanitizer's own count.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
static std::size_t heap_in_use() { return __sanitizer_get_current_allocated_bytes(); }
#else
static std::size_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}
#endif

TEST_CASE("a long text's buffers are given back after it is tokenized") {
  RegisteredTokenizer tokenizer(true);
  // A few megabytes of Chinese and accented words: without giving back, the
  // thread would keep the UTF-16 copy, the byte offsets and the token list
  // (tens of megabytes) until it ends.
  std::string text;
  while (text.size() < 4 * 1024 * 1024) text += "退款申请 订单号 Zoë 东京 ";
  (void)tokenizer.document("warm up the thread's buffers: 退款");
  const std::size_t before = heap_in_use();
  const std::size_t tokens = tokenizer.document(text).size();
  CHECK(tokens > 500000);
  const std::size_t after = heap_in_use();
  CHECK(after < before + 1024 * 1024);
}
