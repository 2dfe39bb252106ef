// The ticket contract: every case runs against the memory and SQLite backends.
#include <doctest/doctest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

TEST_CASE_TEMPLATE("tickets are numbered by year and keep what they were given", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewTicket n;
  n.subject = "Card blocked";
  n.description = "Customer's card was blocked abroad";
  n.category = "billing";
  n.priority = TicketPriority::kHigh;
  n.channel = TicketChannel::kChat;
  n.contact_id = "call-17";
  n.assignee = "alice";
  n.group = "cards";
  auto t = d.tickets.create(d.agent, n);
  REQUIRE(t.ok());
  CHECK(t->number == "T-2026-000001");
  CHECK(d.ticket("second").number == "T-2026-000002");
  auto back = d.tickets.get_by_number("T-2026-000001");
  REQUIRE(back.ok());
  CHECK(back->id == t->id);
  CHECK(back->subject == "Card blocked");
  CHECK(back->description == n.description);
  CHECK(back->category == "billing");
  CHECK(back->priority == TicketPriority::kHigh);
  CHECK(back->channel == TicketChannel::kChat);
  CHECK(back->status == TicketStatus::kNew);
  CHECK(back->contact_id == "call-17");
  CHECK(back->assignee == "alice");
  CHECK(back->group == "cards");
  CHECK(back->created_at == kStart);
  // A new year starts a new sequence.
  d.now = kStart + 40LL * 24 * kHour;  // 2027-01-03
  CHECK(d.ticket("next year").number == "T-2027-000001");
}

TEST_CASE_TEMPLATE("the status workflow allows its transitions and refuses the rest", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket t = d.ticket("Router broken");
  auto bad = d.tickets.set_status(d.agent, t.id, TicketStatus::kClosed);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::kIllegalState);
  CHECK(bad.error().message.find("cannot go from new to closed") != std::string::npos);
  CHECK(bad.error().message.find("allowed: open, pending, resolved") != std::string::npos);

  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kOpen).ok());
  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kPending).ok());
  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kOpen).ok());
  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kResolved).ok());
  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kClosed).ok());
  CHECK(d.tickets.set_status(d.agent, t.id, TicketStatus::kPending).error().code ==
        Errc::kIllegalState);
  auto reopened = d.tickets.set_status(d.agent, t.id, TicketStatus::kOpen);
  REQUIRE(reopened.ok());
  CHECK(reopened->reopen_count == 1);
  CHECK(reopened->closed_at == kNoTime);
  CHECK(d.tickets.set_status(d.agent, 999999, TicketStatus::kOpen).error().code ==
        Errc::kNotFound);
}

TEST_CASE_TEMPLATE("history records who changed what, from what to what", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket t = d.ticket("VPN drops");
  d.now += kMinute;
  REQUIRE(d.tickets.assign(d.agent, t.id, "bob").ok());
  d.now += kMinute;
  REQUIRE(d.tickets.transfer(d.supervisor, t.id, "network").ok());
  REQUIRE(d.tickets.set_status(d.agent, t.id, TicketStatus::kOpen).ok());
  TicketUpdate u;
  u.priority = TicketPriority::kUrgent;
  u.subject = "VPN drops every hour";
  REQUIRE(d.tickets.update(d.agent, t.id, u).ok());

  auto h = d.tickets.history(t.id);
  REQUIRE(h.ok());
  std::vector<std::string> lines;
  for (const auto& c : *h) {
    lines.push_back(c.actor + " " + c.field + " " + c.old_value + "->" + c.new_value);
  }
  const std::vector<std::string> expected = {
      "alice created ->T-2026-000001",
      "alice assignee ->bob",
      "sam group support->network",
      "sam assignee bob->",
      "alice status new->open",
      "alice subject VPN drops->VPN drops every hour",
      "alice priority normal->urgent",
  };
  CHECK(lines == expected);
  CHECK((*h)[1].at == kStart + kMinute);
  auto now = d.tickets.get(t.id);
  CHECK(now->group == "network");
  CHECK(now->assignee.empty());
}

TEST_CASE_TEMPLATE("notes: internal and public; the first public one is the first response", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket t = d.ticket("Bill too high");
  d.now += 10 * kMinute;
  REQUIRE(d.tickets.add_note(d.agent, t.id, "checking with billing", true).ok());
  CHECK(d.tickets.get(t.id)->first_response_at == kNoTime);
  d.now += 10 * kMinute;
  auto n = d.tickets.add_note(d.agent, t.id, "We are looking into it.", false);
  REQUIRE(n.ok());
  CHECK(d.tickets.get(t.id)->first_response_at == kStart + 20 * kMinute);
  auto notes = d.tickets.notes(t.id);
  REQUIRE(notes->size() == 2);
  CHECK((*notes)[0].internal);
  CHECK((*notes)[0].author == "alice");
  CHECK_FALSE((*notes)[1].internal);
  CHECK((*notes)[1].body == "We are looking into it.");
  CHECK(d.tickets.add_note(d.agent, t.id, "", false).error().code == Errc::kInvalidArgument);
  CHECK(d.tickets.add_note(d.agent, 424242, "x", false).error().code == Errc::kNotFound);
}

