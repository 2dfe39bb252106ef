#include "hotline/store/json.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/json_object_reader.hpp"
#include "store/sqlite/database.hpp"
#include "store/try.hpp"

namespace hotline::store {

using nlohmann::json;

namespace {

json time_or_null(TimeMs t) { return t == kNoTime ? json(nullptr) : json(t); }

using Reader = JsonObjectReader;

constexpr std::int64_t kMinuteMs = 60'000;
// Durations in minutes stop at ten years: the business-hours calendar looks
// no further ahead for an open minute, and the milliseconds stay far from
// overflowing when added to a time.
constexpr std::int64_t kMaxMinutes = 10LL * 366 * 24 * 60;
constexpr std::int64_t kMaxBusyTimeoutMs = 600'000;

Status check_minutes(const std::string& path, std::int64_t minutes) {
  if (minutes >= 0 && minutes <= kMaxMinutes) return {};
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: expected 0 to {} minutes (ten years), not {}", path,
                                kMaxMinutes, minutes));
}

// A page size the caller asked for, refused (not clamped) outside its range.
Result<int> check_limit(const std::string& path, std::int64_t limit, std::int64_t max) {
  if (limit >= 1 && limit <= max) return static_cast<int>(limit);
  return make_error(Errc::kInvalidArgument,
                    fmt::format("{}: expected 1 to {}, not {}", path, max, limit));
}

bool parse_follow_up_status(std::string_view n, FollowUpStatus& out) {
  for (int i = 0; i < 3; ++i) {
    if (n == follow_up_status_name(static_cast<FollowUpStatus>(i))) {
      out = static_cast<FollowUpStatus>(i);
      return true;
    }
  }
  return false;
}

}  // namespace

json to_json(const Ticket& t) {
  return json{{"id", t.id},
              {"number", t.number},
              {"subject", t.subject},
              {"description", t.description},
              {"category", t.category},
              {"priority", priority_name(t.priority)},
              {"channel", channel_name(t.channel)},
              {"status", status_name(t.status)},
              {"customer", t.customer == 0 ? json(nullptr) : json(t.customer)},
              {"contact_id", t.contact_id},
              {"assignee", t.assignee},
              {"group", t.group},
              {"created_at", t.created_at},
              {"created_by", t.created_by},
              {"updated_at", t.updated_at},
              {"first_response_due", time_or_null(t.first_response_due)},
              {"first_response_at", time_or_null(t.first_response_at)},
              {"resolution_due", time_or_null(t.resolution_due)},
              {"resolved_at", time_or_null(t.resolved_at)},
              {"closed_at", time_or_null(t.closed_at)},
              {"satisfaction", t.satisfaction == 0 ? json(nullptr) : json(t.satisfaction)},
              {"reopen_count", t.reopen_count}};
}

json to_json(const TicketSearchHit& h) {
  json j = to_json(h.ticket);
  j["snippet"] = h.snippet;
  return j;
}

json to_json(const Note& n) {
  return json{{"id", n.id},           {"ticket", n.ticket},     {"at", n.at},
              {"author", n.author},   {"internal", n.internal}, {"body", n.body}};
}

json to_json(const TicketChange& c) {
  return json{{"at", c.at},       {"actor", c.actor}, {"field", c.field},
              {"old", c.old_value}, {"new", c.new_value}};
}

json to_json(const FollowUp& f) {
  return json{{"id", f.id},
              {"ticket", f.ticket},
              {"kind", follow_up_kind_name(f.kind)},
              {"due_at", f.due_at},
              {"assignee", f.assignee},
              {"status", follow_up_status_name(f.status)},
              {"outcome", f.outcome},
              {"created_at", f.created_at},
              {"done_at", time_or_null(f.done_at)}};
}

json to_json(const SlaAlert& a) {
  return json{{"ticket", a.ticket},
              {"number", a.number},
              {"target", a.target == SlaAlert::Target::kFirstResponse ? "first_response"
                                                                        : "resolution"},
              {"due_at", a.due_at},
              {"breached", a.breached}};
}

json to_json(const Customer& c) {
  return json{{"id", c.id},
              {"name", c.name},
              {"phones", c.phones},
              {"emails", c.emails},
              {"tier", c.tier},
              {"tags", c.tags},
              {"attributes", json::parse(c.attributes, nullptr, false)},
              {"national_id", c.national_id},
              {"payment_info", c.payment_info},
              {"created_at", c.created_at},
              {"updated_at", c.updated_at},
              {"merged_into", c.merged_into == 0 ? json(nullptr) : json(c.merged_into)},
              {"erased", c.erased}};
}

