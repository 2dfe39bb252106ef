#include "hotline/store/ticket_service.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "store/search/snippet.hpp"
#include "store/search_words.hpp"
#include "store/text_input.hpp"
#include "store/try.hpp"
#include "store/write_scope.hpp"

namespace hotline::store {
namespace {

// The workflow: which status may follow which.
bool allowed(TicketStatus from, TicketStatus to) {
  using S = TicketStatus;
  switch (from) {
    case S::kNew: return to == S::kOpen || to == S::kPending || to == S::kResolved;
    case S::kOpen: return to == S::kPending || to == S::kResolved;
    case S::kPending: return to == S::kOpen || to == S::kResolved;
    case S::kResolved: return to == S::kClosed || to == S::kOpen;
    case S::kClosed: return to == S::kOpen;
  }
  return false;
}

std::string allowed_list(TicketStatus from) {
  std::string out;
  for (int i = 0; i <= static_cast<int>(TicketStatus::kClosed); ++i) {
    const auto to = static_cast<TicketStatus>(i);
    if (!allowed(from, to)) continue;
    if (!out.empty()) out += ", ";
    out += status_name(to);
  }
  return out;
}

}  // namespace

bool status_change_allowed(TicketStatus from, TicketStatus to) noexcept {
  return allowed(from, to);
}

TicketService::TicketService(Storage& storage, Options options)
    : storage_(storage), options_(std::move(options)) {
  if (!options_.clock) {
    // A service without a clock would stamp every record with 0; fail loudly
    // in the first operation instead, through this sentinel clock.
    options_.clock = [] { return TimeMs{0}; };
  }
}

Status TicketService::check_category(std::string_view category) const {
  for (const char* c : kBuiltinCategories) {
    if (category == c) return {};
  }
  for (const auto& c : options_.custom_categories) {
    if (category == c) return {};
  }
  return make_error(Errc::kInvalidArgument,
                    fmt::format("unknown ticket category '{}'", excerpt(category)));
}

void TicketService::apply_sla_on_create(Ticket& t) const {
  t.first_response_due = kNoTime;
  if (auto it = options_.sla.find(t.priority);
      it != options_.sla.end() && it->second.first_response_ms > 0) {
    t.first_response_due = options_.calendar.add_business_ms(t.created_at,
                                                             it->second.first_response_ms);
  }
  refresh_resolution_due(t);
}

void TicketService::refresh_resolution_due(Ticket& t) const {
  if (t.status == TicketStatus::kPending) {
    t.resolution_due = kNoTime;  // the clock is stopped
    return;
  }
  auto it = options_.sla.find(t.priority);
  if (it == options_.sla.end() || it->second.resolution_ms <= 0) {
    t.resolution_due = kNoTime;
    return;
  }
  // Pending time does not count: the target is stretched by the business
  // time spent pending, which all lies before the new due time.
  t.resolution_due =
      options_.calendar.add_business_ms(t.created_at, it->second.resolution_ms + t.paused_ms);
}

Result<Ticket> TicketService::create_in_transaction(const Actor& actor, const NewTicket& n,
                                                    TimeMs now, TicketNumber number) {
  if (n.subject.empty()) return make_error(Errc::kInvalidArgument, "a ticket needs a subject");
  const auto& lim = options_.limits;
  HL_STORE_CHECK(check_text("subject", n.subject, lim.subject));
  HL_STORE_CHECK(check_text("description", n.description, lim.description));
  HL_STORE_CHECK(check_text("contact_id", n.contact_id, lim.name));
  HL_STORE_CHECK(check_text("assignee", n.assignee, lim.name));
  HL_STORE_CHECK(check_text("group", n.group, lim.name));
  HL_STORE_CHECK(check_text("category", n.category, lim.name));
  HL_STORE_CHECK(check_category(n.category));
  CustomerId customer = n.customer;
  if (customer != 0) {
    HL_STORE_TRY(c, storage_.customers().get(customer));
    if (c.merged_into != 0) customer = c.merged_into;  // the surviving record
  }
  Ticket t;
  t.subject = n.subject;
  t.description = n.description;
  t.category = n.category;
  t.priority = n.priority;
  t.channel = n.channel;
  t.customer = customer;
  t.contact_id = n.contact_id;
  t.assignee = n.assignee;
  t.group = n.group;
  t.created_at = t.updated_at = now;
  t.created_by = actor.id;
  t.number = fmt::format("{}-{}-{:06}", options_.number_prefix, number.year, number.sequence);
  apply_sla_on_create(t);
  // The history's first line ("created") is made from the ticket itself:
  // one row fewer for every ticket written.
  HL_STORE_CHECK(storage_.tickets().insert(t));
  return t;
}

Result<Ticket> TicketService::create(const Actor& actor, const NewTicket& ticket) {
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  const int year = options_.calendar.local(now).year;
  HL_STORE_TRY(first, storage_.tickets().reserve_sequence(year, 1));
  HL_STORE_TRY(t, create_in_transaction(actor, ticket, now, TicketNumber{year, first}));
  HL_STORE_CHECK(write.commit());
  return std::move(t);
}

Result<std::vector<Ticket>> TicketService::create_batch(const Actor& actor,
                                                        const std::vector<NewTicket>& tickets) {
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  std::vector<Ticket> out;
  if (tickets.empty()) return out;
  out.reserve(tickets.size());
  // One reservation for the batch; a failure rolls it back with the rest.
  const int year = options_.calendar.local(now).year;
  HL_STORE_TRY(first, storage_.tickets().reserve_sequence(year, static_cast<int>(tickets.size())));
  for (std::size_t i = 0; i < tickets.size(); ++i) {
    auto t = create_in_transaction(actor, tickets[i], now,
                                   TicketNumber{year, first + static_cast<std::int64_t>(i)});
    if (!t) {
      return make_error(t.error().code,
                        fmt::format("ticket [{}]: {}", i, t.error().message));
    }
    out.push_back(std::move(*t));
  }
  HL_STORE_CHECK(write.commit());
  return out;
}

Result<Ticket> TicketService::get(TicketId id) { return storage_.tickets().get(id); }

Result<Ticket> TicketService::get_by_number(std::string_view number) {
  HL_STORE_CHECK(check_text("number", number));
  return storage_.tickets().get_by_number(number);
}

// Loads the ticket, lets `edit` change it and list what changed, stores both.
template <typename Edit>
Result<Ticket> TicketService::edit(const Actor& actor, TicketId id, Edit&& edit) {
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(t, storage_.tickets().get(id));
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> changes;
  auto changed = [&](std::string field, std::string from, std::string to) {
    if (from != to) changes.push_back({std::move(field), {std::move(from), std::move(to)}});
  };
  HL_STORE_CHECK(edit(t, now, changed));
  if (changes.empty()) return std::move(t);
  t.updated_at = now;
  HL_STORE_CHECK(storage_.tickets().update(t));
  for (auto& [field, values] : changes) {
    HL_STORE_CHECK(storage_.tickets().add_change(
        TicketChange{t.id, now, actor.id, field, values.first, values.second}));
  }
  HL_STORE_CHECK(write.commit());
  return std::move(t);
}

Result<Ticket> TicketService::update(const Actor& actor, TicketId id, const TicketUpdate& u) {
  return edit(actor, id, [&](Ticket& t, TimeMs, auto& changed) -> Status {
    const auto& lim = options_.limits;
    if (u.subject) {
      if (u.subject->empty()) return make_error(Errc::kInvalidArgument, "a ticket needs a subject");
      HL_STORE_CHECK(check_text("subject", *u.subject, lim.subject));
      changed("subject", t.subject, *u.subject);
      t.subject = *u.subject;
    }
    if (u.description) {
      HL_STORE_CHECK(check_text("description", *u.description, lim.description));
      changed("description", t.description, *u.description);
      t.description = *u.description;
    }
    if (u.category) {
      HL_STORE_CHECK(check_text("category", *u.category, lim.name));
      HL_STORE_CHECK(check_category(*u.category));
      changed("category", t.category, *u.category);
      t.category = *u.category;
    }
    if (u.customer && *u.customer != t.customer) {
      if (*u.customer != 0) HL_STORE_CHECK(storage_.customers().get(*u.customer));
      changed("customer", std::to_string(t.customer), std::to_string(*u.customer));
      t.customer = *u.customer;
    }
    if (u.priority && *u.priority != t.priority) {
      changed("priority", priority_name(t.priority), priority_name(*u.priority));
      t.priority = *u.priority;
      // New targets count from creation, as if the priority had always been this.
      const TimeMs responded = t.first_response_at;
      const TimeMs old_fr = t.first_response_due;
      apply_sla_on_create(t);
      if (responded != kNoTime) t.first_response_due = old_fr;
      if (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed) {
        refresh_resolution_due(t);
      }
    }
    return {};
  });
}

Result<Ticket> TicketService::set_status(const Actor& actor, TicketId id, TicketStatus to) {
  return edit(actor, id, [&](Ticket& t, TimeMs now, auto& changed) -> Status {
    if (!allowed(t.status, to)) {
      return make_error(Errc::kIllegalState,
                        fmt::format("ticket {} cannot go from {} to {} (allowed: {})", t.number,
                                    status_name(t.status), status_name(to),
                                    allowed_list(t.status)));
    }
    const TicketStatus from = t.status;
    if (from == TicketStatus::kPending) {
      t.paused_ms += options_.calendar.business_ms_between(t.pending_since, now);
      t.pending_since = kNoTime;
    }
    if (to == TicketStatus::kPending) t.pending_since = now;
    if (to == TicketStatus::kResolved) t.resolved_at = now;
    if (to == TicketStatus::kClosed) t.closed_at = now;
    if (to == TicketStatus::kOpen &&
        (from == TicketStatus::kResolved || from == TicketStatus::kClosed)) {
      ++t.reopen_count;
      t.resolved_at = t.closed_at = kNoTime;
      changed("reopened", std::to_string(t.reopen_count - 1), std::to_string(t.reopen_count));
    }
    t.status = to;
    if (from == TicketStatus::kPending || to == TicketStatus::kPending ||
        to == TicketStatus::kOpen) {
      refresh_resolution_due(t);
    }
    changed("status", status_name(from), status_name(to));
    return {};
  });
}

Result<Ticket> TicketService::assign(const Actor& actor, TicketId id, std::string_view agent) {
  HL_STORE_CHECK(check_text("assignee", agent, options_.limits.name));
  return edit(actor, id, [&](Ticket& t, TimeMs, auto& changed) -> Status {
    changed("assignee", t.assignee, std::string(agent));
    t.assignee = std::string(agent);
    return {};
  });
}

Result<Ticket> TicketService::transfer(const Actor& actor, TicketId id, std::string_view group) {
  if (group.empty()) return make_error(Errc::kInvalidArgument, "transfer needs a group");
  HL_STORE_CHECK(check_text("group", group, options_.limits.name));
  return edit(actor, id, [&](Ticket& t, TimeMs, auto& changed) -> Status {
    if (t.status == TicketStatus::kClosed) {
      return make_error(Errc::kIllegalState,
                        fmt::format("ticket {} is closed; reopen it to transfer it", t.number));
    }
    changed("group", t.group, std::string(group));
    changed("assignee", t.assignee, "");
    t.group = std::string(group);
    t.assignee.clear();
    return {};
  });
}

Result<Note> TicketService::add_note(const Actor& actor, TicketId id, std::string_view body,
                                     bool internal) {
  HL_STORE_CHECK(check_actor(actor));
  if (body.empty()) return make_error(Errc::kInvalidArgument, "a note needs a body");
  HL_STORE_CHECK(check_text("note", body, options_.limits.note));
  const TimeMs now = options_.clock();
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(t, storage_.tickets().get(id));
  if (t.status == TicketStatus::kClosed) {
    return make_error(Errc::kIllegalState,
                      fmt::format("ticket {} is closed; reopen it to add notes", t.number));
  }
  Note note{0, id, now, actor.id, internal, std::string(body)};
  HL_STORE_CHECK(storage_.tickets().add_note(note));
  t.updated_at = now;
  if (!internal && t.first_response_at == kNoTime) {
    t.first_response_at = now;
    HL_STORE_CHECK(storage_.tickets().add_change(
        TicketChange{id, now, actor.id, "first_response", "", std::to_string(now)}));
  }
  HL_STORE_CHECK(storage_.tickets().update(t));
  HL_STORE_CHECK(storage_.tickets().add_change(TicketChange{
      id, now, actor.id, internal ? "internal_note" : "public_note", "", std::to_string(note.id)}));
  HL_STORE_CHECK(write.commit());
  return note;
}

Result<std::vector<Note>> TicketService::notes(TicketId id) {
  HL_STORE_CHECK(storage_.tickets().get(id));
  return storage_.tickets().notes(id);
}

Result<std::vector<TicketChange>> TicketService::history(TicketId id) {
  HL_STORE_TRY(t, storage_.tickets().get(id));
  HL_STORE_TRY(changes, storage_.tickets().changes(id));
  std::vector<TicketChange> out;
  out.reserve(changes.size() + 1);
  out.push_back(TicketChange{t.id, t.created_at, t.created_by, "created", "", t.number});
  for (auto& c : changes) out.push_back(std::move(c));
  return out;
}

Result<FollowUp> TicketService::schedule_follow_up(const Actor& actor, TicketId id,
                                                   FollowUpKind kind, TimeMs due_at,
                                                   std::string_view assignee) {
  HL_STORE_CHECK(check_actor(actor));
  if (assignee.empty()) return make_error(Errc::kInvalidArgument, "a follow-up needs an assignee");
  HL_STORE_CHECK(check_text("assignee", assignee, options_.limits.name));
  if (due_at < 0) return make_error(Errc::kInvalidArgument, "a follow-up needs a due time");
  const TimeMs now = options_.clock();
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_CHECK(storage_.tickets().get(id));
  FollowUp f;
  f.ticket = id;
  f.kind = kind;
  f.due_at = due_at;
  f.assignee = std::string(assignee);
  f.created_at = now;
  HL_STORE_CHECK(storage_.tickets().put_follow_up(f));
  HL_STORE_CHECK(storage_.tickets().add_change(TicketChange{
      id, now, actor.id, "follow_up", "",
      fmt::format("{} {} for {} due {}", follow_up_kind_name(kind), f.id, f.assignee, due_at)}));
  HL_STORE_CHECK(write.commit());
  return f;
}

namespace {
Result<FollowUp> close_follow_up(Storage& storage, const Actor& actor, FollowUpId id,
                                 FollowUpStatus status, std::string_view outcome, TimeMs now) {
  WriteScope write(storage);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(f, storage.tickets().get_follow_up(id));
  if (f.status != FollowUpStatus::kScheduled) {
    return make_error(Errc::kIllegalState, fmt::format("follow-up {} is already {}", id,
                                                       follow_up_status_name(f.status)));
  }
  f.status = status;
  f.outcome = std::string(outcome);
  f.done_at = now;
  HL_STORE_CHECK(storage.tickets().put_follow_up(f));
  HL_STORE_CHECK(storage.tickets().add_change(
      TicketChange{f.ticket, now, actor.id, "follow_up", "scheduled",
                   fmt::format("{} {}: {}", follow_up_status_name(status), id, outcome)}));
  HL_STORE_CHECK(write.commit());
  return std::move(f);
}
}  // namespace

Result<FollowUp> TicketService::complete_follow_up(const Actor& actor, FollowUpId id,
                                                   std::string_view outcome) {
  HL_STORE_CHECK(check_actor(actor));
  if (outcome.empty()) {
    return make_error(Errc::kInvalidArgument, "completing a follow-up needs its outcome");
  }
  HL_STORE_CHECK(check_text("outcome", outcome, options_.limits.note));
  return close_follow_up(storage_, actor, id, FollowUpStatus::kDone, outcome, options_.clock());
}

Result<FollowUp> TicketService::cancel_follow_up(const Actor& actor, FollowUpId id) {
  HL_STORE_CHECK(check_actor(actor));
  return close_follow_up(storage_, actor, id, FollowUpStatus::kCancelled, "", options_.clock());
}

Result<int> TicketService::rate_contact(const Actor& actor, std::string_view contact_id,
                                        int score) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(check_text("contact_id", contact_id, options_.limits.name));
  if (score < 1 || score > 5) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("satisfaction is 1 to 5, not {}", score));
  }
  TicketQuery q;
  q.contact_id = std::string(contact_id);
  q.limit = 100;  // a call opens a handful of tickets at most
  HL_STORE_TRY(page, storage_.tickets().list(q));
  int reached = 0;
  for (const Ticket& t : page.tickets) {
    if (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed) {
      if (t.satisfaction != 0) continue;  // rated already: the first score stands
      HL_STORE_CHECK(rate(actor, t.id, score));
    } else {
      HL_STORE_CHECK(
          add_note(actor, t.id, fmt::format("post-call survey score: {} of 5", score), true));
    }
    ++reached;
  }
  return reached;
}

