// Text that is not UTF-8 is refused before anything is written, naming the
// field (or CSV row and column), on every backend; the store stays readable
// for everyone afterwards.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/store/json.hpp"
#include "hotline/util/utf8.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

const std::string kLatin1 = "Jos\xe9";  // "José" in Latin-1: 0xE9 starts no UTF-8 sequence

bool mentions(const Error& e, std::string_view what) {
  return e.message.find(what) != std::string::npos;
}

// Everything a reader can ask for about tickets still answers, and every
// answer serialises as JSON (which throws on bytes that are not UTF-8).
template <typename B>
void tickets_still_readable(Desk<B>& d, const Ticket& t) {
  auto got = d.tickets.get(t.id);
  REQUIRE(got.ok());
  CHECK(to_json(*got).dump().size() > 0);
  auto page = d.tickets.list(TicketQuery{});
  REQUIRE(page.ok());
  CHECK(to_json(*page).dump().size() > 0);
  auto found = d.tickets.search("printer");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front().id == t.id);
  auto history = d.tickets.history(t.id);
  REQUIRE(history.ok());
  for (const auto& c : *history) CHECK(is_valid_utf8(to_json(c).dump()));
}

}  // namespace

TEST_CASE_TEMPLATE("assigning a ticket to a non-UTF-8 id is refused and writes nothing", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket t = d.ticket("The printer is on fire");
  const auto history_before = d.tickets.history(t.id)->size();

  auto refused = d.tickets.assign(d.agent, t.id, kLatin1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == Errc::kInvalidArgument);
  CHECK(refused.error().message == "assignee: not valid UTF-8 (byte 3)");
  CHECK(d.tickets.get(t.id)->assignee.empty());
  CHECK(d.tickets.history(t.id)->size() == history_before);
  tickets_still_readable(d, t);

  // The class, not the one case: every text a ticket takes.
  CHECK(mentions(d.tickets.transfer(d.agent, t.id, kLatin1).error(), "group: not valid UTF-8"));
  CHECK(mentions(d.tickets.add_note(d.agent, t.id, "ok " + kLatin1, false).error(),
                 "note: not valid UTF-8"));
  TicketUpdate u;
  u.subject = kLatin1;
  CHECK(mentions(d.tickets.update(d.agent, t.id, u).error(), "subject: not valid UTF-8"));
  u.subject.reset();
  u.category = kLatin1;
  CHECK(mentions(d.tickets.update(d.agent, t.id, u).error(), "category: not valid UTF-8"));
  CHECK(mentions(d.tickets
                     .schedule_follow_up(d.agent, t.id, FollowUpKind::kCallback, kStart, kLatin1)
                     .error(),
                 "assignee: not valid UTF-8"));
  const Actor latin1_actor{kLatin1, Role::kAdmin};
  CHECK(mentions(d.tickets.set_status(latin1_actor, t.id, TicketStatus::kOpen).error(),
                 "actor id: not valid UTF-8"));
  CHECK(mentions(d.tickets.search(kLatin1).error(), "search text: not valid UTF-8"));
  TicketQuery by_assignee;
  by_assignee.assignee = kLatin1;
  CHECK(mentions(d.tickets.list(by_assignee).error(), "assignee: not valid UTF-8"));
  TicketQuery after;
  after.after = "1:" + kLatin1;
  CHECK(mentions(d.tickets.list(after).error(), "after: not valid UTF-8"));
  auto f = d.tickets.schedule_follow_up(d.agent, t.id, FollowUpKind::kCallback, kStart, "bob");
  REQUIRE(f.ok());
  CHECK(mentions(d.tickets.complete_follow_up(d.agent, f->id, kLatin1).error(),
                 "outcome: not valid UTF-8"));
  CHECK(d.tickets.follow_ups(FollowUpQuery{})->front().status == FollowUpStatus::kScheduled);

  NewTicket n;
  n.subject = "fine";
  n.description = "also fine";
  n.contact_id = kLatin1;
  auto created = d.tickets.create(d.agent, n);
  CHECK(mentions(created.error(), "contact_id: not valid UTF-8"));
  NewTicket good;
  good.subject = "good";
  auto batch = d.tickets.create_batch(d.agent, {good, n});
  CHECK(mentions(batch.error(), "ticket [1]: contact_id: not valid UTF-8"));
  CHECK(d.tickets.list(TicketQuery{})->tickets.size() == 1);
  // Numbering was not consumed by the refusals.
  CHECK(d.ticket("next").number == "T-2026-000002");

  CHECK(d.tickets.get(t.id)->status == TicketStatus::kNew);
  CHECK(d.tickets.notes(t.id)->empty());
  tickets_still_readable(d, t);
}