json to_json(const ContactRecord& c) {
  return json{{"id", c.id},           {"contact_id", c.contact_id}, {"customer", c.customer},
              {"channel", c.channel}, {"queue", c.queue},           {"agent", c.agent},
              {"ani", c.ani},         {"started_at", c.started_at},
              {"ended_at", time_or_null(c.ended_at)}, {"outcome", c.outcome}};
}

json to_json(const CustomerView& v) {
  json contacts = json::array(), tickets = json::array();
  for (const auto& c : v.contacts) contacts.push_back(to_json(c));
  for (const auto& t : v.open_tickets) tickets.push_back(to_json(t));
  return json{{"customer", to_json(v.customer)},
              {"contacts", std::move(contacts)},
              {"open_tickets", std::move(tickets)},
              {"last_agent", v.last_agent.empty() ? json(nullptr) : json(v.last_agent)}};
}

json to_json(const AuditRecord& r) {
  return json{{"id", r.id},         {"at", r.at},         {"actor", r.actor},
              {"role", r.role},     {"action", r.action}, {"entity", r.entity},
              {"entity_id", r.entity_id}, {"detail", r.detail}};
}

json to_json(const ImportReport& r) {
  auto issues = [](const std::vector<ImportIssue>& list) {
    json out = json::array();
    for (const auto& i : list) {
      out.push_back(json{{"row", i.row}, {"field", i.field}, {"message", i.message}});
    }
    return out;
  };
  return json{{"rows", r.rows},
              {"created", r.created},
              {"merged", r.merged},
              {"duplicates", r.duplicates},
              {"errors", issues(r.errors)},
              {"duplicates_found", issues(r.duplicates_found)}};
}

json to_json(const TicketPage& p) {
  json tickets = json::array();
  for (const auto& t : p.tickets) tickets.push_back(to_json(t));
  return json{{"tickets", std::move(tickets)},
              {"next", p.next_cursor.empty() ? json(nullptr) : json(p.next_cursor)}};
}

Result<NewTicket> new_ticket_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  NewTicket t;
  std::int64_t customer = 0;
  HL_STORE_CHECK(r.text("subject", t.subject));
  HL_STORE_CHECK(r.text("description", t.description));
  HL_STORE_CHECK(r.text("category", t.category));
  HL_STORE_CHECK(r.name("priority", t.priority, parse_priority, "low, normal, high or urgent"));
  HL_STORE_CHECK(r.name("channel", t.channel, parse_channel, "phone, chat, email, web or api"));
  HL_STORE_CHECK(r.integer("customer", customer));
  HL_STORE_CHECK(r.text("contact_id", t.contact_id));
  HL_STORE_CHECK(r.text("assignee", t.assignee));
  HL_STORE_CHECK(r.text("group", t.group));
  HL_STORE_CHECK(r.done());
  t.customer = customer;
  return t;
}

Result<TicketUpdate> ticket_update_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  TicketUpdate u;
  std::optional<std::int64_t> customer;
  HL_STORE_CHECK(r.text("subject", u.subject));
  HL_STORE_CHECK(r.text("description", u.description));
  HL_STORE_CHECK(r.text("category", u.category));
  HL_STORE_CHECK(r.name("priority", u.priority, parse_priority, "low, normal, high or urgent"));
  HL_STORE_CHECK(r.integer("customer", customer));
  HL_STORE_CHECK(r.done());
  if (customer) u.customer = *customer;
  return u;
}

Result<TicketQuery> ticket_query_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  TicketQuery q;
  std::optional<std::int64_t> customer, due_before, limit;
  std::optional<std::string> order, after;
  HL_STORE_CHECK(r.name("status", q.status, parse_status,
                       "new, open, pending, resolved or closed"));
  HL_STORE_CHECK(r.text("assignee", q.assignee));
  HL_STORE_CHECK(r.text("group", q.group));
  HL_STORE_CHECK(r.integer("customer", customer));
  HL_STORE_CHECK(r.integer("due_before", due_before));
  HL_STORE_CHECK(r.flag("open_only", q.open_only));
  HL_STORE_CHECK(r.text("order", order));
  HL_STORE_CHECK(r.integer("limit", limit));
  HL_STORE_CHECK(r.text("after", after));
  HL_STORE_CHECK(r.done());
  if (customer) q.customer = *customer;
  if (due_before) q.due_before = *due_before;
  if (limit) {
    HL_STORE_TRY(checked, check_limit(r.at("limit"), *limit, 1000));
    q.limit = checked;
  }
  if (order) {
    if (*order == "newest") {
      q.order = TicketQuery::Order::kNewestFirst;
    } else if (*order == "resolution_due") {
      q.order = TicketQuery::Order::kResolutionDue;
    } else {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected newest or resolution_due", r.at("order")));
    }
  }
  if (after) q.after = *after;
  return q;
}

