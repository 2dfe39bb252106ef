// When many hits tie on score (a word that most records hold weighs nothing
// in BM25, and a character held by more than 10,000 records is not scored),
// the places left after the better-scoring hits go to the most recently
// updated of the tied ones, then the highest id: on every backend,
// whether those newest tied hits stand at the start of the records' recency
// order or far into it. SQLite finds them by walking its recency index, and
// scores with its own `hotline_bm25()`, which must agree with FTS5's `bm25()`.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/search_rank_function.hpp"
#include "store/sqlite/search_tokenizer.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

// Five tokens, one of them begun by 卡: every holder scores the same.
constexpr const char* kHolder = "银行卡办理";
// Four tokens, two begun by 卡: scores better than kHolder.
constexpr const char* kDoubleHolder = "卡卡办理";
constexpr const char* kOther = "账户余额查询";

template <typename B>
std::vector<TicketId> create(Desk<B>& d, const char* subject, int count) {
  return d.ticket_batch(std::vector<std::string>(static_cast<std::size_t>(count), subject));
}

template <typename B>
void touch(Desk<B>& d, TicketId id) {
  d.now += kMinute;
  TicketUpdate u;
  u.priority = TicketPriority::kHigh;
  auto t = d.tickets.update(d.agent, id, u);
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.error().message));
}

template <typename B>
std::vector<TicketId> hits(Desk<B>& d, const std::string& query, int limit) {
  return d.search_ids(query, limit);
}

// The highest `count` of `ids` not in `skip`, highest first.
std::vector<TicketId> highest(std::vector<TicketId> ids, const std::vector<TicketId>& skip,
                              std::size_t count) {
  std::sort(ids.rbegin(), ids.rend());
  std::vector<TicketId> out;
  for (TicketId id : ids) {
    if (out.size() == count) break;
    if (std::find(skip.begin(), skip.end(), id) == skip.end()) out.push_back(id);
  }
  return out;
}

