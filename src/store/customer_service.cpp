#include "hotline/store/customer_service.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/store/csv.hpp"
#include "hotline/util/json_input.hpp"
#include "hotline/util/utf8.hpp"
#include "store/text_input.hpp"
#include "store/try.hpp"
#include "store/write_scope.hpp"

namespace hotline::store {
namespace {

constexpr const char* kErasedName = "[erased]";

Error invalid(std::string field, std::string what) {
  return make_error(Errc::kInvalidArgument, fmt::format("{}: {}", field, what));
}

Status require(const Actor& actor, Role at_least, std::string_view what) {
  if (static_cast<int>(actor.role) >= static_cast<int>(at_least)) return {};
  return make_error(Errc::kPermission,
                    fmt::format("{} '{}' may not {}; it needs the {} role", role_name(actor.role),
                                actor.id, what, role_name(at_least)));
}

bool valid_email(std::string_view e) {
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size()) return false;
  if (e.find('@', at + 1) != std::string_view::npos) return false;
  if (e.find('.', at) == std::string_view::npos) return false;
  return std::none_of(e.begin(), e.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == ',' || c == ';' || c == '<' || c == '>';
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& v : from) {
    if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
  }
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(';', start), text.size());
    auto item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// A new customer as an update of an empty one, so that creating and
// importing go through the same validation as editing. Sensitive fields are
// only touched when given, as only supervisors may set them.
CustomerUpdate as_update(const NewCustomer& n) {
  CustomerUpdate u;
  u.name = n.name;
  u.phones = n.phones;
  u.emails = n.emails;
  u.tier = n.tier;
  u.tags = n.tags;
  u.attributes = n.attributes;
  if (!n.national_id.empty()) u.national_id = n.national_id;
  if (!n.payment_info.empty()) u.payment_info = n.payment_info;
  return u;
}

}  // namespace

Result<CustomerService> CustomerService::make(Storage& storage, Options options) {
  if (!options.clock) return make_error(Errc::kInvalidArgument, "CustomerService needs a clock");
  HL_STORE_TRY(phones, PhoneNormalizer::make(options.default_region));
  return CustomerService(storage, std::move(options), std::move(phones));
}

CustomerService::CustomerService(Storage& storage, Options options, PhoneNormalizer phones)
    : storage_(&storage), options_(std::move(options)), phones_(std::move(phones)) {}

Status CustomerService::audit_write(const Actor& actor, std::string action, std::string entity,
                                    std::int64_t id, std::string detail, TimeMs now) {
  AuditRecord r{0,      now,     actor.id, role_name(actor.role), std::move(action),
                std::move(entity), id, std::move(detail)};
  return storage_->audit().append(r);
}

