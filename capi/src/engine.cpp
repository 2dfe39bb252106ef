// The engine's C ABI: a thin layer that copies strings in, turns outboxes
// into JSON text, and makes sure no C++ exception and no bad handle ever
// reaches the host.
#include "hotline/engine.h"

#include <climits>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/routing/config_json.hpp"

using nlohmann::json;
namespace he = hotline::engine;
using hotline::capi::copy_string;
using hotline::capi::fail;
using hotline::capi::guarded;
using hotline::capi::invalid;
using hotline::capi::need;
using hotline::capi::live;
using hotline::capi::register_engine;
using hotline::capi::unregister_engine;

namespace {


// Runs an engine event on a live handle, then collects what it produced.
template <typename F>
hl_status event(hl_engine* h, hl_error** err, F&& body) {
  return guarded(err, [&]() -> hotline::Status {
    if (!live(h)) return invalid("the engine handle is NULL or destroyed");
    hotline::Status st = body(h->engine);
    h->deliver();
    return st;
  });
}


hl_status poll(hl_engine* h, char** json_out, std::deque<std::string> hl_engine::*queue) {
  if (!json_out) return HL_EINVAL;
  *json_out = nullptr;
  if (!live(h)) return HL_EINVAL;
  auto& q = h->*queue;
  if (q.empty()) return HL_ENOTFOUND;
  char* copy = copy_string(q.front());
  if (!copy) return HL_ENOMEM;
  q.pop_front();
  *json_out = copy;
  return HL_OK;
}

}  // namespace

extern "C" {


hl_status hl_engine_create(hl_engine** out, const char* config_json, int64_t now_ms,
                           hl_error** err) {
  if (out) *out = nullptr;
  return guarded(err, [&]() -> hotline::Status {
    if (!out) return invalid("out is NULL");
    if (auto st = need(config_json, "config_json"); !st) return st;
    json config = json::parse(config_json, nullptr, false);
    if (config.is_discarded()) return invalid("config_json: not valid JSON");
    auto h = std::make_unique<hl_engine>(he::EngineOptions{});
    if (auto st = h->engine.load_config(config, now_ms); !st) return st;
    h->deliver();
    register_engine(h.get());
    *out = h.release();
    return {};
  });
}

void hl_engine_destroy(hl_engine* engine) {
  // From inside one of its own callbacks the engine is still in use: the
  // call is refused (and reported) rather than pulling the floor away.
  if (!live(engine)) return;  // NULL or not ours: nothing to do
  if (engine->dispatching > 0) {
    engine->report_host_error("hl_engine_destroy", "", HL_ESTATE,
                              "called from inside a callback; ignored");
    return;
  }
  unregister_engine(engine);
  delete engine;
}

hl_status hl_engine_agent_login(hl_engine* h, const char* agent, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent, "agent_id"); !st) return st;
    return e.agent_login(agent, now);
  });
}

hl_status hl_engine_agent_logout(hl_engine* h, const char* agent, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent, "agent_id"); !st) return st;
    return e.agent_logout(agent, now);
  });
}

hl_status hl_engine_agent_ready(hl_engine* h, const char* agent, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent, "agent_id"); !st) return st;
    return e.agent_ready(agent, now);
  });
}

hl_status hl_engine_agent_not_ready(hl_engine* h, const char* agent, const char* reason,
                                    int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent, "agent_id"); !st) return st;
    return e.agent_not_ready(agent, reason ? reason : "", now);
  });
}

hl_status hl_engine_call_arrived(hl_engine* h, const hl_call_info* call, int64_t now,
                                 hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (!call) return invalid("call is NULL");
    if (call->size < sizeof(hl_call_info)) return invalid("call->size is too small");
    if (auto st = need(call->call_id, "call->call_id"); !st) return st;
    he::CallInfo info;
    info.call_id = call->call_id;
    if (call->caller) info.caller = call->caller;
    if (call->dialled) info.dialled = call->dialled;
    if (call->flow_id) info.flow_id = call->flow_id;
    if (call->queue_id) info.queue_id = call->queue_id;
    if (call->customer_json) {
      json customer = json::parse(call->customer_json, nullptr, false);
      if (customer.is_discarded()) return invalid("call->customer_json: not valid JSON");
      auto attrs = hotline::expr::Attributes::from_json(customer, "call->customer_json");
      if (!attrs) return std::move(attrs).error();
      info.attributes = std::move(attrs).value();
    }
    return e.call_arrived(std::move(info), now);
  });
}

