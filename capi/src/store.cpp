// The store's C ABI: JSON in, JSON out, over TicketService and
// CustomerService, behind the same exception guard as the engine.
#include "hotline/store.h"

#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "boundary.hpp"
#include "handles.hpp"
#include "host_storage.hpp"
#include "store_handle.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/store/json.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/sys/storage.h"
#include "hotline/util/json_input.hpp"

using nlohmann::json;
using namespace hotline::store;
using hotline::Result;
using hotline::Status;
using hotline::capi::copy_string;
using hotline::capi::guarded;
using hotline::capi::invalid;
using hotline::capi::need;
using namespace hotline::capi::store_calls;

namespace {

// Services over the storage, registration, hand-over of the handle.
Status finish_open(std::unique_ptr<hl_store> store, StoreConfig config, hl_store** out) {
  hl_store* raw = store.get();
  config.tickets.clock = [raw] { return raw->now(); };
  store->tickets = std::make_unique<TicketService>(*store->storage, config.tickets);
  CustomerService::Options co;
  co.default_region = config.default_region;
  co.clock = [raw] { return raw->now(); };
  auto customers = CustomerService::make(*store->storage, co);
  if (!customers) return std::move(customers).error();
  store->customers = std::make_unique<CustomerService>(std::move(*customers));
  KnowledgeService::Options ko;
  ko.clock = [raw] { return raw->now(); };
  store->knowledge = std::make_unique<KnowledgeService>(*store->storage, ko);
  void* handle = hotline::capi::handle_add(HandleType::kStore, raw);
  if (!handle) return hotline::make_error(hotline::Errc::kNoMemory, "no store handle is left");
  store.release();  // the registry holds it until hl_store_close
  *out = static_cast<hl_store*>(handle);
  return {};
}

}  // namespace

extern "C" {

hl_status hl_store_open_host(hl_store** out, const hl_storage* vtable, const char* config_json,
                             hl_error** err) {
  return guarded(err, [&]() -> Status {
    if (!out) return invalid("out is NULL");
    *out = nullptr;
    auto table = hotline::capi::accept_host_storage(vtable);
    if (!table) return std::move(table).error();
    auto config = hotline::capi::host_store_config(config_json);
    if (!config) return std::move(config).error();
    auto store = std::make_unique<hl_store>();
    auto host = std::make_unique<hotline::capi::HostStorage>(*table);
    hotline::capi::HostStorage& adapter = *host;
    store->host = std::move(host);
    store->storage = open_key_value_storage(*store->host);
    if (auto st = finish_open(std::move(store), std::move(*config), out); !st) return st;
    adapter.take_ownership();  // the store is the host's table's owner now
    return {};
  });
}

hl_status hl_store_open(hl_store** out, const char* config_json, hl_error** err) {
  return guarded(err, [&]() -> Status {
    if (!out) return invalid("out is NULL");
    *out = nullptr;
    auto j = parse(config_json, "config_json");
    if (!j) return std::move(j).error();
    auto config = store_config_from_json(*j);
    if (!config) return std::move(config).error();
    auto store = std::make_unique<hl_store>();
    auto storage = hotline::runtime::open_storage(*config);
    if (!storage) return std::move(storage).error();
    store->storage = std::move(*storage);
    return finish_open(std::move(store), std::move(*config), out);
  });
}

void hl_store_close(hl_store* handle) {
  // NULL, closed, or not ours: ignored.
  delete static_cast<hl_store*>(hotline::capi::handle_remove(HandleType::kStore, handle));
}

hl_status hl_store_set_time(hl_store* handle, int64_t now_ms) {
  hl_store* s = resolve(handle);
  // Ticket numbers carry the four-digit local year: a clock past the
  // year 9999 (or wrapped by a time zone's offset) has no number to give.
  constexpr int64_t kLastDayOfYear9999 = 253402214400000;  // 9999-12-31T00:00:00Z
  if (!s || now_ms < 0 || now_ms > kLastDayOfYear9999) return HL_EINVAL;
  s->fixed_now = now_ms;
  return HL_OK;
}

hl_status hl_ticket_create(hl_store* s, const hl_actor* a, const char* ticket_json, char** out,
                           hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto j = parse(ticket_json, "ticket_json");
    if (!j) return std::move(j).error();
    auto n = new_ticket_from_json(*j);
    if (!n) return std::move(n).error();
    return emit_result(out, st.tickets->create(actor, *n));
  });
}

hl_status hl_ticket_get(hl_store* s, int64_t id, char** out, hl_error** err) {
  return call(s, out, err,
              [&](hl_store& st) { return emit_result(out, st.tickets->get(id)); });
}