// Validates and applies an update; `changed` collects the field names.
Status CustomerService::apply(const Actor& actor, Customer& c, const CustomerUpdate& u,
                              std::string* changed) {
  const auto& lim = options_.limits;
  auto note = [&](const char* field) {
    if (!changed->empty()) *changed += ", ";
    *changed += field;
  };
  auto utf8 = [](const std::string& field, std::string_view value) {
    return require_utf8(value, field);
  };
  if (u.name) {
    HL_STORE_CHECK(utf8("name", *u.name));
    if (u.name->size() > lim.name) return invalid("name", "longer than the limit");
    if (*u.name != c.name) note("name");
    c.name = *u.name;
  }
  if (u.phones) {
    if (u.phones->size() > lim.list) return invalid("phones", "too many numbers");
    std::vector<std::string> e164;
    for (std::size_t i = 0; i < u.phones->size(); ++i) {
      HL_STORE_CHECK(utf8(fmt::format("phones[{}]", i), (*u.phones)[i]));
      auto n = phones_.to_e164((*u.phones)[i]);
      if (!n) return invalid(fmt::format("phones[{}]", i), n.error().message);
      add_unique(e164, {*n});
    }
    if (e164 != c.phones) note("phones");
    c.phones = std::move(e164);
  }
  if (u.emails) {
    if (u.emails->size() > lim.list) return invalid("emails", "too many addresses");
    std::vector<std::string> emails;
    for (std::size_t i = 0; i < u.emails->size(); ++i) {
      HL_STORE_CHECK(utf8(fmt::format("emails[{}]", i), (*u.emails)[i]));
      const std::string e = lower((*u.emails)[i]);
      if (e.size() > lim.field || !valid_email(e)) {
        return invalid(fmt::format("emails[{}]", i),
                       fmt::format("'{}' is not an email address", excerpt(e)));
      }
      add_unique(emails, {e});
    }
    if (emails != c.emails) note("emails");
    c.emails = std::move(emails);
  }
  if (u.tier) {
    HL_STORE_CHECK(utf8("tier", *u.tier));
    if (u.tier->size() > lim.field) return invalid("tier", "longer than the limit");
    if (*u.tier != c.tier) note("tier");
    c.tier = *u.tier;
  }
  if (u.tags) {
    if (u.tags->size() > lim.list) return invalid("tags", "too many tags");
    for (std::size_t i = 0; i < u.tags->size(); ++i) {
      const auto& tag = (*u.tags)[i];
      HL_STORE_CHECK(utf8(fmt::format("tags[{}]", i), tag));
      if (tag.empty() || tag.size() > lim.field) {
        return invalid(fmt::format("tags[{}]", i), "empty or longer than the limit");
      }
      if (std::any_of(tag.begin(), tag.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < ' '; })) {
        return invalid(fmt::format("tags[{}]", i), "control characters are not allowed");
      }
    }
    if (*u.tags != c.tags) note("tags");
    c.tags = *u.tags;
  }
  if (u.attributes) {
    if (u.attributes->size() > lim.attributes) return invalid("attributes", "too large");
    // Bounded depth: the document is walked recursively to serialise it.
    auto j = parse_json(*u.attributes, "attributes");
    if (!j) return std::move(j).error();
    if (!j->is_object()) return invalid("attributes", "expected a JSON object");
    std::string normal = j->dump();
    if (normal != c.attributes) note("attributes");
    c.attributes = std::move(normal);
  }
  // Sensitive fields: changing them is for supervisors, and the audit names
  // the field but never the value.
  auto sensitive = [&](const std::optional<std::string>& v, std::string& field,
                       const char* name) -> Status {
    if (!v) return {};
    HL_STORE_CHECK(require(actor, Role::kSupervisor, fmt::format("set {}", name)));
    HL_STORE_CHECK(utf8(name, *v));
    if (v->size() > lim.field) return invalid(name, "longer than the limit");
    if (*v != field) note(name);
    field = *v;
    return {};
  };
  HL_STORE_CHECK(sensitive(u.national_id, c.national_id, "national_id"));
  HL_STORE_CHECK(sensitive(u.payment_info, c.payment_info, "payment_info"));
  if (c.name.empty() && c.phones.empty() && c.emails.empty()) {
    return invalid("name", "a customer needs a name, a phone number or an email address");
  }
  return {};
}