TEST_CASE_TEMPLATE("SLA due times follow business hours and stop while pending", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  auto cal = Calendar::from_json(nlohmann::json::parse(R"({
    "time_zone": "UTC",
    "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]],
               "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]],
               "fri": [["09:00", "17:00"]]},
    "holidays": ["2026-11-26"]
  })"));
  REQUIRE(cal.ok());
  auto opts = d.ticket_options();
  opts.calendar = *cal;
  TicketService svc(*d.storage, opts);

  // Tuesday 15:00: 4 business hours for first response → Wednesday 11:00;
  // 24 business hours (three working days) for resolution, Thursday being a
  // holiday: Tue 2 h, Wed 8 h, Fri 8 h, Mon 6 h → Monday 15:00.
  d.now = kStart + 6 * kHour;
  NewTicket n;
  n.subject = "Printer on fire";
  auto t = svc.create(d.agent, n);
  REQUIRE(t.ok());
  CHECK(t->first_response_due == kStart + 26 * kHour);
  CHECK(t->resolution_due == kStart + 6 * 24 * kHour + 6 * kHour);

  // Pending from Wednesday 09:00 to 13:00 (4 business hours): the
  // resolution clock stops, and the due time moves by 4 business hours.
  d.now = kStart + 24 * kHour;
  REQUIRE(svc.set_status(d.agent, t->id, TicketStatus::kOpen).ok());
  auto pending = svc.set_status(d.agent, t->id, TicketStatus::kPending);
  REQUIRE(pending.ok());
  CHECK(pending->resolution_due == kNoTime);
  d.now = kStart + 28 * kHour;
  auto back = svc.set_status(d.agent, t->id, TicketStatus::kOpen);
  REQUIRE(back.ok());
  CHECK(back->paused_ms == 4 * kHour);
  CHECK(back->resolution_due == kStart + 7 * 24 * kHour + 2 * kHour);  // Tuesday 11:00

  // Breached and due soon: at Wednesday 13:00 the first response (due 11:00)
  // is breached; with a 5-day horizon the resolution is due soon.
  auto alerts = svc.sla_alerts(0);
  REQUIRE(alerts.ok());
  REQUIRE(alerts->size() == 1);
  CHECK((*alerts)[0].target == SlaAlert::Target::kFirstResponse);
  CHECK((*alerts)[0].breached);
  alerts = svc.sla_alerts(7 * 24 * kHour);
  REQUIRE(alerts->size() == 2);
  CHECK((*alerts)[1].target == SlaAlert::Target::kResolution);
  CHECK_FALSE((*alerts)[1].breached);
  // Answering clears the first-response alert.
  REQUIRE(svc.add_note(d.agent, t->id, "On it", false).ok());
  alerts = svc.sla_alerts(0);
  CHECK(alerts->empty());
}

TEST_CASE_TEMPLATE("follow-ups are scheduled, listed by due time and closed once", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket t = d.ticket("Visit needed");
  auto late = d.tickets.schedule_follow_up(d.agent, t.id, FollowUpKind::kVisit,
                                           kStart + 48 * kHour, "tech-team");
  auto soon = d.tickets.schedule_follow_up(d.agent, t.id, FollowUpKind::kCallback,
                                           kStart + 2 * kHour, "alice");
  REQUIRE(late.ok());
  REQUIRE(soon.ok());
  FollowUpQuery q;
  q.status = FollowUpStatus::kScheduled;
  q.due_before = kStart + 3 * kHour;
  auto due = d.tickets.follow_ups(q);
  REQUIRE(due->size() == 1);
  CHECK((*due)[0].id == soon->id);
  CHECK((*due)[0].assignee == "alice");

  auto done = d.tickets.complete_follow_up(d.agent, soon->id, "called back, fixed");
  REQUIRE(done.ok());
  CHECK(done->status == FollowUpStatus::kDone);
  CHECK(done->outcome == "called back, fixed");
  CHECK(d.tickets.complete_follow_up(d.agent, soon->id, "again").error().code ==
        Errc::kIllegalState);
  CHECK(d.tickets.complete_follow_up(d.agent, late->id, "").error().code ==
        Errc::kInvalidArgument);
  CHECK(d.tickets.cancel_follow_up(d.agent, late->id).ok());
  CHECK(d.tickets.complete_follow_up(d.agent, 987654, "x").error().code == Errc::kNotFound);
  FollowUpQuery all;
  all.ticket = t.id;
  CHECK(d.tickets.follow_ups(all)->size() == 2);
  CHECK(d.tickets.schedule_follow_up(d.agent, 987654, FollowUpKind::kCallback, kStart, "a")
            .error()
            .code == Errc::kNotFound);
}