Result<int> TicketService::record_disposition(const Actor& actor, std::string_view contact_id,
                                              std::string_view code) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(check_text("contact_id", contact_id, options_.limits.name));
  HL_STORE_CHECK(check_text("disposition", code, options_.limits.name));
  TicketQuery q;
  q.contact_id = std::string(contact_id);
  q.limit = 100;  // a call opens a handful of tickets at most
  HL_STORE_TRY(page, storage_.tickets().list(q));
  int reached = 0;
  for (const Ticket& t : page.tickets) {
    if (t.status == TicketStatus::kClosed) continue;  // closed tickets take no notes
    HL_STORE_CHECK(add_note(actor, t.id, fmt::format("disposition: {}", code), true));
    ++reached;
  }
  return reached;
}

Status TicketService::audit_supervision(std::string_view supervisor, std::string_view action,
                                        std::string_view call_id, std::string_view agent_id,
                                        TimeMs at) {
  AuditRecord r;
  r.at = at;
  r.actor = std::string(supervisor);
  r.role = "supervisor";
  r.action = std::string(action);
  r.entity = "call";
  r.detail = fmt::format("call {} agent {}", call_id.empty() ? "-" : call_id,
                         agent_id.empty() ? "-" : agent_id);
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_CHECK(storage_.audit().append(r));
  return write.commit();
}

