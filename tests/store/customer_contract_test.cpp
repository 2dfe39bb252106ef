// The customer contract: every case runs against the memory and SQLite backends.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

TEST_CASE_TEMPLATE("phone numbers are stored as E.164 and found by caller id", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewCustomer n;
  n.name = "Jana Novak";
  n.phones = {"030 1234567", "+49 (151) 2345-6789", "tel:+493012345 67"};
  n.emails = {"Jana.Novak@Example.COM"};
  n.tier = "vip";
  n.tags = {"newsletter"};
  n.attributes = R"({"language": "de"})";
  auto c = d.customers.create(d.agent, n);
  REQUIRE(c.ok());
  CHECK(c->phones == std::vector<std::string>{"+49301234567", "+4915123456789"});
  CHECK(c->emails == std::vector<std::string>{"jana.novak@example.com"});

  for (const char* ani : {"+49301234567", "0049 30 1234567", "030-1234567", "tel:+4915123456789"}) {
    auto hit = d.customers.lookup_by_ani(d.agent, ani);
    REQUIRE(hit.ok());
    REQUIRE_MESSAGE(hit->has_value(), ani);
    CHECK((*hit)->id == c->id);
    CHECK((*hit)->tier == "vip");
  }
  auto miss = d.customers.lookup_by_ani(d.agent, "+49 30 7654321");
  REQUIRE(miss.ok());
  CHECK_FALSE(miss->has_value());
  auto bad = d.customers.lookup_by_ani(d.agent, "12");
  CHECK(bad.error().code == Errc::kInvalidArgument);

  NewCustomer invalid;
  invalid.name = "Bad Number";
  invalid.phones = {"+49 30 12", "not a number"};
  auto refused = d.customers.create(d.agent, invalid);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("phones[0]") != std::string::npos);
  invalid.phones.clear();
  invalid.emails = {"nobody-at-example.com"};
  CHECK(d.customers.create(d.agent, invalid).error().message.find("emails[0]") !=
        std::string::npos);
  invalid.emails.clear();
  invalid.attributes = "[1, 2]";
  CHECK(d.customers.create(d.agent, invalid).error().message.find("attributes") !=
        std::string::npos);
  CHECK(d.customers.get(d.agent, 4242).error().code == Errc::kNotFound);
  CHECK(d.customers.update(d.agent, 4242, {}).error().code == Errc::kNotFound);
}

TEST_CASE_TEMPLATE("the 360 view: customer, recent contacts, open tickets, last agent", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Customer c = d.customer("Li Wei", "+8613800138000");
  for (int i = 0; i < 3; ++i) {
    ContactRecord r;
    r.contact_id = "call-" + std::to_string(i);
    r.customer = c.id;
    r.channel = "voice";
    r.queue = "support";
    r.agent = i == 2 ? "" : (i == 0 ? "bob" : "carol");
    r.ani = "+8613800138000";
    r.started_at = kStart + i * kHour;
    r.outcome = i == 2 ? "abandoned" : "answered";
    REQUIRE(d.customers.record_contact(r).ok());
  }
  const Ticket open = d.ticket("Open one", c.id);
  const Ticket done = d.ticket("Done one", c.id);
  REQUIRE(d.tickets.set_status(d.agent, done.id, TicketStatus::kResolved).ok());
  d.ticket("Someone else's");

  auto v = d.customers.view(d.agent, c.id, 2);
  REQUIRE(v.ok());
  CHECK(v->customer.name == "Li Wei");
  REQUIRE(v->contacts.size() == 2);
  CHECK(v->contacts[0].contact_id == "call-2");  // newest first
  CHECK(v->last_agent == "carol");               // the newest answered one
  REQUIRE(v->open_tickets.size() == 1);
  CHECK(v->open_tickets[0].id == open.id);
  CHECK(d.customers.view(d.agent, 999, 2).error().code == Errc::kNotFound);
  // The last agent alone, as a one-contact view finds it: the newest
  // contact went unanswered, so further back.
  CHECK(d.customers.view(d.agent, c.id, 1)->last_agent == "carol");
  CHECK(*d.customers.last_agent(c.id) == "carol");
  const Customer quiet = d.customer("Zhang San", "+8613900139000");
  auto nobody = d.customers.last_agent(quiet.id);
  REQUIRE(nobody.ok());
  CHECK(nobody->empty());
  auto unknown = d.customers.last_agent(999);
  REQUIRE(unknown.ok());
  CHECK(unknown->empty());
  ContactRecord missed;
  missed.contact_id = "missed";
  missed.customer = quiet.id;
  missed.channel = "voice";
  missed.outcome = "abandoned";
  missed.started_at = kStart;
  REQUIRE(d.customers.record_contact(missed).ok());
  auto unanswered = d.customers.last_agent(quiet.id);
  REQUIRE(unanswered.ok());
  CHECK(unanswered->empty());
  missed.contact_id = "served";
  missed.agent = "dave";
  missed.outcome = "answered";
  missed.started_at = kStart + kHour;
  REQUIRE(d.customers.record_contact(missed).ok());
  CHECK(*d.customers.last_agent(quiet.id) == "dave");
}

