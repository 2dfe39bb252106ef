// Rollback, at the record level: every kind of write inside a transaction
// disappears, on every backend.
#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

TEST_CASE_TEMPLATE("a rolled-back transaction leaves no trace", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Customer kept = d.customer("Kept", "+49 30 1111111");
  const Ticket before = d.ticket("before", kept.id);
  REQUIRE(d.tickets.add_note(d.agent, before.id, "original note", false).ok());
  ContactRecord contact;
  contact.customer = kept.id;
  contact.ani = "+49301111111";
  REQUIRE(d.customers.record_contact(contact).ok());

  Storage& s = *d.storage;
  REQUIRE(s.begin().ok());
  Customer added;
  added.name = "Added";
  added.phones = {"+49302222222"};
  REQUIRE(s.customers().insert(added).ok());
  Customer changed = *s.customers().get(kept.id);
  changed.name = "Changed";
  REQUIRE(s.customers().update(changed).ok());
  REQUIRE(s.customers().move_contacts(kept.id, added.id).ok());
  REQUIRE(s.customers().redact_contacts(added.id).ok());
  Ticket t = *s.tickets().get(before.id);
  t.subject = "edited";
  REQUIRE(s.tickets().update(t).ok());
  REQUIRE(s.tickets().redact_customer(kept.id, "gone").ok());
  REQUIRE(s.tickets().move_customer(kept.id, added.id).ok());
  REQUIRE(s.tickets().reserve_sequence(2026, 5).ok());
  Ticket fresh;
  fresh.number = "T-X";
  fresh.subject = "fresh";
  REQUIRE(s.tickets().insert(fresh).ok());
  FollowUp f;
  f.ticket = before.id;
  f.assignee = "x";
  REQUIRE(s.tickets().put_follow_up(f).ok());
  AuditRecord r;
  r.action = "noise";
  REQUIRE(s.audit().append(r).ok());
  s.rollback();

  CHECK(s.customers().get(kept.id)->name == "Kept");
  CHECK(s.customers().get(added.id).error().code == Errc::kNotFound);
  CHECK(s.customers().find_by_phone("+49302222222")->empty());
  auto contacts = s.customers().contacts(kept.id, 10);
  REQUIRE(contacts->size() == 1);
  CHECK(contacts->at(0).ani == "+49301111111");
  auto after = s.tickets().get(before.id);
  CHECK(after->subject == "before");
  CHECK(after->customer == kept.id);
  CHECK(s.tickets().notes(before.id)->at(0).body == "original note");
  CHECK(s.tickets().get(fresh.id).error().code == Errc::kNotFound);
  FollowUpQuery all;
  CHECK(s.tickets().follow_ups(all)->empty());
  auto audit = s.audit().records(AuditQuery{});
  REQUIRE(audit.ok());
  for (const auto& a : *audit) CHECK(a.action != "noise");
  CHECK(d.tickets.search("before")->size() == 1);
  CHECK(d.tickets.search("gone")->empty());
  // Numbering resumes where the committed state left it.
  CHECK(d.ticket("next").number == "T-2026-000002");
}
