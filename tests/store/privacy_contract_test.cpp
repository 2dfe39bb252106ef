// Privacy at the root, on every backend: every customer handed to a role
// passes one masking-and-audit step, and erasure leaves no personal text in
// tickets, their history, follow-ups, merged-away records or search.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "hotline/store/json.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

template <typename B>
Customer sensitive_customer(Desk<B>& d, const std::string& name, const std::string& phone) {
  NewCustomer n;
  n.name = name;
  n.phones = {phone};
  n.national_id = "T22000129";
  n.payment_info = "DE89 3704 0044 0532 0130 00";
  auto c = d.customers.create(d.supervisor, n);
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  return *c;
}

template <typename B>
std::size_t sensitive_reads(Desk<B>& d, CustomerId id) {
  AuditQuery q;
  q.entity = "customer";
  q.entity_id = id;
  auto log = d.customers.audit(d.admin, q);
  REQUIRE(log.ok());
  std::size_t n = 0;
  for (const auto& r : *log) n += r.action == "read-sensitive" ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE_TEMPLATE("update and merge hand sensitive fields out only through the audited step", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Customer c = sensitive_customer(d, "Max Mustermann", "+49 30 1234567");
  CHECK(sensitive_reads(d, c.id) == 0);

  // An empty update by a supervisor returns the stored values: audited.
  auto empty = d.customers.update(d.supervisor, c.id, CustomerUpdate{});
  REQUIRE(empty.ok());
  CHECK(empty->national_id == "T22000129");
  CHECK(sensitive_reads(d, c.id) == 1);
  CustomerUpdate tier;
  tier.tier = "gold";
  auto changed = d.customers.update(d.supervisor, c.id, tier);
  REQUIRE(changed.ok());
  CHECK(changed->payment_info == "DE89 3704 0044 0532 0130 00");
  CHECK(sensitive_reads(d, c.id) == 2);

  // An agent's update returns them masked, and reads nothing to audit.
  auto by_agent = d.customers.update(d.agent, c.id, CustomerUpdate{});
  REQUIRE(by_agent.ok());
  CHECK(by_agent->national_id == "****0129");
  CHECK(by_agent->payment_info == "****0 00");
  CHECK(sensitive_reads(d, c.id) == 2);

  // Merge: the survivor comes back with the duplicate's sensitive fields.
  NewCustomer plain;
  plain.name = "M. Mustermann";
  plain.phones = {"+49 30 7654321"};
  auto survivor = d.customers.create(d.agent, plain);
  REQUIRE(survivor.ok());
  auto merged = d.customers.merge(d.supervisor, survivor->id, c.id);
  REQUIRE(merged.ok());
  CHECK(merged->national_id == "T22000129");
  CHECK(sensitive_reads(d, survivor->id) == 1);

  // The 360 view, caller id and get, for both roles.
  auto view = d.customers.view(d.agent, survivor->id);
  CHECK(view->customer.national_id == "****0129");
  auto pop = d.customers.lookup_by_ani(d.agent, "+49 30 7654321");
  CHECK((*pop)->payment_info == "****0 00");
  CHECK(sensitive_reads(d, survivor->id) == 1);
  CHECK(d.customers.view(d.supervisor, survivor->id)->customer.national_id == "T22000129");
  CHECK(sensitive_reads(d, survivor->id) == 2);
  CHECK((*d.customers.lookup_by_ani(d.supervisor, "+49 30 1234567"))->national_id ==
        "T22000129");
  CHECK(sensitive_reads(d, survivor->id) == 3);

  // Export: the admin's document, with its read and its export audited.
  auto exported = d.customers.export_json(d.admin, survivor->id);
  REQUIRE(exported.ok());
  CHECK(nlohmann::json::parse(*exported)["customer"]["national_id"] == "T22000129");
  CHECK(sensitive_reads(d, survivor->id) == 4);
}

TEST_CASE_TEMPLATE("erasure scrubs history, follow-ups, merged-away records and search", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Customer keep = sensitive_customer(d, "Other Person", "+49 30 5555555");
  const Customer alias = sensitive_customer(d, "Quirin Xylograph", "+49 30 2222222");
  const Customer c = sensitive_customer(d, "Quirin Xylograph", "+49 30 1111111");
  const Ticket t = d.ticket("Xylograph complains about Quokka", c.id);
  const Ticket other = d.ticket("Printer jam", keep.id);
  TicketUpdate u;
  u.subject = "Renamed subject";
  u.description = "Xylograph's description";
  REQUIRE(d.tickets.update(d.agent, t.id, u).ok());
  u.description = "Nothing personal";
  REQUIRE(d.tickets.update(d.agent, t.id, u).ok());
  REQUIRE(d.tickets.add_note(d.agent, t.id, "Quokka called again", false).ok());
  auto f = d.tickets.schedule_follow_up(d.agent, t.id, FollowUpKind::kCallback, kStart, "bob");
  REQUIRE(f.ok());
  REQUIRE(d.tickets.complete_follow_up(d.agent, f->id, "Quokka Xylograph satisfied").ok());
  REQUIRE(d.customers.merge(d.supervisor, c.id, alias.id).ok());
  REQUIRE(d.tickets.search("quokka")->size() == 1);

  REQUIRE(d.customers.erase(d.admin, c.id).ok());

  for (const char* word : {"quokka", "xylograph", "Xylograph's", "QUOKKA"}) {
    CHECK_MESSAGE(d.tickets.search(word)->empty(), word);
  }
  auto everything = [&](TicketId id) {
    nlohmann::json all = to_json(*d.tickets.get(id));
    const auto history = d.tickets.history(id);
    for (const auto& h : *history) all["history"].push_back(to_json(h));
    const auto notes = d.tickets.notes(id);
    for (const auto& n : *notes) all["notes"].push_back(to_json(n));
    FollowUpQuery q;
    q.ticket = id;
    const auto follow_ups = d.tickets.follow_ups(q);
    for (const auto& x : *follow_ups) all["follow_ups"].push_back(to_json(x));
    return all.dump();
  };
  const std::string text = everything(t.id);
  CHECK(text.find("Quokka") == std::string::npos);
  CHECK(text.find("Xylograph") == std::string::npos);
  CHECK(text.find("[erased]") != std::string::npos);
  // What statistics need stays: the history still says what changed.
  const auto history = *d.tickets.history(t.id);
  CHECK(std::any_of(history.begin(), history.end(),
                    [](const TicketChange& h) { return h.field == "description"; }));
  CHECK(d.tickets.follow_ups(FollowUpQuery{})->front().status == FollowUpStatus::kDone);

  // The record merged into the erased one is erased with it.
  for (CustomerId id : {c.id, alias.id}) {
    auto gone = d.customers.get(d.admin, id);
    REQUIRE(gone.ok());
    CHECK(gone->erased);
    CHECK(gone->name == "[erased]");
    CHECK(gone->national_id.empty());
    CHECK(gone->payment_info.empty());
    CHECK(to_json(*gone).dump().find("Xylograph") == std::string::npos);
  }
  // Someone else's data is untouched.
  CHECK(d.customers.get(d.admin, keep.id)->national_id == "T22000129");
  CHECK(d.tickets.get(other.id)->subject == "Printer jam");
  CHECK(d.tickets.search("printer")->size() == 1);
}