TEST_CASE_TEMPLATE("a low satisfaction score opens a recovery follow-up for supervisors", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket happy = d.ticket("fine");
  const Ticket angry = d.ticket("not fine");
  CHECK(d.tickets.rate(d.agent, happy.id, 5).error().code == Errc::kIllegalState);  // not resolved
  for (TicketId id : {happy.id, angry.id}) {
    REQUIRE(d.tickets.set_status(d.agent, id, TicketStatus::kResolved).ok());
  }
  CHECK(d.tickets.rate(d.agent, happy.id, 6).error().code == Errc::kInvalidArgument);
  CHECK(d.tickets.rate(d.agent, happy.id, 0).error().code == Errc::kInvalidArgument);
  REQUIRE(d.tickets.rate(d.agent, happy.id, 4).ok());
  CHECK(d.tickets.rate(d.agent, happy.id, 5).error().code == Errc::kIllegalState);
  REQUIRE(d.tickets.rate(d.agent, angry.id, 2).ok());
  CHECK(d.tickets.get(angry.id)->satisfaction == 2);

  FollowUpQuery q;
  q.assignee = "supervisors";
  auto recovery = d.tickets.follow_ups(q);
  REQUIRE(recovery->size() == 1);
  CHECK((*recovery)[0].ticket == angry.id);
  CHECK((*recovery)[0].kind == FollowUpKind::kRecovery);
  CHECK((*recovery)[0].due_at == kStart + 8 * kHour);
}

TEST_CASE_TEMPLATE("full-text search finds words in subject, description and notes", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewTicket n;
  n.subject = "Modem keeps rebooting";
  n.description = "Customer reports the modem restarts at night";
  const auto a = *d.tickets.create(d.agent, n);
  n.subject = "Invoice question";
  n.description = "Why was I charged twice?";
  const auto b = *d.tickets.create(d.agent, n);
  REQUIRE(d.tickets.add_note(d.agent, b.id, "Refund the duplicate charge; modem unrelated", true)
              .ok());

  auto ids = [&](std::string_view q) {
    std::set<TicketId> out;
    auto hits = d.tickets.search(q);
    REQUIRE(hits.ok());
    for (const auto& t : *hits) out.insert(t.id);
    return out;
  };
  CHECK(ids("modem") == std::set<TicketId>{a.id, b.id});
  CHECK(ids("MODEM night") == std::set<TicketId>{a.id});
  CHECK(ids("refund") == std::set<TicketId>{b.id});
  CHECK(ids("charged twice") == std::set<TicketId>{b.id});
  CHECK(ids("elephant").empty());
  CHECK(ids("").empty());
  // FTS syntax in the query is just text.
  CHECK(ids("\"modem\" OR NEAR(x) *").empty());
  CHECK(ids("modem\" \"invoice") == std::set<TicketId>{b.id});
  CHECK(ids("modem\" OR \"invoice").empty());  // "or" is a word no ticket holds
  // Newest first.
  auto hits = d.tickets.search("modem");
  REQUIRE(hits->size() == 2);
  CHECK((*hits)[0].id == b.id);
  // Edited text is searchable under its new words only.
  TicketUpdate u;
  u.subject = "Router keeps rebooting";
  u.description = "";
  REQUIRE(d.tickets.update(d.agent, a.id, u).ok());
  CHECK(ids("modem") == std::set<TicketId>{b.id});
  CHECK(ids("router") == std::set<TicketId>{a.id});
}

