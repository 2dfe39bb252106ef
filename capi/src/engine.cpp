// The engine's C ABI: a thin layer that copies strings in, turns outboxes
// into JSON text, and makes sure no C++ exception and no bad handle ever
// reaches the host. Every event function is a typed event read through the
// one event table (engine_event.cpp).
#include "hotline/engine.h"

#include <climits>
#include <cstring>
#include <deque>
#include <new>
#include <nlohmann/json.hpp>
#include <string>

#include "boundary.hpp"
#include "engine_event.hpp"
#include "engine_handle.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/routing/config_json.hpp"
#include "hotline/util/json_input.hpp"
#include "hotline/util/utf8.hpp"

using nlohmann::json;
namespace he = hotline::engine;
using hotline::capi::copy_string;
using hotline::capi::fail;
using hotline::capi::guarded;
using hotline::capi::invalid;
using hotline::capi::need;
using hotline::capi::register_engine;
using hotline::capi::resolve;
using hotline::capi::unregister_engine;

namespace {

// Runs a configuration change on a live handle, then collects what it produced.
template <typename F>
hl_status change(hl_engine* handle, hl_error** err, F&& body) {
  return guarded(err, [&]() -> hotline::Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    hotline::Status st = body(h->engine);
    h->deliver();
    return st;
  });
}

hl_status apply(hl_engine* handle, const hl_event& event, int64_t now, hl_error** err) {
  return hotline::capi::apply_event(handle, &event, now, err);
}

hl_event event_of(hl_event_kind kind) {
  hl_event e = HL_EVENT_INIT;
  e.kind = kind;
  return e;
}

hl_event call_event(hl_event_kind kind, const char* call_id) {
  hl_event e = event_of(kind);
  e.call_id = call_id;
  return e;
}

hl_event agent_event(hl_event_kind kind, const char* agent_id) {
  hl_event e = event_of(kind);
  e.agent_id = agent_id;
  return e;
}

hl_event reservation_event(hl_event_kind kind, uint64_t reservation) {
  hl_event e = event_of(kind);
  e.reservation = reservation;
  return e;
}

}  // namespace

