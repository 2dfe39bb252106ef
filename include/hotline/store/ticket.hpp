// Tickets (工单) as records: the fields, the status workflow's states, notes,
// the change history and follow-ups. The rules that act on them live in
// TicketService; the records are what a TicketStore keeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/time.hpp"

namespace hotline::store {

using TicketId = std::int64_t;
using CustomerId = std::int64_t;
using NoteId = std::int64_t;
using FollowUpId = std::int64_t;

constexpr TimeMs kNoTime = -1;  // a time that has not happened or is not due

enum class TicketStatus { kNew, kOpen, kPending, kResolved, kClosed };
enum class TicketPriority { kLow, kNormal, kHigh, kUrgent };
enum class TicketChannel { kPhone, kChat, kEmail, kWeb, kApi };

const char* status_name(TicketStatus s) noexcept;
const char* priority_name(TicketPriority p) noexcept;
const char* channel_name(TicketChannel c) noexcept;
bool parse_status(std::string_view name, TicketStatus& out) noexcept;
bool parse_priority(std::string_view name, TicketPriority& out) noexcept;
bool parse_channel(std::string_view name, TicketChannel& out) noexcept;

// The built-in categories; TicketService::Options adds custom ones.
inline constexpr const char* kBuiltinCategories[] = {"consultation", "complaint", "technical",
                                                     "emergency"};

struct Ticket {
  TicketId id = 0;
  std::string number;  // T-2026-000123: prefix, year, sequence within the year
  std::string subject;
  std::string description;
  std::string category = "consultation";
  TicketPriority priority = TicketPriority::kNormal;
  TicketChannel channel = TicketChannel::kPhone;
  TicketStatus status = TicketStatus::kNew;
  CustomerId customer = 0;  // 0: none
  std::string contact_id;   // the contact (call, chat) it came from
  std::string assignee;     // agent id
  std::string group;        // team the ticket belongs to
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  std::string created_by;  // the actor; the history's first line is made from it
  // SLA: due times on the business-hours calendar; the resolution clock
  // stops while the ticket is pending (paused_ms is the business time spent
  // pending so far).
  TimeMs first_response_due = kNoTime;
  TimeMs first_response_at = kNoTime;
  TimeMs resolution_due = kNoTime;
  TimeMs resolved_at = kNoTime;
  TimeMs closed_at = kNoTime;
  TimeMs pending_since = kNoTime;
  TimeMs paused_ms = 0;
  int satisfaction = 0;  // 1..5, 0 = not rated
  int reopen_count = 0;
};

struct NewTicket {
  std::string subject;
  std::string description;
  std::string category = "consultation";
  TicketPriority priority = TicketPriority::kNormal;
  TicketChannel channel = TicketChannel::kPhone;
  CustomerId customer = 0;
  std::string contact_id;
  std::string assignee;
  std::string group;
};

// Field edits; an empty optional leaves the field as it is.
struct TicketUpdate {
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<TicketPriority> priority;
  std::optional<CustomerId> customer;
};

// One line of a ticket's history: who changed what, when, from what to what.
struct TicketChange {
  TicketId ticket = 0;
  TimeMs at = 0;
  std::string actor;
  std::string field;  // "status", "assignee", "group", "priority", "created", ...
  std::string old_value;
  std::string new_value;
};

struct Note {
  NoteId id = 0;
  TicketId ticket = 0;
  TimeMs at = 0;
  std::string author;
  bool internal = false;  // internal notes are for staff; public ones the customer sees
  std::string body;
};

enum class FollowUpKind { kCallback, kVisit, kRecovery };
enum class FollowUpStatus { kScheduled, kDone, kCancelled };
const char* follow_up_kind_name(FollowUpKind k) noexcept;
const char* follow_up_status_name(FollowUpStatus s) noexcept;

// A follow-up (回访): a callback or visit due at a time, owned by an assignee
// (an agent id or a group), closed with an outcome.
struct FollowUp {
  FollowUpId id = 0;
  TicketId ticket = 0;
  FollowUpKind kind = FollowUpKind::kCallback;
  TimeMs due_at = 0;
  std::string assignee;
  FollowUpStatus status = FollowUpStatus::kScheduled;
  std::string outcome;
  TimeMs created_at = 0;
  TimeMs done_at = kNoTime;
};

// List queries page by key (the last row's sort key and id), never by
// OFFSET, so that a page costs the same at row 10 and at row 1,000,000.
struct TicketQuery {
  enum class Order { kNewestFirst, kResolutionDue };
  std::optional<TicketStatus> status;
  std::optional<std::string> assignee;
  std::optional<std::string> group;
  std::optional<CustomerId> customer;
  std::optional<std::string> contact_id;  // the contact (call, chat) tickets came from
  std::optional<TimeMs> due_before;  // resolution due strictly before
  bool open_only = false;            // status new, open or pending
  Order order = Order::kNewestFirst;
  int limit = 50;
  std::string after;  // the previous page's next_cursor; empty for the first page
};

struct TicketPage {
  std::vector<Ticket> tickets;
  std::string next_cursor;  // empty when this was the last page
};

struct FollowUpQuery {
  std::optional<TicketId> ticket;
  std::optional<FollowUpStatus> status;
  std::optional<std::string> assignee;
  std::optional<TimeMs> due_before;
  int limit = 100;
};

}  // namespace hotline::store