Result<FollowUpQuery> follow_up_query_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  FollowUpQuery q;
  std::optional<std::int64_t> ticket, due_before, limit;
  HL_STORE_CHECK(r.integer("ticket", ticket));
  HL_STORE_CHECK(r.name("status", q.status, parse_follow_up_status,
                       "scheduled, done or cancelled"));
  HL_STORE_CHECK(r.text("assignee", q.assignee));
  HL_STORE_CHECK(r.integer("due_before", due_before));
  HL_STORE_CHECK(r.integer("limit", limit));
  HL_STORE_CHECK(r.done());
  if (ticket) q.ticket = *ticket;
  if (due_before) q.due_before = *due_before;
  if (limit) {
    HL_STORE_TRY(checked, check_limit(r.at("limit"), *limit, 10000));
    q.limit = checked;
  }
  return q;
}

namespace {
Status read_customer_fields(Reader& r, CustomerUpdate& u) {
  HL_STORE_CHECK(r.text("name", u.name));
  HL_STORE_CHECK(r.texts("phones", u.phones));
  HL_STORE_CHECK(r.texts("emails", u.emails));
  HL_STORE_CHECK(r.text("tier", u.tier));
  HL_STORE_CHECK(r.texts("tags", u.tags));
  if (const json* a = r.claim("attributes")) {
    if (!a->is_object()) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected an object", r.at("attributes")));
    }
    u.attributes = a->dump();
  }
  HL_STORE_CHECK(r.text("national_id", u.national_id));
  HL_STORE_CHECK(r.text("payment_info", u.payment_info));
  return r.done();
}
}  // namespace

Result<NewCustomer> new_customer_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  CustomerUpdate u;
  HL_STORE_CHECK(read_customer_fields(r, u));
  NewCustomer n;
  n.name = u.name.value_or("");
  n.phones = u.phones.value_or(std::vector<std::string>{});
  n.emails = u.emails.value_or(std::vector<std::string>{});
  n.tier = u.tier.value_or("");
  n.tags = u.tags.value_or(std::vector<std::string>{});
  n.attributes = u.attributes.value_or("{}");
  n.national_id = u.national_id.value_or("");
  n.payment_info = u.payment_info.value_or("");
  return n;
}

Result<CustomerUpdate> customer_update_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  CustomerUpdate u;
  HL_STORE_CHECK(read_customer_fields(r, u));
  return u;
}

Result<ContactRecord> contact_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  ContactRecord c;
  std::int64_t customer = 0, started = 0, ended = kNoTime;
  HL_STORE_CHECK(r.text("contact_id", c.contact_id));
  HL_STORE_CHECK(r.integer("customer", customer));
  HL_STORE_CHECK(r.text("channel", c.channel));
  HL_STORE_CHECK(r.text("queue", c.queue));
  HL_STORE_CHECK(r.text("agent", c.agent));
  HL_STORE_CHECK(r.text("ani", c.ani));
  HL_STORE_CHECK(r.integer("started_at", started));
  HL_STORE_CHECK(r.integer("ended_at", ended));
  HL_STORE_CHECK(r.text("outcome", c.outcome));
  HL_STORE_CHECK(r.done());
  c.customer = customer;
  c.started_at = started;
  c.ended_at = ended;
  return c;
}

Result<ImportOptions> import_options_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  ImportOptions o;
  std::optional<std::string> duplicates;
  if (const json* m = r.claim("mapping")) {
    if (!m->is_object()) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected an object of column: field", r.at("mapping")));
    }
    for (const auto& [column, field] : m->items()) {
      if (!field.is_string()) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}.{}: expected a field name", r.at("mapping"), column));
      }
      o.mapping.emplace_back(column, field.get<std::string>());
    }
  }
  HL_STORE_CHECK(r.text("duplicates", duplicates));
  HL_STORE_CHECK(r.flag("dry_run", o.dry_run));
  HL_STORE_CHECK(r.done());
  if (duplicates) {
    if (*duplicates == "report") o.duplicates = ImportOptions::Duplicates::kReport;
    else if (*duplicates == "merge") o.duplicates = ImportOptions::Duplicates::kMerge;
    else if (*duplicates == "skip") o.duplicates = ImportOptions::Duplicates::kSkip;
    else {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected report, merge or skip", r.at("duplicates")));
    }
  }
  return o;
}

Result<AuditQuery> audit_query_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  AuditQuery q;
  std::optional<std::int64_t> id, limit;
  HL_STORE_CHECK(r.text("entity", q.entity));
  HL_STORE_CHECK(r.integer("entity_id", id));
  HL_STORE_CHECK(r.text("actor", q.actor));
  HL_STORE_CHECK(r.integer("limit", limit));
  HL_STORE_CHECK(r.done());
  if (id) q.entity_id = *id;
  if (limit) {
    HL_STORE_TRY(checked, check_limit(r.at("limit"), *limit, 10000));
    q.limit = checked;
  }
  return q;
}