Result<Customer> CustomerService::create(const Actor& actor, const NewCustomer& n) {
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  const CustomerUpdate u = as_update(n);
  Customer c;
  c.attributes.clear();
  std::string fields;
  HL_STORE_CHECK(apply(actor, c, u, &fields));
  c.created_at = c.updated_at = now;
  WriteScope write(*storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_CHECK(storage_->customers().insert(c));
  HL_STORE_CHECK(audit_write(actor, "create", "customer", c.id, fields, now));
  // Every value in it is one the caller has just given: the record passes
  // the same door, with nothing read to audit.
  HL_STORE_TRY(out, disclose(actor, c, now, &write, Source::kCallersOwn));
  HL_STORE_CHECK(write.commit());
  return std::move(out);
}

Result<Customer> CustomerService::load_live(CustomerId id) {
  HL_STORE_TRY(c, storage_->customers().get(id));
  if (c.merged_into != 0) {
    return make_error(Errc::kIllegalState,
                      fmt::format("customer {} was merged into customer {}", id, c.merged_into));
  }
  if (c.erased) return make_error(Errc::kIllegalState, fmt::format("customer {} was erased", id));
  return std::move(c);
}

Result<Customer> CustomerService::update(const Actor& actor, CustomerId id,
                                         const CustomerUpdate& u) {
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  WriteScope write(*storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(c, load_live(id));
  std::string fields;
  HL_STORE_CHECK(apply(actor, c, u, &fields));
  if (!fields.empty()) {
    c.updated_at = now;
    HL_STORE_CHECK(storage_->customers().update(c));
    HL_STORE_CHECK(audit_write(actor, "update", "customer", id, fields, now));
  }
  // Even an empty update hands the record back: it goes through the same
  // door as a read, and its audit record commits with the change.
  HL_STORE_TRY(out, disclose(actor, c, now, &write));
  HL_STORE_CHECK(write.commit());
  return std::move(out);
}

namespace {

// How far back the last agent is looked for when the latest contacts were
// all unanswered.
constexpr int kLastAgentLookback = 1000;

// The agent of the first contact, most recent first, that one served.
std::string agent_of_latest_answered(const std::vector<ContactRecord>& most_recent_first) {
  for (const auto& contact : most_recent_first) {
    if (!contact.agent.empty()) return contact.agent;
  }
  return {};
}

}  // namespace

Result<Customer> CustomerService::disclose(const Actor& actor, Customer c, TimeMs now,
                                           WriteScope* write, Source source) {
  // Masks in place: the record is handed on without another move.
  auto mask = [&] {
    c.national_id = mask_sensitive(c.national_id);
    c.payment_info = mask_sensitive(c.payment_info);
  };
  if (actor.role == Role::kAgent) {
    mask();
    return c;
  }
  std::string fields;
  if (!c.national_id.empty()) fields = "national_id";
  if (!c.payment_info.empty()) fields += fields.empty() ? "payment_info" : ", payment_info";
  if (fields.empty() || source == Source::kCallersOwn) return c;
  if (write) {
    // Inside the call's own write: the audit record commits with it, or
    // the whole call fails and nothing is handed out.
    HL_STORE_CHECK(audit_write(actor, "read-sensitive", "customer", c.id, fields, now));
    return c;
  }
  // A read: the clear values are only handed out once their audit record
  // is committed; if it cannot be, the reader gets them masked.
  WriteScope own(*storage_);
  if (own.begin() && audit_write(actor, "read-sensitive", "customer", c.id, fields, now) &&
      own.commit()) {
    return c;
  }
  mask();
  return c;
}

Result<Customer> CustomerService::get(const Actor& actor, CustomerId id) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_TRY(c, storage_->customers().get(id));
  return disclose(actor, std::move(c), options_.clock(), nullptr);
}

Result<std::vector<Customer>> CustomerService::search(const Actor& actor, std::string_view text,
                                                      int limit) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(check_text("search text", text));
  std::vector<Customer> out;
  if (limit <= 0) return out;
  HL_STORE_TRY(ids, storage_->customers().search(text, limit));
  const TimeMs now = options_.clock();
  for (CustomerId id : ids) {
    HL_STORE_TRY(c, storage_->customers().get(id));
    HL_STORE_TRY(shown, disclose(actor, c, now, nullptr));
    out.push_back(std::move(shown));
  }
  return out;
}