Result<std::vector<FollowUp>> TicketService::follow_ups(const FollowUpQuery& query) {
  if (query.assignee) HL_STORE_CHECK(check_text("assignee", *query.assignee));
  return storage_.tickets().follow_ups(query);
}

Result<Ticket> TicketService::rate(const Actor& actor, TicketId id, int score) {
  HL_STORE_CHECK(check_actor(actor));
  if (score < 1 || score > 5) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("satisfaction is 1 to 5, not {}", score));
  }
  const TimeMs now = options_.clock();
  WriteScope write(storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(t, storage_.tickets().get(id));
  if (t.status != TicketStatus::kResolved && t.status != TicketStatus::kClosed) {
    return make_error(Errc::kIllegalState,
                      fmt::format("ticket {} is {}; it can be rated once resolved", t.number,
                                  status_name(t.status)));
  }
  if (t.satisfaction != 0) {
    return make_error(Errc::kIllegalState, fmt::format("ticket {} is already rated", t.number));
  }
  t.satisfaction = score;
  t.updated_at = now;
  HL_STORE_CHECK(storage_.tickets().update(t));
  HL_STORE_CHECK(storage_.tickets().add_change(
      TicketChange{id, now, actor.id, "satisfaction", "", std::to_string(score)}));
  if (score <= 2) {
    // An unhappy customer gets a call back from a supervisor: service recovery.
    FollowUp f;
    f.ticket = id;
    f.kind = FollowUpKind::kRecovery;
    f.due_at = options_.calendar.add_business_ms(now, options_.recovery_due_ms);
    f.assignee = options_.recovery_group;
    f.created_at = now;
    HL_STORE_CHECK(storage_.tickets().put_follow_up(f));
    HL_STORE_CHECK(storage_.tickets().add_change(TicketChange{
        id, now, actor.id, "follow_up", "",
        fmt::format("recovery {} for {} due {}", f.id, f.assignee, f.due_at)}));
  }
  HL_STORE_CHECK(write.commit());
  return std::move(t);
}