TEST_CASE_TEMPLATE("list queries filter and page by key", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  std::vector<TicketId> created;
  for (int i = 0; i < 25; ++i) {
    d.now += kMinute;
    NewTicket n;
    n.subject = "ticket " + std::to_string(i);
    n.assignee = i % 2 ? "bob" : "alice";
    n.group = i % 5 == 0 ? "vip" : "support";
    created.push_back(d.tickets.create(d.agent, n)->id);
  }
  for (int i = 0; i < 25; i += 3) {
    REQUIRE(d.tickets.set_status(d.agent, created[static_cast<std::size_t>(i)],
                                 TicketStatus::kResolved)
                .ok());
  }

  // Newest first, 10 at a time, every ticket once.
  TicketQuery q;
  q.limit = 10;
  std::vector<TicketId> seen;
  int pages = 0;
  for (;;) {
    auto page = d.tickets.list(q);
    REQUIRE(page.ok());
    ++pages;
    for (const auto& t : page->tickets) seen.push_back(t.id);
    if (page->next_cursor.empty()) break;
    q.after = page->next_cursor;
  }
  CHECK(pages == 3);
  std::vector<TicketId> newest_first(created.rbegin(), created.rend());
  CHECK(seen == newest_first);

  TicketQuery bob;
  bob.assignee = "bob";
  bob.open_only = true;
  bob.limit = 100;
  auto page = d.tickets.list(bob);
  for (const auto& t : page->tickets) {
    CHECK(t.assignee == "bob");
    CHECK(t.status != TicketStatus::kResolved);
  }
  CHECK(page->tickets.size() == 8);  // 12 odd indexes, 4 of them resolved (3, 9, 15, 21)

  TicketQuery vip;
  vip.group = "vip";
  vip.status = TicketStatus::kNew;
  CHECK(d.tickets.list(vip)->tickets.size() == 3);  // 0, 15 resolved; 5, 10, 20 new

  // By resolution due time, paged, in order.
  TicketQuery due;
  due.order = TicketQuery::Order::kResolutionDue;
  due.limit = 7;
  TimeMs last = 0;
  std::size_t count = 0;
  for (;;) {
    auto p = d.tickets.list(due);
    REQUIRE(p.ok());
    for (const auto& t : p->tickets) {
      CHECK(t.resolution_due >= last);
      last = t.resolution_due;
      ++count;
    }
    if (p->next_cursor.empty()) break;
    due.after = p->next_cursor;
  }
  CHECK(count == 25);

  TicketQuery broken;
  broken.after = "12; DROP TABLE tickets";
  CHECK(d.tickets.list(broken).error().code == Errc::kInvalidArgument);
}

TEST_CASE_TEMPLATE("bad ticket input is refused and nothing is half written", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewTicket n;
  CHECK(d.tickets.create(d.agent, n).error().code == Errc::kInvalidArgument);  // no subject
  n.subject = std::string(201, 'x');
  auto long_subject = d.tickets.create(d.agent, n);
  CHECK(long_subject.error().code == Errc::kInvalidArgument);
  CHECK(long_subject.error().message.find("subject") != std::string::npos);
  n.subject = "ok";
  n.category = "gossip";
  CHECK(d.tickets.create(d.agent, n).error().message.find("gossip") != std::string::npos);
  n.category = "complaint";
  n.customer = 31337;
  CHECK(d.tickets.create(d.agent, n).error().code == Errc::kNotFound);

  // A batch with one bad ticket writes none of them and takes no number.
  std::vector<NewTicket> batch(3);
  batch[0].subject = "one";
  batch[1].subject = "two";
  batch[2].subject = "";
  auto r = d.tickets.create_batch(d.agent, batch);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("ticket [2]") != std::string::npos);
  TicketQuery all;
  CHECK(d.tickets.list(all)->tickets.empty());
  CHECK(d.ticket("first").number == "T-2026-000001");

  // SQL metacharacters are data.
  const std::string evil = "'); DROP TABLE tickets; -- \" % _ \\ ";
  NewTicket e;
  e.subject = evil;
  e.description = evil;
  e.assignee = evil;
  e.group = evil;
  e.contact_id = evil;
  auto t = d.tickets.create(d.agent, e);
  REQUIRE(t.ok());
  REQUIRE(d.tickets.add_note(d.agent, t->id, evil, false).ok());
  auto back = d.tickets.get(t->id);
  CHECK(back->subject == evil);
  CHECK(back->assignee == evil);
  CHECK(back->group == evil);
  TicketQuery by_evil;
  by_evil.assignee = evil;
  CHECK(d.tickets.list(by_evil)->tickets.size() == 1);
  CHECK(d.tickets.search(evil)->size() == 1);
  CHECK(d.tickets.notes(t->id)->at(0).body == evil);
}

TEST_CASE_TEMPLATE("batched creation numbers tickets in order in one transaction", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  std::vector<NewTicket> batch(100);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].subject = "bulk " + std::to_string(i);
  auto r = d.tickets.create_batch(d.agent, batch);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 100);
  CHECK(r->front().number == "T-2026-000001");
  CHECK(r->back().number == "T-2026-000100");
  CHECK(d.tickets.get_by_number("T-2026-000050")->subject == "bulk 49");
}