Result<std::optional<Customer>> CustomerService::lookup_by_ani(const Actor& actor,
                                                               std::string_view ani) {
  HL_STORE_CHECK(check_actor(actor));
  HL_STORE_CHECK(check_text("ani", ani));
  // Stored numbers are E.164, and most switches present that form: try it
  // as it is before normalising. A miss still goes through normalisation,
  // which also catches other spellings of the number.
  // The record found is moved, never copied, on its way out (a lookup's
  // allocations are a share of its cost): into disclose() and from its
  // answer into the optional handed back.
  auto shown = [&](Customer& found) -> Result<std::optional<Customer>> {
    HL_STORE_TRY(out, disclose(actor, std::move(found), options_.clock(), nullptr));
    return std::optional<Customer>(std::move(out));
  };
  if (PhoneNormalizer::looks_like_e164(ani)) {
    HL_STORE_TRY(direct, storage_->customers().first_by_phone(ani));
    if (direct) return shown(*direct);
  }
  HL_STORE_TRY(e164, phones_.to_e164(ani));
  HL_STORE_TRY(parsed, storage_->customers().first_by_phone(e164));
  if (!parsed) return std::optional<Customer>();
  return shown(*parsed);
}

Result<CustomerView> CustomerService::view(const Actor& actor, CustomerId id,
                                           int recent_contacts) {
  HL_STORE_CHECK(check_actor(actor));
  CustomerView v;
  HL_STORE_TRY(c, storage_->customers().get(id));
  HL_STORE_TRY(shown, disclose(actor, c, options_.clock(), nullptr));
  v.customer = std::move(shown);
  HL_STORE_TRY(contacts, storage_->customers().contacts(id, std::max(recent_contacts, 0)));
  v.contacts = std::move(contacts);
  TicketQuery q;
  q.customer = id;
  q.open_only = true;
  q.limit = 100;
  HL_STORE_TRY(page, storage_->tickets().list(q));
  v.open_tickets = std::move(page.tickets);
  v.last_agent = agent_of_latest_answered(v.contacts);
  // Fewer contacts than asked for are all there are.
  if (v.last_agent.empty() && recent_contacts > 0 &&
      v.contacts.size() == static_cast<std::size_t>(recent_contacts)) {
    // The latest few contacts may all be unanswered; look further back.
    HL_STORE_TRY(older, storage_->customers().contacts(id, kLastAgentLookback));
    v.last_agent = agent_of_latest_answered(older);
  }
  return v;
}

Result<std::string> CustomerService::last_agent(CustomerId id) {
  // As view(actor, id, 1) finds it: the latest contact, then further back.
  HL_STORE_TRY(latest, storage_->customers().contacts(id, 1));
  if (latest.empty()) return std::string();  // no contact at all
  std::string agent = agent_of_latest_answered(latest);
  if (!agent.empty()) return agent;
  HL_STORE_TRY(older, storage_->customers().contacts(id, kLastAgentLookback));
  return agent_of_latest_answered(older);
}

Status CustomerService::record_contact(ContactRecord contact) {
  const std::size_t limit = options_.limits.field;
  HL_STORE_CHECK(check_text("contact_id", contact.contact_id, limit));
  HL_STORE_CHECK(check_text("channel", contact.channel, limit));
  HL_STORE_CHECK(check_text("queue", contact.queue, limit));
  HL_STORE_CHECK(check_text("agent", contact.agent, limit));
  HL_STORE_CHECK(check_text("ani", contact.ani, limit));
  HL_STORE_CHECK(check_text("outcome", contact.outcome, limit));
  WriteScope write(*storage_);
  HL_STORE_CHECK(write.begin());
  if (contact.customer != 0) {
    HL_STORE_TRY(c, storage_->customers().get(contact.customer));
    if (c.merged_into != 0) contact.customer = c.merged_into;
  }
  HL_STORE_CHECK(storage_->customers().add_contact(contact));
  return write.commit();
}