hl_status hl_ticket_get_by_number(hl_store* s, const char* number, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    if (auto n = need(number, "number"); !n) return n;
    return emit_result(out, st.tickets->get_by_number(number));
  });
}

hl_status hl_ticket_update(hl_store* s, const hl_actor* a, int64_t id, const char* update_json,
                           char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto j = parse(update_json, "update_json");
    if (!j) return std::move(j).error();
    auto u = ticket_update_from_json(*j);
    if (!u) return std::move(u).error();
    return emit_result(out, st.tickets->update(actor, id, *u));
  });
}

hl_status hl_ticket_set_status(hl_store* s, const hl_actor* a, int64_t id, const char* status,
                               char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    TicketStatus to;
    if (!status || !parse_status(status, to)) {
      return invalid("status: expected new, open, pending, resolved or closed");
    }
    return emit_result(out, st.tickets->set_status(actor, id, to));
  });
}

hl_status hl_ticket_assign(hl_store* s, const hl_actor* a, int64_t id, const char* agent,
                           char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(agent, "agent_id"); !n) return n;
    return emit_result(out, st.tickets->assign(actor, id, agent));
  });
}

hl_status hl_ticket_transfer(hl_store* s, const hl_actor* a, int64_t id, const char* group,
                             char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(group, "group"); !n) return n;
    return emit_result(out, st.tickets->transfer(actor, id, group));
  });
}

hl_status hl_ticket_add_note(hl_store* s, const hl_actor* a, int64_t id, const char* body,
                             int internal, char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(body, "body"); !n) return n;
    return emit_result(out, st.tickets->add_note(actor, id, body, internal != 0));
  });
}

hl_status hl_ticket_rate(hl_store* s, const hl_actor* a, int64_t id, int score, char** out,
                         hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.tickets->rate(actor, id, score));
  });
}

hl_status hl_ticket_history(hl_store* s, int64_t id, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    auto history = st.tickets->history(id);
    if (!history) return std::move(history).error();
    auto notes = st.tickets->notes(id);
    if (!notes) return std::move(notes).error();
    FollowUpQuery q;
    q.ticket = id;
    q.limit = 1000;
    auto follow_ups = st.tickets->follow_ups(q);
    if (!follow_ups) return std::move(follow_ups).error();
    json j{{"history", json::array()}, {"notes", json::array()}, {"follow_ups", json::array()}};
    for (const auto& c : *history) j["history"].push_back(to_json(c));
    for (const auto& n : *notes) j["notes"].push_back(to_json(n));
    for (const auto& f : *follow_ups) j["follow_ups"].push_back(to_json(f));
    return emit(out, j);
  });
}

hl_status hl_ticket_search(hl_store* s, const char* text, int limit, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    if (auto n = need(text, "text"); !n) return n;
    return emit_list(out, st.tickets->search_with_snippets(text, limit));
  });
}

hl_status hl_ticket_list(hl_store* s, const char* query_json, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    auto j = parse(query_json, "query_json");
    if (!j) return std::move(j).error();
    auto q = ticket_query_from_json(*j);
    if (!q) return std::move(q).error();
    return emit_result(out, st.tickets->list(*q));
  });
}

hl_status hl_ticket_sla_alerts(hl_store* s, int64_t within_ms, char** out, hl_error** err) {
  return call(s, out, err,
              [&](hl_store& st) { return emit_list(out, st.tickets->sla_alerts(within_ms)); });
}

hl_status hl_follow_up_schedule(hl_store* s, const hl_actor* a, int64_t id, const char* kind,
                                int64_t due_at, const char* assignee, char** out,
                                hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(kind, "kind"); !n) return n;
    if (auto n = need(assignee, "assignee"); !n) return n;
    FollowUpKind k;
    const std::string name = kind;
    if (name == "callback") k = FollowUpKind::kCallback;
    else if (name == "visit") k = FollowUpKind::kVisit;
    else if (name == "recovery") k = FollowUpKind::kRecovery;
    else return invalid("kind: expected callback, visit or recovery");
    return emit_result(out, st.tickets->schedule_follow_up(actor, id, k, due_at, assignee));
  });
}

hl_status hl_follow_up_complete(hl_store* s, const hl_actor* a, int64_t id, const char* outcome,
                                char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(outcome, "outcome"); !n) return n;
    return emit_result(out, st.tickets->complete_follow_up(actor, id, outcome));
  });
}

