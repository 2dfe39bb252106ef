// The ticket rules, once, over any Storage: numbering, validation, the status
// workflow, history, notes, SLA due times on a business-hours calendar,
// follow-ups and satisfaction with recovery.
//
//   new → open → pending → open → resolved → closed
//   new → resolved, pending → resolved; resolved and closed reopen to open
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hotline/store/actor.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/util/calendar.hpp"

namespace hotline::store {

struct SlaTargets {
  TimeMs first_response_ms = 0;  // business time; 0 = no target
  TimeMs resolution_ms = 0;
};

struct SlaAlert {
  enum class Target { kFirstResponse, kResolution };
  TicketId ticket = 0;
  std::string number;
  Target target = Target::kResolution;
  TimeMs due_at = 0;
  bool breached = false;  // due_at has passed; otherwise due soon
};

// A ticket search found, with the piece of its subject (or, when the subject
// holds no match, its description) around the match, the matched words
// between [ and ]; empty when only its notes matched.
struct TicketSearchHit {
  Ticket ticket;
  std::string snippet;
};

// Field limits; longer input is refused, not cut.
struct TicketLimits {
  std::size_t subject = 200;
  std::size_t description = 64 * 1024;
  std::size_t note = 64 * 1024;
  std::size_t name = 128;  // assignee, group, category, contact id
};

// Whether the workflow above lets a ticket go from one status to the other, so
// a caller that changes several things can refuse a step before taking any.
bool status_change_allowed(TicketStatus from, TicketStatus to) noexcept;

class TicketService {
 public:
  struct Options {
    Calendar calendar = Calendar::always_open();
    std::map<TicketPriority, SlaTargets> sla;
    std::vector<std::string> custom_categories;
    std::string number_prefix = "T";
    std::string recovery_group = "supervisors";  // owns recovery follow-ups
    TimeMs recovery_due_ms = 8 * 3'600'000;      // business time to call back
    TicketLimits limits;
    std::function<TimeMs()> clock;  // required: the time of each operation
  };

  TicketService(Storage& storage, Options options);

  Result<Ticket> create(const Actor& actor, const NewTicket& ticket);
  // Many tickets in one transaction: all or none.
  Result<std::vector<Ticket>> create_batch(const Actor& actor,
                                           const std::vector<NewTicket>& tickets);
  Result<Ticket> get(TicketId id);
  Result<Ticket> get_by_number(std::string_view number);
  Result<Ticket> update(const Actor& actor, TicketId id, const TicketUpdate& update);
  Result<Ticket> set_status(const Actor& actor, TicketId id, TicketStatus status);
  Result<Ticket> assign(const Actor& actor, TicketId id, std::string_view agent);
  // Hands the ticket to another group; the agent assignment is cleared.
  Result<Ticket> transfer(const Actor& actor, TicketId id, std::string_view group);

  // The first public note by staff is the first response.
  Result<Note> add_note(const Actor& actor, TicketId id, std::string_view body, bool internal);
  Result<std::vector<Note>> notes(TicketId id);
  Result<std::vector<TicketChange>> history(TicketId id);

  Result<FollowUp> schedule_follow_up(const Actor& actor, TicketId id, FollowUpKind kind,
                                      TimeMs due_at, std::string_view assignee);
  Result<FollowUp> complete_follow_up(const Actor& actor, FollowUpId id,
                                      std::string_view outcome);
  Result<FollowUp> cancel_follow_up(const Actor& actor, FollowUpId id);
  Result<std::vector<FollowUp>> follow_ups(const FollowUpQuery& query);

  // Satisfaction 1..5 on a resolved or closed ticket; 2 or less schedules a
  // recovery follow-up for the recovery group.
  Result<Ticket> rate(const Actor& actor, TicketId id, int score);
  // A post-call survey's score for the contact (call) `contact_id`: each
  // resolved or closed ticket of that contact not yet rated is rated (a
  // low score opens a recovery follow-up); one still open gets the score
  // as an internal note, as tickets are rated once resolved. Returns the
  // number of tickets the score reached: 0 when the contact has none.
  Result<int> rate_contact(const Actor& actor, std::string_view contact_id, int score);
  // The agent's wrap-up code (disposition) for a contact, kept on each of
  // its tickets not yet closed as an internal note "disposition: <code>".
  // Returns the number of tickets it reached: 0 when the contact has none.
  Result<int> record_disposition(const Actor& actor, std::string_view contact_id,
                                 std::string_view code);
  // A supervisor's action on a live call, written to the audit log: who
  // (`supervisor`), when (`at`), what (`action`), which call and agent.
  Status audit_supervision(std::string_view supervisor, std::string_view action,
                           std::string_view call_id, std::string_view agent_id, TimeMs at);

  // Tickets holding every word of `text`, best match first.
  Result<std::vector<Ticket>> search(std::string_view text, int limit = 20);
  // The same, each with a snippet.
  Result<std::vector<TicketSearchHit>> search_with_snippets(std::string_view text,
                                                            int limit = 20);
  Result<TicketPage> list(const TicketQuery& query);
  // Breached targets, and those due within `within_ms` from now.
  Result<std::vector<SlaAlert>> sla_alerts(TimeMs within_ms, int limit = 100);

  const Options& options() const noexcept { return options_; }

 private:
  struct TicketNumber {
    int year;
    std::int64_t sequence;
  };
  Result<Ticket> create_in_transaction(const Actor& actor, const NewTicket& ticket, TimeMs now,
                                       TicketNumber number);
  template <typename Edit>
  Result<Ticket> edit(const Actor& actor, TicketId id, Edit&& edit);
  Status check_category(std::string_view category) const;
  void apply_sla_on_create(Ticket& t) const;
  void refresh_resolution_due(Ticket& t) const;

  Storage& storage_;
  Options options_;
};

}  // namespace hotline::store