TEST_CASE_TEMPLATE("sensitive fields: masked for agents, audited clear reads for supervisors", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewCustomer n;
  n.name = "Max Mustermann";
  n.national_id = "T22000129";
  auto by_agent = d.customers.create(d.agent, n);
  REQUIRE_FALSE(by_agent.ok());
  CHECK(by_agent.error().code == Errc::kPermission);
  CHECK(by_agent.error().message.find("national_id") != std::string::npos);

  n.payment_info = "DE89 3704 0044 0532 0130 00";
  auto c = d.customers.create(d.supervisor, n);
  REQUIRE(c.ok());

  auto seen_by_agent = d.customers.get(d.agent, c->id);
  CHECK(seen_by_agent->national_id == "****0129");
  CHECK(seen_by_agent->payment_info == "****0 00");
  CustomerUpdate change;
  change.payment_info = "none";
  CHECK(d.customers.update(d.agent, c->id, change).error().code == Errc::kPermission);
  CustomerUpdate harmless;
  harmless.tier = "gold";
  REQUIRE(d.customers.update(d.agent, c->id, harmless).ok());

  d.now += kMinute;
  auto seen_by_supervisor = d.customers.get(d.supervisor, c->id);
  CHECK(seen_by_supervisor->national_id == "T22000129");

  AuditQuery q;
  q.entity = "customer";
  q.entity_id = c->id;
  CHECK(d.customers.audit(d.agent, q).error().code == Errc::kPermission);
  auto log = d.customers.audit(d.supervisor, q);
  REQUIRE(log.ok());
  REQUIRE(log->size() == 3);  // most recent first
  CHECK((*log)[0].action == "read-sensitive");
  CHECK((*log)[0].actor == "sam");
  CHECK((*log)[0].role == "supervisor");
  CHECK((*log)[0].at == kStart + kMinute);
  CHECK((*log)[0].detail == "national_id, payment_info");
  CHECK((*log)[1].action == "update");
  CHECK((*log)[1].actor == "alice");
  CHECK((*log)[1].detail == "tier");
  CHECK((*log)[2].action == "create");
  // The audit names sensitive fields, never their values.
  for (const auto& r : *log) CHECK(r.detail.find("T22000129") == std::string::npos);
}