std::vector<TicketId> joined(std::vector<TicketId> a, const std::vector<TicketId>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE_TEMPLATE("a word most tickets hold ranks its hits by recency alone", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  std::vector<TicketId> holders;
  for (int round = 0; round < 100; ++round) {
    holders = joined(holders, create(d, kHolder, 3));
    create(d, kOther, 1);
  }
  REQUIRE(holders.size() == 300);
  // Updated later than any other: first, the last updated first.
  const std::vector<TicketId> touched = {holders[120], holders[5], holders[50]};
  for (TicketId id : touched) touch(d, id);
  const std::vector<TicketId> newest_first = {holders[50], holders[5], holders[120]};

  for (const char* query : {"卡", "银行", "银行卡"}) {
    CAPTURE(query);
    CHECK(hits(d, query, 20) == joined(newest_first, highest(holders, touched, 17)));
    CHECK(hits(d, query, 2) == std::vector<TicketId>{holders[50], holders[5]});
    CHECK(hits(d, query, 1000) == joined(newest_first, highest(holders, touched, 297)));
  }
  CHECK(hits(d, "卡 查询", 20).empty());
}

TEST_CASE_TEMPLATE("better-scoring hits come first, then the newest of those tied at the cut",
                   B, HL_STORE_BACKENDS) {
  Desk<B> d;
  // The tied hits are the oldest tickets; the better ones come after them.
  const auto tied = create(d, kHolder, 260);
  const auto better = create(d, kDoubleHolder, 4);
  const std::vector<TicketId> better_newest_first(better.rbegin(), better.rend());

  SUBCASE("few other tickets: the newest tied hits stand early in the recency order") {
    create(d, kOther, 300);
    CHECK(hits(d, "卡", 20) == joined(better_newest_first, highest(tied, {}, 16)));
    touch(d, tied[0]);
    touch(d, tied[7]);
    CHECK(hits(d, "卡", 20) ==
          joined(joined(better_newest_first, {tied[7], tied[0]}),
                 highest(tied, {tied[0], tied[7]}, 14)));
    CHECK(hits(d, "卡", 3) ==
          std::vector<TicketId>(better_newest_first.begin(), better_newest_first.begin() + 3));
  }
  SUBCASE("many newer other tickets: the newest tied hits stand far into the recency order") {
    create(d, kOther, 2100);
    CHECK(hits(d, "卡", 20) == joined(better_newest_first, highest(tied, {}, 16)));
    touch(d, tied[3]);
    CHECK(hits(d, "卡", 20) ==
          joined(joined(better_newest_first, {tied[3]}), highest(tied, {tied[3]}, 15)));
  }
}

TEST_CASE_TEMPLATE("a character held by more than 10,000 tickets ranks its hits by recency",
                   B, HL_STORE_BACKENDS) {
  Desk<B> d;
  // The oldest holders score better by BM25 (the character twice, fewer
  // words); less than half the tickets hold it, so BM25 weighs it.
  const auto better = create(d, kDoubleHolder, 5);
  const auto holders = create(d, kHolder, 9'995);
  create(d, kOther, 25'000);
  const std::vector<TicketId> better_newest_first(better.rbegin(), better.rend());
  CHECK(hits(d, "卡", 8) == joined(better_newest_first, highest(holders, {}, 3)));
  // Held by 10,000 tickets: still scored. One more, and recency alone
  // decides: the newest holders first, the better-scoring ones nowhere near.
  const auto newest = create(d, kHolder, 1);
  CHECK(hits(d, "卡", 8) == joined(newest, highest(holders, {}, 7)));
}

TEST_CASE_TEMPLATE("customers whose names tie on score come most recently updated first", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  std::vector<CustomerId> created;
  for (int i = 0; i < 300; ++i) created.push_back(d.customer("王卡", "").id);
  for (std::size_t i : {std::size_t{3}, std::size_t{100}}) {
    d.now += kMinute;
    CustomerUpdate u;
    u.tier = "vip";
    REQUIRE(d.customers.update(d.agent, created[i], u).ok());
  }
  auto found = d.customers.search(d.agent, "卡", 5);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  std::vector<CustomerId> ids;
  for (const auto& c : *found) ids.push_back(c.id);
  CHECK(ids == std::vector<CustomerId>{created[100], created[3], created[299], created[298],
                                       created[297]});
}

TEST_CASE("hotline_bm25 scores as FTS5's bm25, and zero where no word can weigh") {
  Desk<SqliteBackend> d;
  const std::vector<std::string> characters = {"卡", "号", "银", "行", "退", "款", "账", "户"};
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string subject;
    const int length = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < length; ++k) subject += characters[rng() % characters.size()];
    d.ticket(subject);
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(d.backend.dir.file("hotline.db").c_str(), &db, SQLITE_OPEN_READONLY,
                          nullptr) == SQLITE_OK);
  REQUIRE(sqlite::register_search_tokenizer(db).ok());
  REQUIRE(sqlite::register_search_rank_function(db).ok());
  int weighed = 0, weightless = 0;
  // One character held by nearly every ticket, pairs held by fewer, a
  // phrase, two words, and a character with a word.
  for (const char* match : {"\"卡\" *", "\"银行\"", "\"银行\" \"退款\"", "\"账户\" \"号\" *",
                            "\"卡号\"", "\"退款 款账\""}) {
    CAPTURE(match);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db,
                               "SELECT bm25(ticket_text), hotline_bm25(ticket_text) "
                               "FROM ticket_text WHERE ticket_text MATCH ?1",
                               -1, &st, nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++rows;
      const double fts5 = sqlite3_column_double(st, 0);
      const double ours = sqlite3_column_double(st, 1);
      if (ours == 0.0) {
        ++weightless;
        CHECK(std::abs(fts5) < 0.0005);
      } else {
        ++weighed;
        CHECK(ours == doctest::Approx(fts5).epsilon(1e-12));
      }
    }
    sqlite3_finalize(st);
    CHECK(rows > 0);
  }
  // A phrase's count of holding rows (sqlite::ranked() counts those of a
  // one-character query), handed in, replaces the count FTS5 would make: the
  // scores stay those of bm25().
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT bm25(ticket_text), hotline_bm25(ticket_text, "
                             "(SELECT count(*) FROM ticket_text WHERE ticket_text MATCH ?1)) "
                             "FROM ticket_text WHERE ticket_text MATCH ?1",
                             -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, "\"退款\"", -1, SQLITE_STATIC);
  int given = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    ++given;
    const double ours = sqlite3_column_double(st, 1);
    CHECK(ours < 0);  // held by fewer than half the tickets: it weighs
    CHECK(ours == doctest::Approx(sqlite3_column_double(st, 0)).epsilon(1e-12));
  }
  sqlite3_finalize(st);
  CHECK(given > 0);
  sqlite3_close(db);
  CHECK(weighed > 30);
  CHECK(weightless > 50);
}
