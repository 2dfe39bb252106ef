#include "store/kv/records.hpp"

#include <nlohmann/json.hpp>

#include "hotline/util/json_input.hpp"

namespace hotline::store::kv {

using nlohmann::json;

namespace {

// Reads a whole record, turning any shape error into a storage error: the
// host's store returned something Hotline did not write.
template <typename F>
Status read(std::string_view text, const char* kind, F&& fill) {
  // Bounded depth: a host's record is outside input like any other.
  auto parsed = parse_json(text, std::string("the host's ") + kind + " record");
  if (!parsed) return make_error(Errc::kIo, std::move(parsed).error().message);
  try {
    fill(*parsed);
    return {};
  } catch (const std::exception& e) {
    return make_error(Errc::kIo, std::string("the host's storage returned an unreadable ") + kind +
                                     " record: " + e.what());
  }
}

}  // namespace

std::string encode(const Ticket& t) {
  return json{{"id", t.id},
              {"number", t.number},
              {"subject", t.subject},
              {"description", t.description},
              {"category", t.category},
              {"priority", static_cast<int>(t.priority)},
              {"channel", static_cast<int>(t.channel)},
              {"status", static_cast<int>(t.status)},
              {"customer", t.customer},
              {"contact_id", t.contact_id},
              {"assignee", t.assignee},
              {"group", t.group},
              {"created_at", t.created_at},
              {"updated_at", t.updated_at},
              {"first_response_due", t.first_response_due},
              {"first_response_at", t.first_response_at},
              {"resolution_due", t.resolution_due},
              {"resolved_at", t.resolved_at},
              {"closed_at", t.closed_at},
              {"pending_since", t.pending_since},
              {"paused_ms", t.paused_ms},
              {"satisfaction", t.satisfaction},
              {"reopen_count", t.reopen_count},
              {"created_by", t.created_by}}
      .dump();
}

Status decode(std::string_view text, Ticket& t) {
  return read(text, "ticket", [&](const json& j) {
    t.id = j.at("id");
    t.number = j.at("number");
    t.subject = j.at("subject");
    t.description = j.at("description");
    t.category = j.at("category");
    t.priority = static_cast<TicketPriority>(j.at("priority").get<int>());
    t.channel = static_cast<TicketChannel>(j.at("channel").get<int>());
    t.status = static_cast<TicketStatus>(j.at("status").get<int>());
    t.customer = j.at("customer");
    t.contact_id = j.at("contact_id");
    t.assignee = j.at("assignee");
    t.group = j.at("group");
    t.created_at = j.at("created_at");
    t.updated_at = j.at("updated_at");
    t.first_response_due = j.at("first_response_due");
    t.first_response_at = j.at("first_response_at");
    t.resolution_due = j.at("resolution_due");
    t.resolved_at = j.at("resolved_at");
    t.closed_at = j.at("closed_at");
    t.pending_since = j.at("pending_since");
    t.paused_ms = j.at("paused_ms");
    t.satisfaction = j.at("satisfaction");
    t.reopen_count = j.at("reopen_count");
    t.created_by = j.at("created_by");
  });
}

std::string encode(const Note& n) {
  return json{{"id", n.id},         {"ticket", n.ticket},     {"at", n.at},
              {"author", n.author}, {"internal", n.internal}, {"body", n.body}}
      .dump();
}

Status decode(std::string_view text, Note& n) {
  return read(text, "note", [&](const json& j) {
    n.id = j.at("id");
    n.ticket = j.at("ticket");
    n.at = j.at("at");
    n.author = j.at("author");
    n.internal = j.at("internal");
    n.body = j.at("body");
  });
}

std::string encode(const TicketChange& c) {
  return json{{"ticket", c.ticket}, {"at", c.at},         {"actor", c.actor},
              {"field", c.field},   {"old", c.old_value}, {"new", c.new_value}}
      .dump();
}

Status decode(std::string_view text, TicketChange& c) {
  return read(text, "change", [&](const json& j) {
    c.ticket = j.at("ticket");
    c.at = j.at("at");
    c.actor = j.at("actor");
    c.field = j.at("field");
    c.old_value = j.at("old");
    c.new_value = j.at("new");
  });
}

std::string encode(const FollowUp& f) {
  return json{{"id", f.id},
              {"ticket", f.ticket},
              {"kind", static_cast<int>(f.kind)},
              {"due_at", f.due_at},
              {"assignee", f.assignee},
              {"status", static_cast<int>(f.status)},
              {"outcome", f.outcome},
              {"created_at", f.created_at},
              {"done_at", f.done_at}}
      .dump();
}

Status decode(std::string_view text, FollowUp& f) {
  return read(text, "follow_up", [&](const json& j) {
    f.id = j.at("id");
    f.ticket = j.at("ticket");
    f.kind = static_cast<FollowUpKind>(j.at("kind").get<int>());
    f.due_at = j.at("due_at");
    f.assignee = j.at("assignee");
    f.status = static_cast<FollowUpStatus>(j.at("status").get<int>());
    f.outcome = j.at("outcome");
    f.created_at = j.at("created_at");
    f.done_at = j.at("done_at");
  });
}

std::string encode(const Customer& c) {
  return json{{"id", c.id},
              {"name", c.name},
              {"phones", c.phones},
              {"emails", c.emails},
              {"tier", c.tier},
              {"tags", c.tags},
              {"attributes", c.attributes},
              {"national_id", c.national_id},
              {"payment_info", c.payment_info},
              {"created_at", c.created_at},
              {"updated_at", c.updated_at},
              {"merged_into", c.merged_into},
              {"erased", c.erased}}
      .dump();
}

Status decode(std::string_view text, Customer& c) {
  return read(text, "customer", [&](const json& j) {
    c.id = j.at("id");
    c.name = j.at("name");
    c.phones = j.at("phones").get<std::vector<std::string>>();
    c.emails = j.at("emails").get<std::vector<std::string>>();
    c.tier = j.at("tier");
    c.tags = j.at("tags").get<std::vector<std::string>>();
    c.attributes = j.at("attributes");
    c.national_id = j.at("national_id");
    c.payment_info = j.at("payment_info");
    c.created_at = j.at("created_at");
    c.updated_at = j.at("updated_at");
    c.merged_into = j.at("merged_into");
    c.erased = j.at("erased");
  });
}

std::string encode(const ContactRecord& c) {
  return json{{"id", c.id},           {"contact_id", c.contact_id}, {"customer", c.customer},
              {"channel", c.channel}, {"queue", c.queue},           {"agent", c.agent},
              {"ani", c.ani},         {"started_at", c.started_at}, {"ended_at", c.ended_at},
              {"outcome", c.outcome}}
      .dump();
}

Status decode(std::string_view text, ContactRecord& c) {
  return read(text, "contact", [&](const json& j) {
    c.id = j.at("id");
    c.contact_id = j.at("contact_id");
    c.customer = j.at("customer");
    c.channel = j.at("channel");
    c.queue = j.at("queue");
    c.agent = j.at("agent");
    c.ani = j.at("ani");
    c.started_at = j.at("started_at");
    c.ended_at = j.at("ended_at");
    c.outcome = j.at("outcome");
  });
}

std::string encode(const AuditRecord& r) {
  return json{{"id", r.id},         {"at", r.at},         {"actor", r.actor},
              {"role", r.role},     {"action", r.action}, {"entity", r.entity},
              {"entity_id", r.entity_id}, {"detail", r.detail}}
      .dump();
}

Status decode(std::string_view text, AuditRecord& r) {
  return read(text, "audit", [&](const json& j) {
    r.id = j.at("id");
    r.at = j.at("at");
    r.actor = j.at("actor");
    r.role = j.at("role");
    r.action = j.at("action");
    r.entity = j.at("entity");
    r.entity_id = j.at("entity_id");
    r.detail = j.at("detail");
  });
}

}  // namespace hotline::store::kv