Status CustomerService::merge_in_transaction(const Actor& actor, Customer& survivor,
                                             Customer& duplicate, TimeMs now) {
  add_unique(survivor.phones, duplicate.phones);
  add_unique(survivor.emails, duplicate.emails);
  add_unique(survivor.tags, duplicate.tags);
  if (survivor.name.empty()) survivor.name = duplicate.name;
  if (survivor.tier.empty()) survivor.tier = duplicate.tier;
  if (survivor.national_id.empty()) survivor.national_id = duplicate.national_id;
  if (survivor.payment_info.empty()) survivor.payment_info = duplicate.payment_info;
  auto attrs = nlohmann::json::parse(survivor.attributes, nullptr, false);
  const auto more = nlohmann::json::parse(duplicate.attributes, nullptr, false);
  if (attrs.is_object() && more.is_object()) {
    for (const auto& [k, v] : more.items()) {
      if (!attrs.contains(k)) attrs[k] = v;
    }
    survivor.attributes = attrs.dump();
  }
  survivor.updated_at = now;
  HL_STORE_CHECK(storage_->customers().update(survivor));

  // Each moved ticket records the move in its own history.
  TicketQuery q;
  q.customer = duplicate.id;
  q.limit = 500;
  for (;;) {
    HL_STORE_TRY(page, storage_->tickets().list(q));
    for (const Ticket& t : page.tickets) {
      HL_STORE_CHECK(storage_->tickets().add_change(
          TicketChange{t.id, now, actor.id, "customer", std::to_string(duplicate.id),
                       std::to_string(survivor.id)}));
    }
    if (page.next_cursor.empty()) break;
    q.after = page.next_cursor;
  }
  HL_STORE_CHECK(storage_->tickets().move_customer(duplicate.id, survivor.id));
  HL_STORE_CHECK(storage_->customers().move_contacts(duplicate.id, survivor.id));

  duplicate.merged_into = survivor.id;
  duplicate.phones.clear();  // caller-id now finds the survivor only
  duplicate.emails.clear();
  duplicate.updated_at = now;
  HL_STORE_CHECK(storage_->customers().update(duplicate));
  HL_STORE_CHECK(audit_write(actor, "merge", "customer", survivor.id,
                             fmt::format("merged customer {} into it", duplicate.id), now));
  return audit_write(actor, "merge", "customer", duplicate.id,
                     fmt::format("merged into customer {}", survivor.id), now);
}