extern "C" {


hl_status hl_engine_create(hl_engine** out, const char* config_json, int64_t now_ms,
                           hl_error** err) {
  if (out) *out = nullptr;
  return guarded(err, [&]() -> hotline::Status {
    if (!out) return invalid("out is NULL");
    if (auto st = need(config_json, "config_json"); !st) return st;
    // Read in one pass: a large configuration's agents never become a document.
    hotline::routing::PreparsedAgents agents;
    auto config = hotline::routing::read_config_text(config_json, agents);
    // The reader says where: the line and column, or the section nested too deep.
    if (!config) return invalid("config_json: " + config.error().message);
    auto h = std::make_unique<hl_engine>(he::EngineOptions{});
    h->driver.note_time(now_ms);
    if (auto st = h->engine.load_config(*config, agents, now_ms); !st) return st;
    h->deliver();
    hl_engine* handle = register_engine(std::move(h));
    if (!handle) return hotline::make_error(hotline::Errc::kNoMemory, "no engine handle left");
    *out = handle;
    return {};
  });
}

void hl_engine_destroy(hl_engine* handle) {
  hl_engine* h = resolve(handle);
  if (!h) return;  // NULL, destroyed or not ours: nothing to do
  // From inside one of its own callbacks the engine is still in use: the
  // call is refused, and reported once per callback (after it returns).
  if (h->driver.in_callback()) {
    if (h->destroy_refused_round != h->driver.callback_round()) {
      h->destroy_refused_round = h->driver.callback_round();
      h->report_host_error("hl_engine_destroy", "", HL_ESTATE,
                           "called from inside a callback; ignored");
    }
    return;
  }
  unregister_engine(handle).reset();
}

hl_status hl_engine_agent_login(hl_engine* h, const char* agent, int64_t now, hl_error** err) {
  return apply(h, agent_event(HL_EVENT_AGENT_LOGIN, agent), now, err);
}

hl_status hl_engine_agent_logout(hl_engine* h, const char* agent, int64_t now, hl_error** err) {
  return apply(h, agent_event(HL_EVENT_AGENT_LOGOUT, agent), now, err);
}

hl_status hl_engine_agent_ready(hl_engine* h, const char* agent, int64_t now, hl_error** err) {
  return apply(h, agent_event(HL_EVENT_AGENT_READY, agent), now, err);
}

hl_status hl_engine_agent_not_ready(hl_engine* h, const char* agent, const char* reason,
                                    int64_t now, hl_error** err) {
  hl_event e = agent_event(HL_EVENT_AGENT_NOT_READY, agent);
  e.reason = reason;
  return apply(h, e, now, err);
}

hl_status hl_engine_call_arrived(hl_engine* h, const hl_call_info* call, int64_t now,
                                 hl_error** err) {
  if (!call) return fail(err, HL_EINVAL, "call is NULL");
  if (call->size < sizeof(hl_call_info)) return fail(err, HL_EINVAL, "call->size is too small");
  hl_contact contact = HL_CONTACT_INIT;
  contact.id = call->call_id;
  contact.caller = call->caller;
  contact.dialled = call->dialled;
  contact.flow_id = call->flow_id;
  contact.queue_id = call->queue_id;
  contact.customer_json = call->customer_json;
  hl_event e = event_of(HL_EVENT_CALL_ARRIVED);
  e.contact = &contact;
  return apply(h, e, now, err);
}

hl_status hl_engine_digit(hl_engine* h, const char* call, char digit, int64_t now,
                          hl_error** err) {
  hl_event e = call_event(HL_EVENT_DIGIT, call);
  e.digit = digit;
  return apply(h, e, now, err);
}

hl_status hl_engine_prompt_done(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return apply(h, call_event(HL_EVENT_PROMPT_DONE, call), now, err);
}

hl_status hl_engine_recording_done(hl_engine* h, const char* call, const char* recording,
                                   int64_t now, hl_error** err) {
  hl_event e = call_event(HL_EVENT_RECORDING_DONE, call);
  e.recording = recording;
  return apply(h, e, now, err);
}

hl_status hl_engine_host_result(hl_engine* h, uint64_t request_id, int ok,
                                const char* result_json, int64_t now, hl_error** err) {
  hl_event e = event_of(HL_EVENT_HOST_RESULT);
  e.request_id = request_id;
  e.ok = ok;
  e.result_json = result_json;
  return apply(h, e, now, err);
}

hl_status hl_engine_call_hung_up(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return apply(h, call_event(HL_EVENT_CALL_HUNG_UP, call), now, err);
}

hl_status hl_engine_agent_answered(hl_engine* h, uint64_t reservation, int64_t now,
                                   hl_error** err) {
  return apply(h, reservation_event(HL_EVENT_AGENT_ANSWERED, reservation), now, err);
}

hl_status hl_engine_agent_rejected(hl_engine* h, uint64_t reservation, int64_t now,
                                   hl_error** err) {
  return apply(h, reservation_event(HL_EVENT_AGENT_REJECTED, reservation), now, err);
}

hl_status hl_engine_agent_no_answer(hl_engine* h, uint64_t reservation, int64_t now,
                                    hl_error** err) {
  return apply(h, reservation_event(HL_EVENT_AGENT_NO_ANSWER, reservation), now, err);
}

hl_status hl_engine_agent_hung_up(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return apply(h, call_event(HL_EVENT_AGENT_HUNG_UP, call), now, err);
}

hl_status hl_engine_set_queue(hl_engine* h, const char* queue_json, hl_error** err) {
  return change(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(queue_json, "queue_json"); !st) return st;
    auto parsed = hotline::parse_json(queue_json, "queue_json");
    if (!parsed) return std::move(parsed).error();
    const json& j = *parsed;
    auto q = hotline::routing::queue_from_json(j);
    if (!q) return std::move(q).error();
    if (e.router().find_queue(q->id)) return e.update_queue(std::move(*q));
    return e.add_queue(std::move(*q));
  });
}