TEST_CASE_TEMPLATE("CSV import: header mapping, per-row errors, dry run, duplicates", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  d.customer("Existing", "+49 30 1111111", "old@example.com");
  const std::string csv =
      "Full Name,Mobile,E-Mail,Level,Note\r\n"
      "Anna,+49 30 2222222,anna@example.com,vip,\"likes \"\"quotes\"\", and commas\"\r\n"
      "Bert,+49 30 1111111,,gold,dup of existing by phone\r\n"
      "Carl,not-a-number,carl@example.com,,bad phone\r\n"
      "Dora,+49 30 3333333,ANNA@example.com,,dup of row 2 by email\r\n"
      "Emil,+49 30 4444444\r\n"
      "\"Fritz\nSecond line\",+49 30 5555555,fritz@example.com,,multi-line name\r\n";
  ImportOptions o;
  o.mapping = {{"Full Name", "name"}, {"Mobile", "phone"}, {"E-Mail", "email"},
               {"Level", "tier"},     {"Note", "attributes.note"}};
  o.dry_run = true;

  CHECK(d.customers.import_csv(d.agent, csv, o).error().code == Errc::kPermission);
  auto dry = d.customers.import_csv(d.supervisor, csv, o);
  REQUIRE(dry.ok());
  CHECK(dry->rows == 6);
  CHECK(dry->created == 2);  // Anna, Fritz
  CHECK(dry->duplicates == 2);
  REQUIRE(dry->errors.size() == 2);
  CHECK(dry->errors[0].row == 4);
  CHECK(dry->errors[0].field == "phones[0]");
  CHECK(dry->errors[1].row == 6);
  CHECK(dry->errors[1].message.find("2 fields where the header has 5") != std::string::npos);
  REQUIRE(dry->duplicates_found.size() == 2);
  CHECK(dry->duplicates_found[0].row == 3);
  CHECK(dry->duplicates_found[0].message.find("+49301111111") != std::string::npos);
  CHECK(dry->duplicates_found[1].row == 5);
  CHECK(dry->duplicates_found[1].message.find("row 2") != std::string::npos);
  // A dry run writes nothing.
  CHECK_FALSE(d.customers.lookup_by_ani(d.agent, "+49 30 2222222")->has_value());

  o.dry_run = false;
  o.duplicates = ImportOptions::Duplicates::kMerge;
  auto real = d.customers.import_csv(d.supervisor, csv, o);
  REQUIRE(real.ok());
  CHECK(real->created == 2);
  CHECK(real->merged == 2);
  CHECK(real->errors.size() == 2);
  auto anna = d.customers.lookup_by_ani(d.agent, "+49 30 2222222");
  REQUIRE(anna->has_value());
  CHECK((*anna)->tier == "vip");
  CHECK(nlohmann::json::parse((*anna)->attributes)["note"] == "likes \"quotes\", and commas");
  // Dora merged into Anna: one record holds both numbers.
  auto dora = d.customers.lookup_by_ani(d.agent, "+49 30 3333333");
  REQUIRE(dora->has_value());
  CHECK((*dora)->id == (*anna)->id);
  auto existing = d.customers.lookup_by_ani(d.agent, "+49 30 1111111");
  CHECK((*existing)->name == "Existing");
  CHECK((*existing)->tier == "gold");  // filled from Bert's row
  auto fritz = d.customers.lookup_by_ani(d.agent, "+49 30 5555555");
  CHECK((*fritz)->name == "Fritz\nSecond line");

  ImportOptions plain;  // headers named like the fields map themselves
  auto broken = d.customers.import_csv(d.supervisor, "name,phone\n\"unterminated,+4930\n", plain);
  REQUIRE_MESSAGE(broken.ok(), (broken.ok() ? "" : broken.error().message));
  REQUIRE(broken->errors.size() == 1);
  CHECK(broken->errors[0].message.find("never closed") != std::string::npos);
  CHECK(broken->errors[0].row == 2);
  CHECK(d.customers.import_csv(d.supervisor, "", plain).error().code == Errc::kInvalidArgument);
  ImportOptions wrong;
  wrong.mapping = {{"Nope", "name"}};
  CHECK(d.customers.import_csv(d.supervisor, csv, wrong).error().message.find("'Nope'") !=
        std::string::npos);
}

TEST_CASE_TEMPLATE("merging moves tickets and contacts and keeps the history", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Customer a = d.customer("Ann", "+44 20 7946 0018", "ann@example.com");
  const Customer b = d.customer("Ann B.", "+44 7911 123456", "annb@example.com");
  const Ticket ta = d.ticket("A's ticket", a.id);
  const Ticket tb = d.ticket("B's ticket", b.id);
  ContactRecord r;
  r.contact_id = "c1";
  r.customer = b.id;
  r.agent = "bob";
  r.started_at = kStart;
  REQUIRE(d.customers.record_contact(r).ok());

  CHECK(d.customers.merge(d.agent, a.id, b.id).error().code == Errc::kPermission);
  CHECK(d.customers.merge(d.supervisor, a.id, a.id).error().code == Errc::kInvalidArgument);
  auto merged = d.customers.merge(d.supervisor, a.id, b.id);
  REQUIRE(merged.ok());
  CHECK(merged->phones.size() == 2);
  CHECK(merged->emails.size() == 2);

  CHECK(d.tickets.get(tb.id)->customer == a.id);
  CHECK(d.tickets.get(ta.id)->customer == a.id);
  auto hist = d.tickets.history(tb.id);
  CHECK(hist->back().field == "customer");
  CHECK(hist->back().old_value == std::to_string(b.id));
  auto view = d.customers.view(d.agent, a.id);
  CHECK(view->open_tickets.size() == 2);
  CHECK(view->last_agent == "bob");
  // The old record points at the survivor; caller-id finds the survivor.
  auto old = d.customers.get(d.supervisor, b.id);
  CHECK(old->merged_into == a.id);
  CHECK((*d.customers.lookup_by_ani(d.agent, "+44 7911 123456"))->id == a.id);
  CHECK(d.customers.update(d.agent, b.id, {}).error().code == Errc::kIllegalState);
  // A ticket for the merged-away customer lands on the survivor.
  CHECK(d.ticket("late", b.id).customer == a.id);
}