Result<Customer> CustomerService::merge(const Actor& actor, CustomerId survivor_id,
                                        CustomerId duplicate_id) {
  HL_STORE_CHECK(require(actor, Role::kSupervisor, "merge customers"));
  HL_STORE_CHECK(check_actor(actor));
  if (survivor_id == duplicate_id) {
    return make_error(Errc::kInvalidArgument, "a customer cannot be merged into itself");
  }
  const TimeMs now = options_.clock();
  WriteScope write(*storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(survivor, load_live(survivor_id));
  HL_STORE_TRY(duplicate, load_live(duplicate_id));
  HL_STORE_CHECK(merge_in_transaction(actor, survivor, duplicate, now));
  HL_STORE_TRY(out, disclose(actor, survivor, now, &write));
  HL_STORE_CHECK(write.commit());
  return std::move(out);
}

Result<ImportReport> CustomerService::import_csv(const Actor& actor, std::string_view csv,
                                                 const ImportOptions& options) {
  HL_STORE_CHECK(require(actor, Role::kSupervisor, "import customers"));
  HL_STORE_CHECK(check_actor(actor));
  CsvReader reader(csv);
  std::vector<std::string> header;
  HL_STORE_TRY(has_header, reader.next(header));
  if (!has_header) return make_error(Errc::kInvalidArgument, "CSV: empty input, no header row");
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (auto bad = first_invalid_utf8(header[i])) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("CSV row 1, column {}: not valid UTF-8 (byte {})", i + 1,
                                    *bad));
    }
  }

  // Resolve the mapping to column indexes.
  static const std::set<std::string> kFields = {"name",  "phone", "phones",      "email",
                                                "emails", "tier", "tags",        "national_id",
                                                "payment_info"};
  auto is_field = [](const std::string& f) {
    return kFields.count(f) || (f.rfind("attributes.", 0) == 0 && f.size() > 11);
  };
  std::vector<std::pair<std::size_t, std::string>> columns;  // index → field
  if (options.mapping.empty()) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (is_field(header[i])) columns.emplace_back(i, header[i]);
    }
  } else {
    for (const auto& [column, field] : options.mapping) {
      if (!is_field(field)) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("CSV mapping: '{}' is not a customer field", field));
      }
      auto it = std::find(header.begin(), header.end(), column);
      if (it == header.end()) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("CSV mapping: the header has no column '{}'", column));
      }
      columns.emplace_back(static_cast<std::size_t>(it - header.begin()), field);
    }
  }
  if (columns.empty()) {
    return make_error(Errc::kInvalidArgument, "CSV: no column maps to a customer field");
  }

  const TimeMs now = options_.clock();
  ImportReport report;
  WriteScope write(*storage_);
  if (!options.dry_run) HL_STORE_CHECK(write.begin());
  // Keys seen earlier in this file, so that duplicates within it are caught
  // in a dry run too (where nothing reaches the store).
  std::map<std::string, std::size_t> seen;  // phone or email → row
  std::vector<std::string> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more) {
      report.errors.push_back(ImportIssue{reader.record_number(), "", more.error().message});
      break;  // a broken quote leaves the rest of the file unreadable
    }
    if (!*more) break;
    const std::size_t row = reader.record_number();
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    ++report.rows;
    if (fields.size() != header.size()) {
      report.errors.push_back(ImportIssue{
          row, "", fmt::format("{} fields where the header has {}", fields.size(), header.size())});
      continue;
    }
    // Every cell that would be stored is UTF-8, or the row is refused
    // naming the cell: nothing of it is written.
    std::optional<ImportIssue> not_utf8;
    for (const auto& [index, field] : columns) {
      if (auto bad = first_invalid_utf8(fields[index])) {
        not_utf8 = ImportIssue{row, field,
                               fmt::format("column {} ('{}'): not valid UTF-8 (byte {})",
                                           index + 1, header[index], *bad)};
        break;
      }
    }
    if (not_utf8) {
      report.errors.push_back(std::move(*not_utf8));
      continue;
    }
    NewCustomer n;
    nlohmann::json attributes = nlohmann::json::object();
    for (const auto& [index, field] : columns) {
      const std::string& v = fields[index];
      if (field == "name") n.name = v;
      else if (field == "phone" || field == "phones") add_unique(n.phones, split_list(v));
      else if (field == "email" || field == "emails") add_unique(n.emails, split_list(v));
      else if (field == "tier") n.tier = v;
      else if (field == "tags") add_unique(n.tags, split_list(v));
      else if (field == "national_id") n.national_id = v;
      else if (field == "payment_info") n.payment_info = v;
      else if (!v.empty()) attributes[field.substr(11)] = v;
    }
    n.attributes = attributes.dump();
    // Validate through the same rules as create().
    const CustomerUpdate u = as_update(n);
    Customer c;
    std::string changed;
    if (auto st = apply(actor, c, u, &changed); !st) {
      const std::string& m = st.error().message;
      const auto colon = m.find(':');
      report.errors.push_back(ImportIssue{row, colon == std::string::npos ? "" : m.substr(0, colon),
                                          colon == std::string::npos ? m : m.substr(colon + 2)});
      continue;
    }
    // Duplicates: by phone, then by email; first in the store, then earlier in the file.
    std::optional<CustomerId> existing;
    std::string matched;
    std::size_t earlier_row = 0;
    for (const auto& p : c.phones) {
      HL_STORE_TRY(ids, storage_->customers().find_by_phone(p));
      if (!ids.empty()) existing = ids.front();
      if (existing || seen.count(p)) {
        matched = "phone " + p;
        if (!existing) earlier_row = seen[p];
        break;
      }
    }
    if (matched.empty()) {
      for (const auto& e : c.emails) {
        HL_STORE_TRY(ids, storage_->customers().find_by_email(e));
        if (!ids.empty()) existing = ids.front();
        if (existing || seen.count(e)) {
          matched = "email " + e;
          if (!existing) earlier_row = seen[e];
          break;
        }
      }
    }
    for (const auto& p : c.phones) seen.emplace(p, row);
    for (const auto& e : c.emails) seen.emplace(e, row);
    if (!matched.empty()) {
      const std::string what =
          existing ? fmt::format("same {} as customer {}", matched, *existing)
                   : fmt::format("same {} as row {}", matched, earlier_row);
      if (options.duplicates == ImportOptions::Duplicates::kMerge) {
        ++report.merged;
        if (!options.dry_run) {
          // A duplicate of an earlier row was created by this import: find it.
          if (!existing) {
            for (const auto& p : c.phones) {
              HL_STORE_TRY(ids, storage_->customers().find_by_phone(p));
              if (!ids.empty()) { existing = ids.front(); break; }
            }
          }
          if (!existing) {
            for (const auto& e : c.emails) {
              HL_STORE_TRY(ids, storage_->customers().find_by_email(e));
              if (!ids.empty()) { existing = ids.front(); break; }
            }
          }
          if (existing) {
            HL_STORE_TRY(target, storage_->customers().get(*existing));
            c.created_at = c.updated_at = now;
            HL_STORE_CHECK(storage_->customers().insert(c));
            HL_STORE_CHECK(merge_in_transaction(actor, target, c, now));
          }
        }
      } else {
        ++report.duplicates;
        if (options.duplicates == ImportOptions::Duplicates::kReport) {
          report.duplicates_found.push_back(ImportIssue{row, matched.substr(0, matched.find(' ')),
                                                        what});
        }
      }
      continue;
    }
    ++report.created;
    if (!options.dry_run) {
      c.created_at = c.updated_at = now;
      HL_STORE_CHECK(storage_->customers().insert(c));
      HL_STORE_CHECK(audit_write(actor, "create", "customer", c.id, "import: " + changed, now));
    }
  }
  if (!options.dry_run) {
    HL_STORE_CHECK(audit_write(actor, "import", "customer", 0,
                               fmt::format("{} rows: {} created, {} merged, {} duplicates, {} "
                                           "errors",
                                           report.rows, report.created, report.merged,
                                           report.duplicates, report.errors.size()),
                               now));
    HL_STORE_CHECK(write.commit());
  }
  return report;
}

