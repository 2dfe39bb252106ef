#include "store_routes.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "masking.hpp"
#include "ops_api.hpp"
#include "hotline/util/json_input.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::ops {

using nlohmann::json;

namespace {

constexpr std::string_view kCustomers = "/api/v1/customers";
constexpr std::string_view kTickets = "/api/v1/tickets";
constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;
constexpr int kBodyDepth = 16;

bool masked_for(const Principal& who) { return who.role == Role::kAgent; }

// The id after `prefix` + "/": a positive decimal integer, or nothing.
std::optional<std::int64_t> record_id(std::string_view text) {
  std::int64_t id = 0;
  const char* last = text.data() + text.size();
  auto [end, error] = std::from_chars(text.data(), last, id);
  if (text.empty() || error != std::errc() || end != last || id <= 0) return std::nullopt;
  return id;
}

// The query parameters of `request`, each checked against `accepted`.
struct Query {
  std::optional<std::string> value(std::string_view name) const {
    for (const auto& [key, value] : request->query) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
  const HttpRequest* request;
};

Result<Query> query_of(const HttpRequest& request, const std::vector<std::string_view>& accepted) {
  for (const auto& [key, value] : request.query) {
    bool known = false;
    for (std::string_view name : accepted) known = known || key == name;
    if (!known) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("?{}: unknown query parameter (expected one of: {})", key,
                                    fmt::join(accepted, ", ")));
    }
    if (Status s = require_utf8(value, "?" + key); !s) return std::move(s).error();
  }
  return Query{&request};
}

Result<int> limit_of(const Query& query) {
  const auto text = query.value("limit");
  if (!text) return kDefaultLimit;
  int limit = 0;
  const char* last = text->data() + text->size();
  auto [end, error] = std::from_chars(text->data(), last, limit);
  if (error != std::errc() || end != last || limit < 1 || limit > kMaxLimit) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("?limit: must be a whole number from 1 to {}", kMaxLimit));
  }
  return limit;
}

Result<json> body_of(const HttpRequest& request) {
  auto parsed = parse_json(request.body, "$", kBodyDepth);
  if (!parsed) return std::move(parsed).error();
  if (!parsed->is_object()) return make_error(Errc::kInvalidArgument, "$: must be an object");
  return std::move(*parsed);
}

json customer_for(const Principal& who, const store::Customer& customer) {
  json out = store::to_json(customer);
  if (masked_for(who)) mask_customer(out);
  return out;
}

HttpResponse customers(store::CustomerService& service, const Principal& who,
                       const HttpRequest& request) {
  auto query = query_of(request, {"phone", "q", "limit"});
  if (!query) return error_response_of(query.error());
  auto limit = limit_of(*query);
  if (!limit) return error_response_of(limit.error());
  const store::Actor actor = actor_of(who);
  const auto phone = query->value("phone");
  const auto text = query->value("q");
  if (phone.has_value() == text.has_value()) {
    return error_response(400, "give exactly one of ?phone (caller-ID lookup) or ?q (search)");
  }
  json list = json::array();
  if (phone) {
    auto found = service.lookup_by_ani(actor, *phone);
    if (!found) return error_response_of(found.error());
    if (*found) list.push_back(customer_for(who, **found));
  } else {
    auto found = service.search(actor, *text, *limit);
    if (!found) return error_response_of(found.error());
    for (const auto& customer : *found) list.push_back(customer_for(who, customer));
  }
  return json_response(json{{"customers", std::move(list)}});
}

HttpResponse customer(store::CustomerService& service, const Principal& who,
                      const HttpRequest& request, std::int64_t id) {
  const store::Actor actor = actor_of(who);
  if (request.method == "GET") {
    auto view = service.view(actor, id);
    if (!view) return error_response_of(view.error());
    json out = store::to_json(*view);
    if (masked_for(who)) mask_customer_view(out);
    return json_response(out);
  }
  if (request.method != "PATCH") return error_response(405, "GET or PATCH only");
  auto body = body_of(request);
  if (!body) return error_response_of(body.error());
  auto update = store::customer_update_from_json(*body);
  if (!update) return error_response_of(update.error());
  auto updated = service.update(actor, id, *update);
  if (!updated) return error_response_of(updated.error());
  return json_response(customer_for(who, *updated));
}

HttpResponse create_customer(store::CustomerService& service, const Principal& who,
                             const HttpRequest& request) {
  auto body = body_of(request);
  if (!body) return error_response_of(body.error());
  auto fresh = store::new_customer_from_json(*body);
  if (!fresh) return error_response_of(fresh.error());
  auto created = service.create(actor_of(who), *fresh);
  if (!created) return error_response_of(created.error());
  return json_response(customer_for(who, *created), 201);
}

HttpResponse tickets(store::TicketService& service, const HttpRequest& request) {
  auto query = query_of(request, {"q", "limit"});
  if (!query) return error_response_of(query.error());
  auto limit = limit_of(*query);
  if (!limit) return error_response_of(limit.error());
  json list = json::array();
  if (const auto text = query->value("q")) {
    auto hits = service.search_with_snippets(*text, *limit);
    if (!hits) return error_response_of(hits.error());
    for (const auto& hit : *hits) list.push_back(store::to_json(hit));
  } else {
    store::TicketQuery newest;
    newest.limit = *limit;
    auto page = service.list(newest);
    if (!page) return error_response_of(page.error());
    for (const auto& ticket : page->tickets) list.push_back(store::to_json(ticket));
  }
  return json_response(json{{"tickets", std::move(list)}});
}

