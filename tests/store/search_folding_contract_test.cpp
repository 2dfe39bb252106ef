// Search folds case and accents the same way on every backend, as the
// documentation says: the SQLite index's unicode61 rules, everywhere.
#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

TEST_CASE_TEMPLATE("search folds case and accents alike on every backend", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket zoe = d.ticket("Zoë cannot log in");
  const Ticket creme = d.ticket("Crème brûlée order missing");
  const Ticket ecole = d.ticket("ÉCOLE account locked");
  const Ticket plain = d.ticket("zoe and creme, plain ASCII");
  REQUIRE(d.tickets.add_note(d.agent, ecole.id, "Straße closed, Ångström", false).ok());

  auto ids = [&](const char* query) {
    std::vector<TicketId> out;
    const auto found = d.tickets.search(query);
    for (const auto& t : *found) out.push_back(t.id);
    return out;
  };
  for (const char* q : {"zoe", "ZOE", "Zoë", "ZOË", "zoë"}) {
    CHECK_MESSAGE((ids(q) == std::vector<TicketId>{plain.id, zoe.id}), q);
  }
  for (const char* q : {"creme", "Crème", "CRÈME", "crême"}) {
    CHECK_MESSAGE((ids(q) == std::vector<TicketId>{plain.id, creme.id}), q);
  }
  CHECK(ids("brulee") == std::vector<TicketId>{creme.id});
  CHECK(ids("école") == std::vector<TicketId>{ecole.id});
  CHECK(ids("ecole LOCKED") == std::vector<TicketId>{ecole.id});
  CHECK(ids("angstrom") == std::vector<TicketId>{ecole.id});
  CHECK(ids("STRASSE").empty());  // unicode61 folds case, not ß to ss
  CHECK(ids("straße") == std::vector<TicketId>{ecole.id});
  CHECK(ids("zoe creme") == std::vector<TicketId>{plain.id});
}