Result<std::string> CustomerService::export_json(const Actor& actor, CustomerId id) {
  HL_STORE_CHECK(require(actor, Role::kAdmin, "export customer data"));
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  // One transaction: the export is handed out only with its audit records.
  WriteScope write(*storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(stored, storage_->customers().get(id));
  HL_STORE_TRY(c, disclose(actor, stored, now, &write));
  nlohmann::json doc;
  doc["customer"] = {{"id", c.id},
                     {"name", c.name},
                     {"phones", c.phones},
                     {"emails", c.emails},
                     {"tier", c.tier},
                     {"tags", c.tags},
                     {"attributes", nlohmann::json::parse(c.attributes, nullptr, false)},
                     {"national_id", c.national_id},
                     {"payment_info", c.payment_info},
                     {"created_at", c.created_at},
                     {"updated_at", c.updated_at},
                     {"erased", c.erased}};
  HL_STORE_TRY(contacts, storage_->customers().contacts(id, 1 << 30));
  doc["contacts"] = nlohmann::json::array();
  for (const auto& k : contacts) {
    doc["contacts"].push_back({{"contact_id", k.contact_id}, {"channel", k.channel},
                               {"queue", k.queue}, {"agent", k.agent}, {"ani", k.ani},
                               {"started_at", k.started_at}, {"ended_at", k.ended_at},
                               {"outcome", k.outcome}});
  }
  doc["tickets"] = nlohmann::json::array();
  TicketQuery q;
  q.customer = id;
  q.limit = 500;
  for (;;) {
    HL_STORE_TRY(page, storage_->tickets().list(q));
    for (const Ticket& t : page.tickets) {
      nlohmann::json notes = nlohmann::json::array();
      HL_STORE_TRY(ns, storage_->tickets().notes(t.id));
      for (const Note& n : ns) {
        if (!n.internal) notes.push_back({{"at", n.at}, {"author", n.author}, {"body", n.body}});
      }
      doc["tickets"].push_back({{"number", t.number}, {"subject", t.subject},
                                {"description", t.description}, {"category", t.category},
                                {"priority", priority_name(t.priority)},
                                {"status", status_name(t.status)},
                                {"channel", channel_name(t.channel)},
                                {"created_at", t.created_at}, {"satisfaction", t.satisfaction},
                                {"notes", std::move(notes)}});
    }
    if (page.next_cursor.empty()) break;
    q.after = page.next_cursor;
  }
  // Serialised before the commit: a document that cannot be written out
  // leaves no audit record of an export that never happened.
  std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  HL_STORE_CHECK(audit_write(actor, "export", "customer", id, "all personal data", now));
  HL_STORE_CHECK(write.commit());
  return text;
}

// Removes one record's personal data, with its tickets' free text (subject,
// description, notes, follow-up outcomes, the text in their history) and
// its contacts' caller numbers.
Status CustomerService::erase_in_transaction(const Actor& actor, Customer& c, TimeMs now,
                                             std::string detail) {
  // What stays: the id, tier and timestamps, so tickets still count in
  // statistics; what goes: everything that identifies the person.
  c.name = kErasedName;
  c.phones.clear();
  c.emails.clear();
  c.tags.clear();
  c.attributes = "{}";
  c.national_id.clear();
  c.payment_info.clear();
  c.erased = true;
  c.updated_at = now;
  HL_STORE_CHECK(storage_->customers().update(c));
  HL_STORE_CHECK(storage_->tickets().redact_customer(c.id, kErasedName));
  HL_STORE_CHECK(storage_->customers().redact_contacts(c.id));
  return audit_write(actor, "erase", "customer", c.id, std::move(detail), now);
}

Status CustomerService::erase(const Actor& actor, CustomerId id) {
  HL_STORE_CHECK(require(actor, Role::kAdmin, "erase customer data"));
  HL_STORE_CHECK(check_actor(actor));
  const TimeMs now = options_.clock();
  WriteScope write(*storage_);
  HL_STORE_CHECK(write.begin());
  HL_STORE_TRY(c, storage_->customers().get(id));
  HL_STORE_CHECK(erase_in_transaction(actor, c, now, "personal data removed on request"));
  // Records merged into this one (and into those, transitively) still hold
  // the person's name and sensitive fields: they go too.
  std::vector<CustomerId> pending{id};
  std::set<CustomerId> seen{id};
  while (!pending.empty()) {
    const CustomerId into = pending.back();
    pending.pop_back();
    HL_STORE_TRY(merged, storage_->customers().merged_away(into));
    for (CustomerId m : merged) {
      if (!seen.insert(m).second) continue;
      HL_STORE_TRY(record, storage_->customers().get(m));
      HL_STORE_CHECK(erase_in_transaction(
          actor, record, now, fmt::format("merged into customer {}, erased with it", into)));
      pending.push_back(m);
    }
  }
  return write.commit();
}

Result<std::vector<AuditRecord>> CustomerService::audit(const Actor& actor,
                                                        const AuditQuery& query) {
  HL_STORE_CHECK(require(actor, Role::kSupervisor, "read the audit log"));
  HL_STORE_CHECK(check_actor(actor));
  if (query.actor) HL_STORE_CHECK(check_text("actor", *query.actor));
  if (query.entity) HL_STORE_CHECK(check_text("entity", *query.entity));
  return storage_->audit().records(query);
}

std::string mask_sensitive(std::string_view value) {
  if (value.empty()) return std::string();
  std::size_t start = value.size();
  for (int kept = 0; kept < 4 && start > 0;) {
    --start;
    if ((static_cast<unsigned char>(value[start]) & 0xC0) != 0x80) ++kept;
  }
  if (start == 0) return "****";
  return "****" + std::string(value.substr(start));
}

}  // namespace hotline::store