// The ticket with its notes and history: what the ticket's page shows.
Result<json> ticket_document(store::TicketService& service, std::int64_t id) {
  auto ticket = service.get(id);
  if (!ticket) return std::move(ticket).error();
  auto notes = service.notes(id);
  if (!notes) return std::move(notes).error();
  auto history = service.history(id);
  if (!history) return std::move(history).error();
  json out = store::to_json(*ticket);
  out["notes"] = json::array();
  for (const auto& note : *notes) out["notes"].push_back(store::to_json(note));
  out["history"] = json::array();
  for (const auto& change : *history) out["history"].push_back(store::to_json(change));
  return out;
}

// The keys a ticket PATCH takes: the store's field edits, then the server's.
constexpr std::string_view kTicketEdits[] = {"subject", "description", "category", "priority",
                                              "customer"};
constexpr std::string_view kTicketPatchKeys[] = {"subject",  "description", "category",
                                                 "priority", "customer",    "status",
                                                 "note",     "disposition"};

// A disposition is kept as an internal note with this prefix.
const std::string kDispositionPrefix = "disposition: ";

Result<std::string> text_field(const json& body, const char* key) {
  const std::string path = fmt::format("$.{}", key);
  const json& value = body.at(key);
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    return make_error(Errc::kInvalidArgument, path + ": expected a non-empty string");
  }
  if (Status s = require_utf8(value.get_ref<const std::string&>(), path); !s) {
    return std::move(s).error();
  }
  return value.get<std::string>();
}

// The categories the store accepts: its built-in ones and those configured.
bool known_category(const store::TicketService& service, std::string_view category) {
  for (const char* builtin : store::kBuiltinCategories) {
    if (category == builtin) return true;
  }
  const auto& custom = service.options().custom_categories;
  return std::find(custom.begin(), custom.end(), category) != custom.end();
}

HttpResponse patch_ticket(store::TicketService& service, const Principal& who,
                          const HttpRequest& request, std::int64_t id) {
  auto body = body_of(request);
  if (!body) return error_response_of(body.error());
  json edits = json::object();
  for (const auto& [key, value] : body->items()) {
    bool known = false;
    for (std::string_view name : kTicketPatchKeys) known = known || key == name;
    if (!known) {
      return error_response_of(Error{
          Errc::kInvalidArgument,
          fmt::format("$.{}: unknown field (expected one of: {})", key,
                      fmt::join(std::begin(kTicketPatchKeys), std::end(kTicketPatchKeys),
                                ", "))});
    }
    for (std::string_view name : kTicketEdits) {
      if (key == name) edits[key] = value;
    }
  }
  // Everything is read and checked before anything changes.
  auto update = store::ticket_update_from_json(edits);
  if (!update) return error_response_of(update.error());
  std::optional<store::TicketStatus> status;
  if (body->contains("status")) {
    const json& value = (*body)["status"];
    store::TicketStatus parsed{};
    if (!value.is_string() || !store::parse_status(value.get_ref<const std::string&>(), parsed)) {
      return error_response_of(Error{
          Errc::kInvalidArgument, "$.status: expected new, open, pending, resolved or closed"});
    }
    status = parsed;
  }
  std::optional<std::string> note;
  std::optional<std::string> disposition;
  if (body->contains("note")) {
    auto text = text_field(*body, "note");
    if (!text) return error_response_of(text.error());
    note = std::move(*text);
  }
  if (body->contains("disposition")) {
    auto text = text_field(*body, "disposition");
    if (!text) return error_response_of(text.error());
    disposition = std::move(*text);
  }
  if (update->category && !known_category(service, *update->category)) {
    // Refused here, before the status changes, rather than by the update after it.
    return error_response_of(Error{
        Errc::kInvalidArgument,
        fmt::format("$.category: unknown ticket category '{}'", *update->category)});
  }
  const std::size_t note_limit = service.options().limits.note;
  for (const auto& [key, text] : {std::pair{"note", note ? *note : std::string()},
                                  std::pair{"disposition",
                                            disposition ? kDispositionPrefix + *disposition
                                                        : std::string()}}) {
    if (text.size() > note_limit) {
      return error_response_of(Error{
          Errc::kInvalidArgument,
          fmt::format("$.{}: {} bytes as a note; the limit is {}", key, text.size(), note_limit)});
    }
  }
  auto current = service.get(id);
  if (!current) return error_response_of(current.error());
  // The workflow and the closed ticket's refusal of notes are checked here, so that no step
  // below is refused after an earlier one changed the ticket.
  const bool status_changes = status && *status != current->status;
  if (status_changes && !store::status_change_allowed(current->status, *status)) {
    return error_response_of(Error{
        Errc::kIllegalState,
        fmt::format("$.status: ticket {} cannot go from {} to {}", current->number,
                    store::status_name(current->status), store::status_name(*status))});
  }
  const bool notes = note || disposition;
  const bool reopens = status_changes && current->status == store::TicketStatus::kClosed;
  if (notes && current->status == store::TicketStatus::kClosed && !reopens) {
    return error_response_of(Error{
        Errc::kIllegalState,
        fmt::format("ticket {} is closed; reopen it (\"status\": \"open\") to add notes",
                    current->number)});
  }
  const store::Actor actor = actor_of(who);
  // The field edits first, in one store transaction: the customer's existence and the
  // lengths are checked there, and a refusal leaves the ticket as it was.
  if (!edits.empty()) {
    if (auto changed = service.update(actor, id, *update); !changed) {
      return error_response_of(changed.error());
    }
  }
  // The status and the notes: notes before a transition (so a ticket can be closed with its
  // last note), after a reopening (a closed ticket takes none). Everything they could refuse
  // was checked above; what remains is the store itself failing (I/O), and then the field
  // edits are put back.
  auto restore_edits = [&] {
    if (edits.empty()) return;
    store::TicketUpdate back;
    if (update->subject) back.subject = current->subject;
    if (update->description) back.description = current->description;
    if (update->category) back.category = current->category;
    if (update->priority) back.priority = current->priority;
    if (update->customer) back.customer = current->customer;
    (void)service.update(actor, id, back);
  };
  auto change_status = [&]() -> Status {
    if (!status_changes) return {};
    if (auto changed = service.set_status(actor, id, *status); !changed) {
      return std::move(changed).error();
    }
    return {};
  };
  auto add_notes = [&]() -> Status {
    if (note) {
      if (auto added = service.add_note(actor, id, *note, true); !added) {
        return std::move(added).error();
      }
    }
    if (disposition) {
      if (auto added = service.add_note(actor, id, kDispositionPrefix + *disposition, true);
          !added) {
        return std::move(added).error();
      }
    }
    return {};
  };
  Status applied = reopens ? change_status() : add_notes();
  if (applied) applied = reopens ? add_notes() : change_status();
  if (!applied) {
    restore_edits();
    return error_response_of(applied.error());
  }
  auto document = ticket_document(service, id);
  if (!document) return error_response_of(document.error());
  return json_response(*document);
}