hl_status hl_engine_remove_queue(hl_engine* h, const char* queue_id, hl_error** err) {
  return change(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(queue_id, "queue_id"); !st) return st;
    if (auto st = hotline::require_utf8(queue_id, "queue_id"); !st) return st;
    return e.remove_queue(queue_id);
  });
}

hl_status hl_engine_set_agent(hl_engine* h, const char* agent_json, int64_t now, hl_error** err) {
  return change(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent_json, "agent_json"); !st) return st;
    auto parsed = hotline::parse_json(agent_json, "agent_json");
    if (!parsed) return std::move(parsed).error();
    const json& j = *parsed;
    auto a = hotline::routing::agent_from_json(j);
    if (!a) return std::move(a).error();
    if (e.router().find_agent(a->id)) return e.update_agent(std::move(*a), now);
    return e.add_agent(std::move(*a));
  });
}

hl_status hl_engine_remove_agent(hl_engine* h, const char* agent_id, hl_error** err) {
  return change(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent_id, "agent_id"); !st) return st;
    if (auto st = hotline::require_utf8(agent_id, "agent_id"); !st) return st;
    return e.remove_agent(agent_id);
  });
}

hl_status hl_engine_load_flow(hl_engine* h, const char* flow_json, hl_error** err) {
  return change(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(flow_json, "flow_json"); !st) return st;
    auto parsed = hotline::parse_json(flow_json, "flow_json");
    if (!parsed) return std::move(parsed).error();
    const json& j = *parsed;
    return e.load_flow(j);
  });
}

hl_status hl_engine_transfer(hl_engine* h, const char* call, const char* queue, int64_t now,
                             hl_error** err) {
  hl_event e = call_event(HL_EVENT_TRANSFER, call);
  e.queue_id = queue;
  return apply(h, e, now, err);
}

hl_status hl_engine_wrap_up_done(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return apply(h, call_event(HL_EVENT_WRAP_UP_DONE, call), now, err);
}

hl_status hl_engine_next_deadline(const hl_engine* handle, int64_t* out) {
  const hl_engine* h = resolve(handle);
  if (!out || !h) return HL_EINVAL;
  *out = h->engine.next_deadline();
  return HL_OK;
}

hl_status hl_engine_advance(hl_engine* h, int64_t now, hl_error** err) {
  return change(h, err, [&](he::Engine& e) -> hotline::Status {
    e.advance(now);
    return {};
  });
}

hl_status hl_engine_poll_command(hl_engine* handle, char** json_out) {
  if (!json_out) return HL_EINVAL;
  *json_out = nullptr;
  hl_engine* h = resolve(handle);
  if (!h) return HL_EINVAL;
  auto& waiting = h->driver.waiting_commands();
  if (waiting.empty()) return HL_ENOTFOUND;
  try {
    const json j = hotline::capi::command_json(waiting.front());
    char* copy = copy_string(hotline::capi::json_text(j));
    if (!copy) return HL_ENOMEM;
    waiting.pop_front();
    *json_out = copy;
    return HL_OK;
  } catch (const std::bad_alloc&) {
    return HL_ENOMEM;
  } catch (...) {
    return HL_EINTERNAL;
  }
}

hl_status hl_engine_poll_notification(hl_engine* handle, char** json_out) {
  if (!json_out) return HL_EINVAL;
  *json_out = nullptr;
  hl_engine* h = resolve(handle);
  if (!h) return HL_EINVAL;
  auto& queued = h->listener.queued;
  if (queued.empty()) return HL_ENOTFOUND;
  char* copy = copy_string(queued.front());
  if (!copy) return HL_ENOMEM;
  queued.pop_front();
  *json_out = copy;
  return HL_OK;
}

}  // extern "C"