TEST_CASE_TEMPLATE("customer fields and contacts that are not UTF-8 are refused by name", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewCustomer n;
  n.name = kLatin1;
  CHECK(d.customers.create(d.agent, n).error().message == "name: not valid UTF-8 (byte 3)");
  n.name = "Jose";
  n.tags = {"ok", kLatin1};
  CHECK(mentions(d.customers.create(d.agent, n).error(), "tags[1]: not valid UTF-8"));
  n.tags.clear();
  n.phones = {"+49 30 1234567", "+49 30 " + kLatin1};
  CHECK(mentions(d.customers.create(d.agent, n).error(), "phones[1]: not valid UTF-8"));
  n.phones.clear();
  n.national_id = kLatin1;
  CHECK(mentions(d.customers.create(d.supervisor, n).error(), "national_id: not valid UTF-8"));
  n.national_id.clear();
  n.attributes = "{\"city\": \"" + kLatin1 + "\"}";
  CHECK(mentions(d.customers.create(d.agent, n).error(), "attributes"));
  n.attributes = "{}";
  const Customer c = d.customer("Jose", "+49 30 1234567");

  CustomerUpdate u;
  u.tier = kLatin1;
  CHECK(mentions(d.customers.update(d.agent, c.id, u).error(), "tier: not valid UTF-8"));
  CHECK(d.customers.get(d.agent, c.id)->tier.empty());
  CHECK(mentions(d.customers.lookup_by_ani(d.agent, kLatin1).error(), "ani: not valid UTF-8"));

  ContactRecord contact;
  contact.customer = c.id;
  contact.agent = kLatin1;
  CHECK(mentions(d.customers.record_contact(contact).error(), "agent: not valid UTF-8"));
  CHECK(d.customers.view(d.agent, c.id)->contacts.empty());

  auto audit = d.customers.audit(d.supervisor, AuditQuery{});
  REQUIRE(audit.ok());
  CHECK(audit->size() == 1);  // the one create that succeeded
  CHECK(to_json(*d.customers.view(d.agent, c.id)).dump().size() > 0);
}

TEST_CASE_TEMPLATE("a Latin-1 CSV row is refused with its row and column; the others import", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const std::string csv = "name,phone,tier\n"
                          "Anna,+49 30 1111111,gold\n" +
                          kLatin1 + ",+49 30 2222222,gold\n"
                          "Bert,+49 30 3333333,caf\xe9\n";
  auto report = d.customers.import_csv(d.supervisor, csv, ImportOptions{});
  REQUIRE(report.ok());
  CHECK(report->rows == 3);
  CHECK(report->created == 1);
  REQUIRE(report->errors.size() == 2);
  CHECK(report->errors[0].row == 3);
  CHECK(report->errors[0].field == "name");
  CHECK(report->errors[0].message == "column 1 ('name'): not valid UTF-8 (byte 3)");
  CHECK(report->errors[1].row == 4);
  CHECK(report->errors[1].field == "tier");
  CHECK(report->errors[1].message == "column 3 ('tier'): not valid UTF-8 (byte 3)");
  CHECK(is_valid_utf8(to_json(*report).dump()));

  // Nothing of the refused rows was stored; the imported one reads back.
  CHECK_FALSE(d.customers.lookup_by_ani(d.agent, "+49302222222")->has_value());
  CHECK_FALSE(d.customers.lookup_by_ani(d.agent, "+49303333333")->has_value());
  auto anna = d.customers.lookup_by_ani(d.agent, "+49301111111");
  REQUIRE(anna.ok());
  REQUIRE(anna->has_value());
  CHECK((*anna)->name == "Anna");
  CHECK(to_json(**anna).dump().size() > 0);

  auto bad_header = d.customers.import_csv(d.supervisor, "name,t\xe9l\nAnna,1\n", ImportOptions{});
  REQUIRE_FALSE(bad_header.ok());
  CHECK(bad_header.error().message == "CSV row 1, column 2: not valid UTF-8 (byte 1)");
}

TEST_CASE_TEMPLATE("masking keeps whole characters, so masked values stay UTF-8", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewCustomer n;
  n.name = "Zoë";
  n.national_id = "身份证号码一二三四";
  n.payment_info = "ÄÖ";
  auto c = d.customers.create(d.supervisor, n);
  REQUIRE(c.ok());
  auto seen = d.customers.get(d.agent, c->id);
  REQUIRE(seen.ok());
  CHECK(seen->national_id == "****一二三四");
  CHECK(seen->payment_info == "****");
  CHECK(is_valid_utf8(to_json(*seen).dump()));
}