HttpResponse ticket(store::TicketService& service, const Principal& who,
                    const HttpRequest& request, std::int64_t id) {
  if (request.method == "PATCH") return patch_ticket(service, who, request, id);
  if (request.method != "GET") return error_response(405, "GET or PATCH only");
  auto document = ticket_document(service, id);
  if (!document) return error_response_of(document.error());
  return json_response(*document);
}

HttpResponse create_ticket(store::TicketService& service, const Principal& who,
                           const HttpRequest& request) {
  auto body = body_of(request);
  if (!body) return error_response_of(body.error());
  auto fresh = store::new_ticket_from_json(*body);
  if (!fresh) return error_response_of(fresh.error());
  auto created = service.create(actor_of(who), *fresh);
  if (!created) return error_response_of(created.error());
  auto document = ticket_document(service, created->id);
  if (!document) return error_response_of(document.error());
  return json_response(*document, 201);
}

bool under(std::string_view path, std::string_view root) {
  return path == root || (path.size() > root.size() && path.substr(0, root.size()) == root &&
                          path[root.size()] == '/');
}

}  // namespace

store::Actor actor_of(const Principal& who) {
  store::Role role = store::Role::kAgent;
  if (who.role == Role::kSupervisor) role = store::Role::kSupervisor;
  if (who.role == Role::kAdmin) role = store::Role::kAdmin;
  return store::Actor{who.agent_id.empty() ? std::string(role_name(who.role)) : who.agent_id,
                      role};
}

bool is_store_route(std::string_view path) {
  return under(path, kCustomers) || under(path, kTickets);
}

HttpResponse store_route(OpsStore* store, const Principal& who, const HttpRequest& request) {
  const std::string_view path = request.path;
  const bool customers_route = under(path, kCustomers);
  const std::string_view root = customers_route ? kCustomers : kTickets;
  const bool collection = path == root;
  std::optional<std::int64_t> id;
  if (!collection) {
    id = record_id(path.substr(root.size() + 1));
    if (!id) return error_response(404, fmt::format("no route {}", path));
  }
  if (collection && request.method != "GET" && request.method != "POST") {
    return error_response(405, "GET or POST only");
  }
  if (!collection && request.method != "GET" && request.method != "PATCH") {
    return error_response(405, "GET or PATCH only");
  }
  if (store == nullptr) {
    return error_response(503, "this server has no store: start it with --store FILE");
  }
  if (customers_route) {
    if (!collection) return customer(store->customers(), who, request, *id);
    if (request.method == "GET") return customers(store->customers(), who, request);
    return create_customer(store->customers(), who, request);
  }
  if (!collection) return ticket(store->tickets(), who, request, *id);
  if (request.method == "GET") return tickets(store->tickets(), request);
  return create_ticket(store->tickets(), who, request);
}

}  // namespace hotline::ops
