// The store handle and the shapes of its C functions, shared by the ticket
// and customer functions (store.cpp) and the knowledge base (knowledge.cpp):
// every call resolves a live handle, checks `out`, reads its actor, and
// hands back JSON.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "boundary.hpp"
#include "handles.hpp"
#include "hotline/store.h"
#include "hotline/store/customer_service.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/store/knowledge_service.hpp"
#include "hotline/store/ticket_service.hpp"
#include "hotline/util/json_input.hpp"

struct hl_store {
  std::unique_ptr<hotline::store::KeyValueStore> host;  // the host's storage, when it gave one
  std::unique_ptr<hotline::store::Storage> storage;
  std::unique_ptr<hotline::store::TicketService> tickets;
  std::unique_ptr<hotline::store::CustomerService> customers;
  std::unique_ptr<hotline::store::KnowledgeService> knowledge;
  hotline::TimeMs fixed_now = 0;  // 0: the system clock

  hotline::TimeMs now() const {
    if (fixed_now != 0) return fixed_now;
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

namespace hotline::capi::store_calls {

using hotline::capi::HandleType;
using hotline::store::Actor;
using hotline::store::Role;
using nlohmann::json;

// The store behind a live handle, or nullptr (NULL, closed, another type's
// handle, or a pointer the library never made).
inline hl_store* resolve(const hl_store* handle) {
  return static_cast<hl_store*>(hotline::capi::handle_find(HandleType::kStore, handle));
}

// Bounded depth, and the line and column of a syntax error.
inline Result<json> parse(const char* text, const char* what) {
  if (!text) return invalid(std::string(what) + " is NULL");
  return hotline::parse_json(text, what);
}

inline Result<Actor> actor_of(const hl_actor* a) {
  if (!a || !a->id) return invalid("actor (and its id) is NULL");
  if (a->role < HL_ROLE_AGENT || a->role > HL_ROLE_ADMIN) return invalid("actor role is unknown");
  return Actor{a->id, static_cast<Role>(a->role)};
}

inline Status emit(char** out, const json& j) {
  // Everything the store keeps is checked UTF-8 on the way in; should a
  // host's own storage hand back bytes that are not, the reader still gets
  // the record, with U+FFFD in their place, instead of an error.
  *out = copy_string(j.dump(-1, ' ', false, json::error_handler_t::replace));
  if (!*out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
  return {};
}

// Runs `body(store, out)` on a live store with `out` checked and cleared.
template <typename F>
hl_status call(hl_store* handle, char** out, hl_error** err, F&& body) {
  return guarded(err, [&]() -> Status {
    if (out) *out = nullptr;
    hl_store* s = resolve(handle);
    if (!s) return invalid("the store handle is NULL or closed");
    if (!out) return invalid("out is NULL");
    return body(*s);
  });
}

// The same with an actor.
template <typename F>
hl_status act(hl_store* s, const hl_actor* a, char** out, hl_error** err, F&& body) {
  return call(s, out, err, [&](hl_store& store) -> Status {
    auto actor = actor_of(a);
    if (!actor) return std::move(actor).error();
    return body(store, *actor);
  });
}

// Emits a Result<T> as JSON, or passes its error on.
template <typename T>
Status emit_result(char** out, Result<T> r) {
  if (!r) return std::move(r).error();
  return emit(out, to_json(*r));
}

template <typename T>
Status emit_list(char** out, Result<std::vector<T>> r) {
  if (!r) return std::move(r).error();
  json list = json::array();
  for (const auto& item : *r) list.push_back(to_json(item));
  return emit(out, list);
}

}  // namespace hotline::capi::store_calls