hl_status hl_engine_digit(hl_engine* h, const char* call, char digit, int64_t now,
                          hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    return e.digit(call, digit, now);
  });
}

hl_status hl_engine_prompt_done(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    return e.prompt_done(call, now);
  });
}

hl_status hl_engine_recording_done(hl_engine* h, const char* call, const char* recording,
                                   int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    if (auto st = need(recording, "recording"); !st) return st;
    return e.recording_done(call, recording, now);
  });
}

hl_status hl_engine_host_result(hl_engine* h, uint64_t request_id, int ok,
                                const char* result_json, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    json result;
    if (result_json) {
      result = json::parse(result_json, nullptr, false);
      if (result.is_discarded()) return invalid("result_json: not valid JSON");
    }
    return e.host_result(request_id, ok != 0, result, now);
  });
}

hl_status hl_engine_call_hung_up(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    return e.call_hung_up(call, now);
  });
}

hl_status hl_engine_agent_answered(hl_engine* h, uint64_t reservation, int64_t now,
                                   hl_error** err) {
  return event(h, err, [&](he::Engine& e) { return e.agent_answered(reservation, now); });
}

hl_status hl_engine_agent_rejected(hl_engine* h, uint64_t reservation, int64_t now,
                                   hl_error** err) {
  return event(h, err, [&](he::Engine& e) { return e.agent_rejected(reservation, now); });
}

hl_status hl_engine_agent_no_answer(hl_engine* h, uint64_t reservation, int64_t now,
                                    hl_error** err) {
  return event(h, err, [&](he::Engine& e) { return e.agent_no_answer(reservation, now); });
}

hl_status hl_engine_agent_hung_up(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    return e.agent_hung_up(call, now);
  });
}

hl_status hl_engine_set_queue(hl_engine* h, const char* queue_json, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(queue_json, "queue_json"); !st) return st;
    json j = json::parse(queue_json, nullptr, false);
    if (j.is_discarded()) return invalid("queue_json: not valid JSON");
    auto q = hotline::routing::queue_from_json(j);
    if (!q) return std::move(q).error();
    if (e.router().find_queue(q->id)) return e.update_queue(std::move(*q));
    return e.add_queue(std::move(*q));
  });
}

hl_status hl_engine_remove_queue(hl_engine* h, const char* queue_id, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(queue_id, "queue_id"); !st) return st;
    return e.remove_queue(queue_id);
  });
}

hl_status hl_engine_set_agent(hl_engine* h, const char* agent_json, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent_json, "agent_json"); !st) return st;
    json j = json::parse(agent_json, nullptr, false);
    if (j.is_discarded()) return invalid("agent_json: not valid JSON");
    auto a = hotline::routing::agent_from_json(j);
    if (!a) return std::move(a).error();
    if (e.router().find_agent(a->id)) return e.update_agent(std::move(*a), now);
    return e.add_agent(std::move(*a));
  });
}

hl_status hl_engine_remove_agent(hl_engine* h, const char* agent_id, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(agent_id, "agent_id"); !st) return st;
    return e.remove_agent(agent_id);
  });
}

hl_status hl_engine_load_flow(hl_engine* h, const char* flow_json, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(flow_json, "flow_json"); !st) return st;
    json j = json::parse(flow_json, nullptr, false);
    if (j.is_discarded()) return invalid("flow_json: not valid JSON");
    return e.load_flow(j);
  });
}

hl_status hl_engine_transfer(hl_engine* h, const char* call, const char* queue, int64_t now,
                             hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    if (auto st = need(queue, "queue_id"); !st) return st;
    return e.transfer_to_queue(call, queue, now);
  });
}

hl_status hl_engine_wrap_up_done(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    if (auto st = need(call, "call_id"); !st) return st;
    return e.wrap_up_done(call, now);
  });
}

hl_status hl_engine_next_deadline(const hl_engine* h, int64_t* out) {
  if (!out || !live(h)) return HL_EINVAL;
  *out = h->engine.next_deadline();
  return HL_OK;
}

hl_status hl_engine_advance(hl_engine* h, int64_t now, hl_error** err) {
  return event(h, err, [&](he::Engine& e) -> hotline::Status {
    e.advance(now);
    return {};
  });
}

hl_status hl_engine_poll_command(hl_engine* h, char** json_out) {
  return poll(h, json_out, &hl_engine::commands);
}

hl_status hl_engine_poll_notification(hl_engine* h, char** json_out) {
  return poll(h, json_out, &hl_engine::notifications);
}

}  // extern "C"
