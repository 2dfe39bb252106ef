// What only the key-value backend meets: records a host hands back that
// Hotline did not write. They are refused as storage errors, never trusted
// into overflow or unbounded recursion.
#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

TEST_CASE("a host's counter at the end of int64 is refused, not wrapped") {
  Desk<KeyValueBackend> d;
  d.ticket("first");
  REQUIRE(d.backend.kv.put("counter", 0, R"({"next": 9223372036854775807})").ok());
  NewTicket n;
  n.subject = "second";
  auto refused = d.tickets.create(d.agent, n);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::kIo);
  CHECK(refused.error().message == "the host's storage returned an unreadable counter record");
  REQUIRE(d.backend.kv.put("counter", 0, R"({"next": 100})").ok());
  REQUIRE(d.backend.kv.put("sequence", 2026, R"({"last": -4})").ok());
  auto bad_sequence = d.tickets.create(d.agent, n);
  REQUIRE_FALSE(bad_sequence.ok());
  CHECK(bad_sequence.error().message ==
        "the host's storage returned an unreadable sequence record");
  REQUIRE(d.backend.kv.put("sequence", 2026, R"({"last": 1})").ok());
  CHECK(d.ticket("second").number == "T-2026-000002");
}

TEST_CASE("a host's record nested beyond the limit is a storage error, not a stack overflow") {
  Desk<KeyValueBackend> d;
  const Ticket t = d.ticket("kept");
  std::string deep = R"({"id": 1, "subject": )";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}";
  REQUIRE(d.backend.kv.put("ticket", t.id, deep).ok());
  auto got = d.tickets.get(t.id);
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().code == Errc::kIo);
  CHECK(got.error().message.find("nested deeper than 64 levels") != std::string::npos);
  CHECK(d.tickets.list(TicketQuery{}).error().code == Errc::kIo);
}