Result<std::vector<Ticket>> TicketService::search(std::string_view text, int limit) {
  HL_STORE_CHECK(check_text("search text", text));
  if (limit <= 0) return std::vector<Ticket>{};
  HL_STORE_TRY(ids, storage_.tickets().search(text, limit));
  std::vector<Ticket> out;
  out.reserve(ids.size());
  for (TicketId id : ids) {
    HL_STORE_TRY(t, storage_.tickets().get(id));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<TicketSearchHit>> TicketService::search_with_snippets(std::string_view text,
                                                                        int limit) {
  HL_STORE_TRY(tickets, search(text, limit));
  HL_STORE_TRY(query, search_query(text));
  std::vector<TicketSearchHit> out;
  out.reserve(tickets.size());
  for (Ticket& t : tickets) {
    HL_STORE_TRY(piece, search::snippet(t.subject, query));
    if (piece.empty()) {
      HL_STORE_TRY(from_description, search::snippet(t.description, query));
      piece = std::move(from_description);
    }
    out.push_back(TicketSearchHit{std::move(t), std::move(piece)});
  }
  return out;
}

Result<TicketPage> TicketService::list(const TicketQuery& query) {
  if (query.assignee) HL_STORE_CHECK(check_text("assignee", *query.assignee));
  if (query.group) HL_STORE_CHECK(check_text("group", *query.group));
  HL_STORE_CHECK(check_text("after", query.after));
  return storage_.tickets().list(query);
}

Result<std::vector<SlaAlert>> TicketService::sla_alerts(TimeMs within_ms, int limit) {
  const TimeMs now = options_.clock();
  // Saturating: "everything due from now to the end of time" is a fair question.
  TimeMs horizon = now;
  if (within_ms > 0 && __builtin_add_overflow(now, within_ms, &horizon)) {
    horizon = std::numeric_limits<TimeMs>::max();
  }
  HL_STORE_TRY(tickets, storage_.tickets().due_before(horizon, limit));
  std::vector<SlaAlert> out;
  for (const Ticket& t : tickets) {
    if (t.first_response_at == kNoTime && t.first_response_due != kNoTime &&
        t.first_response_due < horizon) {
      out.push_back(SlaAlert{t.id, t.number, SlaAlert::Target::kFirstResponse,
                             t.first_response_due, t.first_response_due <= now});
    }
    if (t.resolution_due != kNoTime && t.resolution_due < horizon) {
      out.push_back(SlaAlert{t.id, t.number, SlaAlert::Target::kResolution, t.resolution_due,
                             t.resolution_due <= now});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SlaAlert& a, const SlaAlert& b) { return a.due_at < b.due_at; });
  return out;
}

}  // namespace hotline::store