Result<StoreConfig> store_config_from_json(const json& j, std::string_view path) {
  Reader r(j, path);
  HL_STORE_CHECK(r.object());
  StoreConfig c;
  std::optional<std::string> backend, file, synchronous, locking, region, prefix, group;
  std::optional<std::int64_t> busy, recovery_minutes;
  HL_STORE_CHECK(r.text("backend", backend));
  HL_STORE_CHECK(r.text("path", file));
  HL_STORE_CHECK(r.text("synchronous", synchronous));
  HL_STORE_CHECK(r.text("locking", locking));
  HL_STORE_CHECK(r.integer("busy_timeout_ms", busy));
  HL_STORE_CHECK(r.text("default_region", region));
  HL_STORE_CHECK(r.texts("categories", c.tickets.custom_categories));
  HL_STORE_CHECK(r.text("number_prefix", prefix));
  HL_STORE_CHECK(r.text("recovery_group", group));
  HL_STORE_CHECK(r.integer("recovery_due_minutes", recovery_minutes));
  if (const json* cal = r.claim("calendar")) {
    auto calendar = Calendar::from_json(*cal, r.at("calendar"));
    if (!calendar) return std::move(calendar).error();
    c.tickets.calendar = std::move(*calendar);
  }
  if (const json* sla = r.claim("sla")) {
    if (!sla->is_object()) {
      return make_error(Errc::kInvalidArgument, fmt::format("{}: expected an object", r.at("sla")));
    }
    for (const auto& [name, targets] : sla->items()) {
      const std::string p = fmt::format("{}.{}", r.at("sla"), name);
      TicketPriority priority;
      if (!parse_priority(name, priority)) {
        // The object's keys are the priorities: any other is an unknown field.
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}: unknown field (expected one of: low, normal, high, "
                                      "urgent)",
                                      p));
      }
      Reader t(targets, p);
      HL_STORE_CHECK(t.object());
      std::int64_t fr = 0, res = 0;
      HL_STORE_CHECK(t.integer("first_response_minutes", fr));
      HL_STORE_CHECK(t.integer("resolution_minutes", res));
      HL_STORE_CHECK(t.done());
      HL_STORE_CHECK(check_minutes(t.at("first_response_minutes"), fr));
      HL_STORE_CHECK(check_minutes(t.at("resolution_minutes"), res));
      c.tickets.sla[priority] = SlaTargets{fr * kMinuteMs, res * kMinuteMs};
    }
  }
  HL_STORE_CHECK(r.done());
  if (backend) {
    if (*backend == "memory") c.sqlite = false;
    else if (*backend != "sqlite") {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected sqlite or memory", r.at("backend")));
    }
  }
  if (file) c.sqlite_options.path = *file;
  if (c.sqlite && c.sqlite_options.path.empty()) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{}: the sqlite backend needs a path", r.at("path")));
  }
  if (c.sqlite) {
    if (std::string problem = sqlite::path_problem(c.sqlite_options.path); !problem.empty()) {
      return make_error(Errc::kInvalidArgument, fmt::format("{}: {}", r.at("path"), problem));
    }
  } else {
    // A file's settings given to the memory backend would be dropped
    // silently: most likely the backend is not the one meant.
    // As everywhere in these readers, null counts as absent.
    for (const std::string_view field : kSqliteFileSettings) {
      if (const auto it = j.find(field); it != j.end() && !it->is_null()) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}: only the sqlite backend takes {}, and this "
                                      "store's backend is memory",
                                      r.at(field), field));
      }
    }
  }
  if (synchronous) {
    if (*synchronous == "full") c.sqlite_options.synchronous_full = true;
    else if (*synchronous != "normal") {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected normal or full", r.at("synchronous")));
    }
  }
  if (locking) {
    if (*locking == "exclusive") c.sqlite_options.exclusive = true;
    else if (*locking != "shared") {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected shared or exclusive", r.at("locking")));
    }
  }
  if (busy) {
    if (*busy < 0 || *busy > kMaxBusyTimeoutMs) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("{}: expected 0 to {} (ten minutes), not {}",
                                    r.at("busy_timeout_ms"), kMaxBusyTimeoutMs, *busy));
    }
    c.sqlite_options.busy_timeout_ms = static_cast<int>(*busy);
  }
  if (region) c.default_region = *region;
  if (prefix) c.tickets.number_prefix = *prefix;
  if (group) c.tickets.recovery_group = *group;
  if (recovery_minutes) {
    HL_STORE_CHECK(check_minutes(r.at("recovery_due_minutes"), *recovery_minutes));
    c.tickets.recovery_due_ms = *recovery_minutes * kMinuteMs;
  }
  return c;
}

}  // namespace hotline::store