TEST_CASE_TEMPLATE("export and erasure on request", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  NewCustomer n;
  n.name = "Erik Example";
  n.phones = {"+46 8 123 456 78"};
  n.emails = {"erik@example.se"};
  n.national_id = "19800101-1234";
  auto c = d.customers.create(d.admin, n);
  REQUIRE(c.ok());
  const Ticket t = d.ticket("Erik's complaint about his neighbour Sven", c->id);
  REQUIRE(d.tickets.add_note(d.agent, t.id, "Sven called too", false).ok());
  REQUIRE(d.tickets.add_note(d.agent, t.id, "internal remark", true).ok());
  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kResolved).ok());
  REQUIRE(d.tickets.rate(d.agent, t.id, 4).ok());
  ContactRecord r;
  r.customer = c->id;
  r.ani = "+46812345678";
  r.started_at = kStart;
  r.agent = "bob";
  REQUIRE(d.customers.record_contact(r).ok());

  CHECK(d.customers.export_json(d.supervisor, c->id).error().code == Errc::kPermission);
  auto exported = d.customers.export_json(d.admin, c->id);
  REQUIRE(exported.ok());
  auto doc = nlohmann::json::parse(*exported);
  CHECK(doc["customer"]["name"] == "Erik Example");
  CHECK(doc["customer"]["national_id"] == "19800101-1234");
  CHECK(doc["contacts"][0]["ani"] == "+46812345678");
  CHECK(doc["tickets"][0]["notes"].size() == 1);  // the public note only
  CHECK(doc["tickets"][0]["notes"][0]["body"] == "Sven called too");

  CHECK(d.customers.erase(d.supervisor, c->id).error().code == Errc::kPermission);
  REQUIRE(d.customers.erase(d.admin, c->id).ok());
  auto after = d.customers.get(d.admin, c->id);
  CHECK(after->erased);
  CHECK(after->name == "[erased]");
  CHECK(after->phones.empty());
  CHECK(after->national_id.empty());
  CHECK_FALSE(d.customers.lookup_by_ani(d.agent, "+46 8 123 456 78")->has_value());
  // Ticket statistics stay; its words are gone from the ticket and the index.
  auto ticket = d.tickets.get(t.id);
  CHECK(ticket->satisfaction == 4);
  CHECK(ticket->status == TicketStatus::kResolved);
  CHECK(ticket->subject == "[erased]");
  CHECK(d.tickets.notes(t.id)->at(0).body == "[erased]");
  CHECK(d.tickets.search("Sven")->empty());
  auto again = nlohmann::json::parse(*d.customers.export_json(d.admin, c->id));
  CHECK(again["contacts"][0]["ani"] == "");
  AuditQuery q;
  q.entity_id = c->id;
  auto log = d.customers.audit(d.admin, q);
  CHECK(log->at(0).action == "export");
  CHECK(log->at(1).action == "erase");
}

TEST_CASE_TEMPLATE("SQL metacharacters and oversized fields in customer data", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const std::string evil = "Robert'); DROP TABLE customers;-- \"%_\\";
  NewCustomer n;
  n.name = evil;
  n.tier = evil;
  n.tags = {evil};
  n.emails = {"o'brien@example.com"};
  n.attributes = nlohmann::json{{"note", evil}}.dump();
  n.national_id = evil;
  n.payment_info = evil;
  auto c = d.customers.create(d.supervisor, n);
  REQUIRE(c.ok());
  auto back = d.customers.get(d.supervisor, c->id);
  CHECK(back->name == evil);
  CHECK(back->national_id == evil);
  CHECK(back->payment_info == evil);
  CHECK(back->tier == evil);
  CHECK(nlohmann::json::parse(back->attributes)["note"] == evil);
  CHECK(back->tags == std::vector<std::string>{evil});
  CHECK(back->emails == std::vector<std::string>{"o'brien@example.com"});

  NewCustomer big;
  big.name = std::string(10000, 'x');
  auto refused = d.customers.create(d.agent, big);
  CHECK(refused.error().code == Errc::kInvalidArgument);
  CHECK(refused.error().message.find("name") != std::string::npos);
  NewCustomer nothing;
  CHECK(d.customers.create(d.agent, nothing).error().code == Errc::kInvalidArgument);
}
