// One-character queries read SQLite's index of one-character prefixes
// (schema 5): the hits must be those the memory backend finds by comparing
// every token, over a corpus dense with shared characters, after tickets are
// edited and noted and customers renamed and erased.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

// Few characters, so that every one stands in many tickets, in pairs, at the
// end of runs and alone; Latin words and digits between them.
const std::vector<std::string> kCharacters = {"卡", "号", "银", "行", "退", "款",
                                              "账", "户", "網", "络", "张", "王"};
const std::vector<std::string> kLatin = {"A12", "card", "VIP", "7"};

std::string text(std::mt19937& rng) {
  std::string out;
  const int length = 1 + static_cast<int>(rng() % 9);
  for (int i = 0; i < length; ++i) {
    const auto r = rng() % 10;
    if (r == 0) {
      out += "，";
    } else if (r == 1) {
      out += ' ' + kLatin[rng() % kLatin.size()] + ' ';
    } else {
      out += kCharacters[rng() % kCharacters.size()];
    }
  }
  return out;
}

// The same writes, in the same order, on one backend; returns the customers'
// ids in the order they were created (backends number records differently).
template <typename B>
std::vector<CustomerId> write_corpus(Desk<B>& d) {
  std::mt19937 rng(16);
  std::vector<TicketId> tickets;
  for (int i = 0; i < 150; ++i) {
    d.now += kMinute;
    tickets.push_back(d.ticket(text(rng)).id);
  }
  for (int i = 0; i < 40; ++i) {
    d.now += kMinute;
    const TicketId id = tickets[rng() % tickets.size()];
    if (i % 2 == 0) {
      TicketUpdate u;
      u.subject = text(rng);
      if (i % 4 == 0) u.description = text(rng);
      REQUIRE(d.tickets.update(d.agent, id, u).ok());
    } else {
      REQUIRE(d.tickets.add_note(d.agent, id, text(rng), false).ok());
    }
  }
  std::vector<CustomerId> customers;
  for (int i = 0; i < 40; ++i) {
    d.now += kMinute;
    customers.push_back(d.customer(text(rng), "").id);
  }
  for (int i = 0; i < 8; ++i) {
    d.now += kMinute;
    CustomerUpdate u;
    u.name = text(rng);
    REQUIRE(d.customers.update(d.agent, customers[static_cast<std::size_t>(i) * 3], u).ok());
  }
  for (int i = 0; i < 5; ++i) {
    d.now += kMinute;
    const Status erased =
        d.customers.erase(d.admin, customers[static_cast<std::size_t>(i) * 7 + 1]);
    REQUIRE_MESSAGE(erased.ok(), (erased.ok() ? "" : erased.error().message));
  }
  return customers;
}

template <typename B>
std::vector<std::int64_t> ticket_hits(Desk<B>& d, const std::string& query) {
  auto found = d.tickets.search(query, 1000);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  std::vector<std::int64_t> out;
  for (const auto& t : *found) out.push_back(t.id);
  return out;
}

// The hits as indexes into the creation order.
template <typename B>
std::vector<std::size_t> customer_hits(Desk<B>& d, const std::vector<CustomerId>& created,
                                       const std::string& query) {
  auto found = d.customers.search(d.agent, query, 1000);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  std::vector<std::size_t> out;
  for (const auto& c : *found) {
    out.push_back(static_cast<std::size_t>(
        std::find(created.begin(), created.end(), c.id) - created.begin()));
  }
  return out;
}

}  // namespace

TEST_CASE("one-character queries on SQLite find what the memory backend finds, in its order") {
  Desk<MemoryBackend> memory;
  Desk<SqliteBackend> sqlite;
  const auto memory_customers = write_corpus(memory);
  const auto sqlite_customers = write_corpus(sqlite);

  std::vector<std::string> queries = kCharacters;
  for (const char* q : {"网", "ｶ", "卡号", "银行卡", "卡 A12", "a12 退", "號 户", "卡 号",
                        "7 账", "猫", "card 網络"}) {
    queries.emplace_back(q);
  }
  std::size_t matched = 0;
  for (const auto& q : queries) {
    CAPTURE(q);
    const auto expected = ticket_hits(memory, q);
    CHECK(ticket_hits(sqlite, q) == expected);
    const auto expected_customers = customer_hits(memory, memory_customers, q);
    CHECK(customer_hits(sqlite, sqlite_customers, q) == expected_customers);
    matched += expected.size() + expected_customers.size();
  }
  // The corpus is dense: most one-character queries match many tickets.
  CHECK(matched > 500);
  CHECK(ticket_hits(sqlite, "猫").empty());
}
