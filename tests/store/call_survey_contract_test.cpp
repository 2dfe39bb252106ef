// A call's tickets: found by the contact they came from, rated by the
// call's post-call survey; supervisors' actions on calls in the audit log.
// Every backend.
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

template <typename B>
Ticket ticket_of_call(Desk<B>& d, const std::string& call, const std::string& subject) {
  NewTicket n;
  n.subject = subject;
  n.contact_id = call;
  auto t = d.tickets.create(d.agent, n);
  REQUIRE(t.ok());
  return *t;
}

}  // namespace

TEST_CASE_TEMPLATE("tickets are listed by the contact they came from", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket a = ticket_of_call(d, "c1", "refund");
  ticket_of_call(d, "c2", "other call");
  const Ticket b = ticket_of_call(d, "c1", "address");
  d.ticket("no contact");
  TicketQuery q;
  q.contact_id = "c1";
  auto page = d.tickets.list(q);
  REQUIRE(page.ok());
  REQUIRE(page->tickets.size() == 2);
  CHECK(page->tickets[0].id == b.id);  // newest first
  CHECK(page->tickets[1].id == a.id);
}

TEST_CASE_TEMPLATE("a survey score rates the call's resolved tickets once and notes open ones", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket resolved = ticket_of_call(d, "c1", "refund");
  REQUIRE(d.tickets.set_status(d.agent, resolved.id, TicketStatus::kResolved).ok());
  const Ticket open = ticket_of_call(d, "c1", "address");
  const Actor survey{"survey", Role::kAgent};
  auto reached = d.tickets.rate_contact(survey, "c1", 4);
  REQUIRE(reached.ok());
  CHECK(*reached == 2);
  CHECK(d.tickets.get(resolved.id)->satisfaction == 4);
  CHECK(d.tickets.get(open.id)->satisfaction == 0);
  auto notes = d.tickets.notes(open.id);
  REQUIRE(notes.ok());
  REQUIRE(notes->size() == 1);
  CHECK((*notes)[0].body == "post-call survey score: 4 of 5");
  CHECK((*notes)[0].internal);
  // A second score leaves the first rating standing.
  auto again = d.tickets.rate_contact(survey, "c1", 1);
  REQUIRE(again.ok());
  CHECK(*again == 1);  // the open ticket's second note
  CHECK(d.tickets.get(resolved.id)->satisfaction == 4);
  // No tickets, nothing reached; a score outside 1 to 5 is refused.
  CHECK(*d.tickets.rate_contact(survey, "c7", 5) == 0);
  auto bad = d.tickets.rate_contact(survey, "c1", 6);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message == "satisfaction is 1 to 5, not 6");
}

TEST_CASE_TEMPLATE("a supervisor's action is an audit record of who, when and which call", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  REQUIRE(d.tickets.audit_supervision("sue", "barge", "c1", "sam", 12'345).ok());
  REQUIRE(d.tickets.audit_supervision("sue", "force_logout", "", "sam", 23'456).ok());
  AuditQuery q;
  q.actor = "sue";
  auto records = d.storage->audit().records(q);
  REQUIRE(records.ok());
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].action == "force_logout");
  CHECK((*records)[0].detail == "call - agent sam");
  CHECK((*records)[0].at == 23'456);
  CHECK((*records)[1].action == "barge");
  CHECK((*records)[1].detail == "call c1 agent sam");
  CHECK((*records)[1].entity == "call");
  CHECK((*records)[1].role == "supervisor");
}