hl_status hl_follow_up_list(hl_store* s, const char* query_json, char** out, hl_error** err) {
  return call(s, out, err, [&](hl_store& st) -> Status {
    auto j = parse(query_json, "query_json");
    if (!j) return std::move(j).error();
    auto q = follow_up_query_from_json(*j);
    if (!q) return std::move(q).error();
    return emit_list(out, st.tickets->follow_ups(*q));
  });
}

hl_status hl_customer_create(hl_store* s, const hl_actor* a, const char* customer_json,
                             char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto j = parse(customer_json, "customer_json");
    if (!j) return std::move(j).error();
    auto n = new_customer_from_json(*j);
    if (!n) return std::move(n).error();
    return emit_result(out, st.customers->create(actor, *n));
  });
}

hl_status hl_customer_update(hl_store* s, const hl_actor* a, int64_t id, const char* update_json,
                             char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto j = parse(update_json, "update_json");
    if (!j) return std::move(j).error();
    auto u = customer_update_from_json(*j);
    if (!u) return std::move(u).error();
    return emit_result(out, st.customers->update(actor, id, *u));
  });
}

hl_status hl_customer_get(hl_store* s, const hl_actor* a, int64_t id, char** out,
                          hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.customers->get(actor, id));
  });
}

hl_status hl_customer_search(hl_store* s, const hl_actor* a, const char* text, int limit,
                             char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& store, const Actor& actor) -> Status {
    if (auto n = need(text, "text"); !n) return n;
    return emit_list(out, store.customers->search(actor, text, limit));
  });
}

hl_status hl_customer_lookup_ani(hl_store* s, const hl_actor* a, const char* ani, char** out,
                                 hl_error** err) {
  // No customer for the number is HL_ENOTFOUND, but not an error object:
  // for caller id it is the common, expected answer.
  bool found = false;
  const hl_status st = act(s, a, out, err, [&](hl_store& store, const Actor& actor) -> Status {
    if (auto n = need(ani, "ani"); !n) return n;
    auto hit = store.customers->lookup_by_ani(actor, ani);
    if (!hit) return std::move(hit).error();
    if (!hit->has_value()) return {};
    found = true;
    return emit(out, to_json(**hit));
  });
  return st == HL_OK && !found ? HL_ENOTFOUND : st;
}

hl_status hl_customer_view(hl_store* s, const hl_actor* a, int64_t id, char** out,
                           hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.customers->view(actor, id));
  });
}

hl_status hl_customer_record_contact(hl_store* handle, const char* contact_json,
                                     hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_store* s = resolve(handle);
    if (!s) return invalid("the store handle is NULL or closed");
    auto j = parse(contact_json, "contact_json");
    if (!j) return std::move(j).error();
    auto c = contact_from_json(*j);
    if (!c) return std::move(c).error();
    return s->customers->record_contact(*c);
  });
}

hl_status hl_customer_import_csv(hl_store* s, const hl_actor* a, const char* csv,
                                 const char* options_json, char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    if (auto n = need(csv, "csv"); !n) return n;
    ImportOptions options;
    if (options_json) {
      auto j = parse(options_json, "options_json");
      if (!j) return std::move(j).error();
      auto o = import_options_from_json(*j);
      if (!o) return std::move(o).error();
      options = std::move(*o);
    }
    return emit_result(out, st.customers->import_csv(actor, csv, options));
  });
}

hl_status hl_customer_merge(hl_store* s, const hl_actor* a, int64_t survivor, int64_t duplicate,
                            char** out, hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) {
    return emit_result(out, st.customers->merge(actor, survivor, duplicate));
  });
}

hl_status hl_customer_export(hl_store* s, const hl_actor* a, int64_t id, char** out,
                             hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    auto doc = st.customers->export_json(actor, id);
    if (!doc) return std::move(doc).error();
    *out = copy_string(*doc);
    if (!*out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
    return {};
  });
}

hl_status hl_customer_erase(hl_store* handle, const hl_actor* a, int64_t id, hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_store* s = resolve(handle);
    if (!s) return invalid("the store handle is NULL or closed");
    auto actor = actor_of(a);
    if (!actor) return std::move(actor).error();
    return s->customers->erase(*actor, id);
  });
}

hl_status hl_audit_list(hl_store* s, const hl_actor* a, const char* query_json, char** out,
                        hl_error** err) {
  return act(s, a, out, err, [&](hl_store& st, const Actor& actor) -> Status {
    AuditQuery q;
    if (query_json) {
      auto j = parse(query_json, "query_json");
      if (!j) return std::move(j).error();
      auto parsed = audit_query_from_json(*j);
      if (!parsed) return std::move(parsed).error();
      q = *parsed;
    }
    return emit_list(out, st.customers->audit(actor, q));
  });
}

}  // extern "C"
