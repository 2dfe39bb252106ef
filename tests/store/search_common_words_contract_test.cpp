// Words held by many records: a phrase's holders are counted up to
// search::kCountedHolders and estimated beyond (search::weighed_holders()),
// the same way on every backend, so the backends keep ranking alike. And
// SQLite's `hotline_bm25_best()`, which leaves unscored the rows that cannot
// be among the best, keeps every row `hotline_bm25()` would rank there.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "store/search/ranking.hpp"
#include "store/sqlite/search_rank_function.hpp"
#include "store/sqlite/search_tokenizer.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

template <typename B>
std::vector<TicketId> create(Desk<B>& d, const std::vector<std::string>& subjects) {
  return d.ticket_batch(subjects);
}

template <typename B>
std::vector<TicketId> hits(Desk<B>& d, const std::string& query, int limit) {
  return d.search_ids(query, limit);
}

}  // namespace

TEST_CASE("a phrase's holders are counted up to the cap and estimated from the ids beyond it") {
  using search::kCountedHolders;
  using search::weighed_holders;
  // Up to the cap the walk saw every holder: the count is exact, whatever
  // the ids.
  CHECK(weighed_holders(0, 0, 1, 1'000'000, 1'000'000) == 0);
  CHECK(weighed_holders(7, 900'000, 1, 1'000'000, 1'000'000) == 7);
  CHECK(weighed_holders(kCountedHolders, 5'000, 1, 1'000'000, 1'000'000) == kCountedHolders);
  // Every tenth id holds the phrase: the walk stops at id 10 * 2,001.
  const std::int64_t walked = kCountedHolders + 1;
  CHECK(weighed_holders(walked, 10 * walked, 1, 1'000'000, 1'000'000) == 100'000);
  // An estimate of half the records or more is set aside for a full count.
  CHECK_FALSE(search::counts_every_holder(100'000, 1'000'000));
  CHECK(search::counts_every_holder(500'000, 1'000'000));
  CHECK_FALSE(search::counts_every_holder(kCountedHolders, 3'000));
  // Ids starting elsewhere than 1: only the span counts.
  CHECK(weighed_holders(walked, 5'000 + 10 * walked, 5'001, 1'005'000, 1'000'000) == 100'000);
  // Never more than the records, never fewer than the holders seen.
  CHECK(weighed_holders(walked, walked, 1, 1'000'000, 50'000) == 50'000);
  CHECK(weighed_holders(walked, 1'000'000, 1, 1'000'000, 1'000'000) == walked);
  CHECK(weighed_holders(walked, walked, 1, 1'000'000, 10) == walked);
}

// 10,000 tickets of four tokens each. "alpha" is held by every third of the
// first 6,300 (2,100): its 2,001st holder stands at the 6,001st id, so the
// estimate is 3,334 and "alpha" weighs 0.69 where its exact count would
// give 1.32. "beta" is held by 1,825 (counted exactly: 1.50). Of the 42
// tickets holding both, half hold "alpha" three times and "beta" once (P),
// half "alpha" once and "beta" twice (Q). Weighed by the estimate a Q scores
// better than a P; weighed by the exact count, a P would.
TEST_CASE_TEMPLATE("a word held by more than the counted holders is weighed by its estimate", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  std::vector<std::string> subjects;
  std::vector<std::size_t> q_at;
  int both = 0, betas = 0;
  for (std::size_t i = 0; i < 10'000; ++i) {
    const bool alpha = i < 6'300 && i % 3 == 0;
    if (alpha && i % 150 == 0) {
      ++both;
      ++betas;
      if (both % 2) {
        subjects.push_back("alpha alpha alpha beta");
      } else {
        q_at.push_back(i);
        subjects.push_back("alpha beta beta delta");
      }
    } else if (alpha) {
      subjects.push_back("alpha gamma delta delta");
    } else if (i >= 6'300 && betas < 1'825) {
      ++betas;
      subjects.push_back("beta gamma delta delta");
    } else {
      subjects.push_back("gamma delta delta delta");
    }
  }
  REQUIRE(both == 42);
  REQUIRE(betas == 1'825);
  const auto ids = create(d, subjects);
  // Every holder matches, whatever the count it is weighed by.
  CHECK(hits(d, "alpha", 3'000).size() == 2'100);
  std::vector<TicketId> expected;  // the Qs tie: the highest ids first
  for (auto it = q_at.rbegin(); it != q_at.rend() && expected.size() < 5; ++it) {
    expected.push_back(ids[*it]);
  }
  CHECK(hits(d, "alpha beta", 5) == expected);
  CHECK(hits(d, "beta alpha", 5) == expected);
}

// The same corpus, with words of every frequency, on every backend: the
// answers agree with the memory backend's, for words counted exactly, words
// estimated, and words so common that the estimate is set aside for a full
// count. Of 10,000 tickets the first two words are held by more than half,
// the next two (账户, 银行) by 3,000 to 4,500: those are weighed by estimate.
TEST_CASE("backends rank words beyond the counted holders alike") {
  const std::vector<std::string> words = {"卡号", "退款", "账户", "银行", "查询", "密码",
                                          "modem", "router", "bill", "reset"};
  std::mt19937 rng(11);
  std::vector<std::string> subjects;
  for (int i = 0; i < 10'000; ++i) {
    std::string s;
    const int length = 2 + static_cast<int>(rng() % 9);
    for (int k = 0; k < length; ++k) {
      // Skewed: the first words are common (several thousand holders), the
      // last rare; some tickets repeat a word.
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      s += words[static_cast<std::size_t>(u * u * u * static_cast<double>(words.size()))];
      s += ' ';
    }
    subjects.push_back(s);
  }
  Desk<MemoryBackend> memory;
  Desk<SqliteBackend> sqlite;
  Desk<KeyValueBackend> kv;
  create(memory, subjects);
  create(sqlite, subjects);
  create(kv, subjects);
  for (const char* estimated : {"账户", "银行"}) {
    CAPTURE(estimated);
    const auto holders = hits(memory, estimated, 10'000).size();
    REQUIRE(holders > static_cast<std::size_t>(search::kCountedHolders));
    REQUIRE(holders < 4'500);
  }
  REQUIRE(hits(memory, "卡号", 10'000).size() > 5'000);
  int queries = 0;
  for (const char* query : {"卡号 退款", "卡号 账户", "退款 账户", "卡号 reset", "bill 卡号",
                            "账户 银行", "modem router", "卡号 退款 账户", "卡号", "账户",
                            "账", "银"}) {
    CAPTURE(query);
    for (int limit : {1, 20}) {
      CAPTURE(limit);
      const auto want = hits(memory, query, limit);
      CHECK(!want.empty());
      CHECK(hits(sqlite, query, limit) == want);
      ++queries;
    }
  }
  CHECK(queries == 24);
  // The key-value backend reads every record for each query: a few of the
  // estimated words are enough there.
  for (const char* query : {"账户 银行", "卡号 账户", "账"}) {
    CAPTURE(query);
    CHECK(hits(kv, query, 20) == hits(memory, query, 20));
  }
}

TEST_CASE("hotline_bm25_best leaves unscored only rows that cannot rank among the best") {
  Desk<SqliteBackend> d;
  const std::vector<std::string> characters = {"卡", "号", "银", "行", "退", "款", "账", "户"};
  std::mt19937 rng(5);
  std::vector<std::string> subjects;
  for (int i = 0; i < 400; ++i) {
    std::string subject;
    const int length = 2 + static_cast<int>(rng() % 30);
    for (int k = 0; k < length; ++k) subject += characters[rng() % characters.size()];
    subjects.push_back(subject);
  }
  create(d, subjects);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(d.backend.dir.file("hotline.db").c_str(), &db, SQLITE_OPEN_READONLY,
                          nullptr) == SQLITE_OK);
  REQUIRE(sqlite::register_search_tokenizer(db).ok());
  REQUIRE(sqlite::register_search_rank_function(db).ok());
  int skipped = 0, kept = 0;
  for (const char* match : {"\"银行\"", "\"银行\" \"退款\"", "\"卡号\" \"账户\"", "\"退款 款账\"",
                            "\"账户\" \"号\" *"}) {
    for (int best : {1, 3, 20}) {
      CAPTURE(match);
      CAPTURE(best);
      sqlite3_stmt* st = nullptr;
      REQUIRE(sqlite3_prepare_v2(db,
                                 "SELECT hotline_bm25(ticket_text), "
                                 "hotline_bm25_best(ticket_text, ?2) "
                                 "FROM ticket_text WHERE ticket_text MATCH ?1",
                                 -1, &st, nullptr) == SQLITE_OK);
      sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
      sqlite3_bind_int(st, 2, best);
      std::vector<double> all;
      std::vector<bool> scored;
      std::vector<double> scores;
      for (int rc; (rc = sqlite3_step(st)) == SQLITE_ROW;) {
        all.push_back(sqlite3_column_double(st, 0));
        scored.push_back(sqlite3_column_type(st, 1) != SQLITE_NULL);
        scores.push_back(sqlite3_column_double(st, 1));
      }
      sqlite3_finalize(st);
      REQUIRE(!all.empty());
      // The worst score bucket among the best `best` rows (with fewer rows,
      // all of them): every row that scores as well must come back scored,
      // with hotline_bm25()'s score.
      std::vector<std::int64_t> buckets;
      for (double s : all) buckets.push_back(search::score_bucket(s));
      const auto nth = std::min(buckets.size(), static_cast<std::size_t>(best)) - 1;
      std::nth_element(buckets.begin(), buckets.begin() + static_cast<std::ptrdiff_t>(nth),
                       buckets.end());
      const std::int64_t cut = buckets[nth];
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (scored[i]) {
          ++kept;
          CHECK(scores[i] == all[i]);
        } else {
          ++skipped;
          CHECK(search::score_bucket(all[i]) > cut);
        }
      }
    }
  }
  sqlite3_close(db);
  CHECK(skipped > 100);  // the bound does leave rows out
  CHECK(kept > 100);
  // A count of the best rows below 1 is refused, not taken as "all".
  sqlite3* again = nullptr;
  REQUIRE(sqlite3_open_v2(d.backend.dir.file("hotline.db").c_str(), &again, SQLITE_OPEN_READONLY,
                          nullptr) == SQLITE_OK);
  REQUIRE(sqlite::register_search_tokenizer(again).ok());
  REQUIRE(sqlite::register_search_rank_function(again).ok());
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(again,
                             "SELECT hotline_bm25_best(ticket_text, 0) FROM ticket_text "
                             "WHERE ticket_text MATCH '\"银行\"'",
                             -1, &st, nullptr) == SQLITE_OK);
  CHECK(sqlite3_step(st) == SQLITE_ERROR);
  CHECK(std::string(sqlite3_errmsg(again)).find("hotline_bm25_best") != std::string::npos);
  sqlite3_finalize(st);
  sqlite3_close(again);
}
