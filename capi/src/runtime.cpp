// Loops, posting from other threads, the engine's own ticket store, and the
// statistics snapshot.
#include <uv.h>

#include <algorithm>
#include <iterator>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "engine_tickets.hpp"
#include "hotline/store/json.hpp"

using nlohmann::json;
namespace he = hotline::engine;
using hotline::Status;
using hotline::capi::guarded;
using hotline::capi::invalid;
using hotline::capi::live;

namespace {

// An event from its JSON form, applied on the loop thread.
Status apply_event(he::Engine& e, const json& j, hotline::TimeMs now) {
  const std::string name = j.value("event", "");
  auto text = [&](const char* key) { return j.value(key, std::string()); };
  auto number = [&](const char* key) -> std::uint64_t {
    auto it = j.find(key);
    return it != j.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
  };
  if (name == "call_arrived") {
    he::CallInfo info;
    info.call_id = text("call_id");
    info.caller = text("caller");
    info.dialled = text("dialled");
    info.flow_id = text("flow_id");
    info.queue_id = text("queue_id");
    if (auto it = j.find("customer"); it != j.end() && it->is_object()) {
      auto attrs = hotline::expr::Attributes::from_json(*it, "$.customer");
      if (!attrs) return std::move(attrs).error();
      info.attributes = std::move(*attrs);
    }
    return e.call_arrived(std::move(info), now);
  }
  if (name == "digit") {
    const std::string d = text("digit");
    if (d.size() != 1) return invalid("$.digit: expected one key");
    return e.digit(text("call_id"), d[0], now);
  }
  if (name == "prompt_done") return e.prompt_done(text("call_id"), now);
  if (name == "recording_done") return e.recording_done(text("call_id"), text("recording"), now);
  if (name == "host_result") {
    return e.host_result(number("request_id"), j.value("ok", false), j.value("result", json()), now);
  }
  if (name == "call_hung_up") return e.call_hung_up(text("call_id"), now);
  if (name == "agent_answered") return e.agent_answered(number("reservation"), now);
  if (name == "agent_rejected") return e.agent_rejected(number("reservation"), now);
  if (name == "agent_no_answer") return e.agent_no_answer(number("reservation"), now);
  if (name == "agent_hung_up") return e.agent_hung_up(text("call_id"), now);
  if (name == "wrap_up_done") return e.wrap_up_done(text("call_id"), now);
  if (name == "transfer") return e.transfer_to_queue(text("call_id"), text("queue_id"), now);
  if (name == "agent_login") return e.agent_login(text("agent_id"), now);
  if (name == "agent_logout") return e.agent_logout(text("agent_id"), now);
  if (name == "agent_ready") return e.agent_ready(text("agent_id"), now);
  if (name == "agent_not_ready") return e.agent_not_ready(text("agent_id"), text("reason"), now);
  return invalid("$.event: unknown event '" + name + "'");
}

}  // namespace

void hl_engine::detach() {
  std::unique_ptr<hotline::runtime::Runtime> closing;
  {
    std::lock_guard<std::mutex> lock(post_mutex);
    closing = std::move(runtime);
  }
  closing.reset();  // closes the handles; the loop finishes closing them
}

void hl_engine::start_runtime(uv_loop_s* loop) {
  auto r = std::make_unique<hotline::runtime::Runtime>(engine, loop, *this);
  r->on_error([this](const hotline::Error& e) {
    report_host_error("post", "", -static_cast<int>(e.code), e.message);
  });
  if (tickets) r->use_tickets(tickets);
  {
    std::lock_guard<std::mutex> lock(post_mutex);
    for (auto& e : pending_posts) r->post(std::move(e));
    pending_posts.clear();
    runtime = std::move(r);
  }
  runtime->flush();  // what the engine produced before the loop existed
}

void hl_engine::post(hotline::runtime::Runtime::Event event) {
  std::lock_guard<std::mutex> lock(post_mutex);
  if (runtime) {
    runtime->post(std::move(event));
  } else {
    pending_posts.push_back(std::move(event));
  }
}

bool hl_engine::stop() {
  std::lock_guard<std::mutex> lock(post_mutex);
  if (!runtime) return false;
  runtime->stop();
  return true;
}

extern "C" {

hl_status hl_engine_attach(hl_engine* h, struct uv_loop_s* loop, hl_error** err) {
  return guarded(err, [&]() -> Status {
    if (!live(h)) return invalid("the engine handle is NULL or destroyed");
    if (!loop) return invalid("loop is NULL");
    if (h->runtime) {
      return hotline::make_error(hotline::Errc::kIllegalState, "the engine is already attached");
    }
    h->start_runtime(loop);
    return {};
  });
}

hl_status hl_engine_detach(hl_engine* h) {
  if (!live(h)) return HL_EINVAL;
  if (h->dispatching > 0) return HL_ESTATE;
  h->detach();
  return HL_OK;
}

hl_status hl_engine_run(hl_engine* h, hl_error** err) {
  return guarded(err, [&]() -> Status {
    if (!live(h)) return invalid("the engine handle is NULL or destroyed");
    if (h->runtime) {
      return hotline::make_error(hotline::Errc::kIllegalState,
                                 "the engine is attached to a loop; run that loop");
    }
    auto* loop = new uv_loop_t;
    if (uv_loop_init(loop) != 0) {
      delete loop;
      return hotline::make_error(hotline::Errc::kIo, "could not create a libuv loop");
    }
    h->own_loop = loop;
    h->start_runtime(loop);
    uv_run(loop, UV_RUN_DEFAULT);  // until hl_engine_stop
    h->detach();
    uv_run(loop, UV_RUN_DEFAULT);  // lets libuv finish closing the handles
    uv_loop_close(loop);
    delete loop;
    h->own_loop = nullptr;
    return {};
  });
}

hl_status hl_engine_stop(hl_engine* h) {
  if (!live(h)) return HL_EINVAL;
  return h->stop() ? HL_OK : HL_ESTATE;
}

hl_status hl_engine_post(hl_engine* h, const char* event_json, hl_error** err) {
  return guarded(err, [&]() -> Status {
    if (!live(h)) return invalid("the engine handle is NULL or destroyed");
    if (!event_json) return invalid("event_json is NULL");
    json j = json::parse(event_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return invalid("event_json: not a JSON object");
    static const char* const kEvents[] = {
        "call_arrived",   "digit",           "prompt_done",   "recording_done", "host_result",
        "call_hung_up",   "agent_answered",  "agent_rejected", "agent_no_answer",
        "agent_hung_up",  "wrap_up_done",    "agent_login",   "agent_logout",   "agent_ready",
        "agent_not_ready", "transfer"};
    auto name = j.find("event");
    if (name == j.end() || !name->is_string()) return invalid("$.event: missing");
    if (std::find(std::begin(kEvents), std::end(kEvents), name->get<std::string>()) ==
        std::end(kEvents)) {
      return invalid("$.event: unknown event '" + name->get<std::string>() + "'");
    }
    h->post([j = std::move(j)](he::Engine& e, hotline::TimeMs now) {
      return apply_event(e, j, now);
    });
    return {};
  });
}

int64_t hl_engine_now(void) { return hotline::runtime::system_clock_ms(); }

hl_status hl_engine_use_store(hl_engine* h, const char* store_config_json, hl_error** err) {
  return guarded(err, [&]() -> Status {
    if (!live(h)) return invalid("the engine handle is NULL or destroyed");
    if (!store_config_json) return invalid("store_config_json is NULL");
    json j = json::parse(store_config_json, nullptr, false);
    if (j.is_discarded()) return invalid("store_config_json: not valid JSON");
    auto config = hotline::store::store_config_from_json(j);
    if (!config) return std::move(config).error();
    std::unique_ptr<hotline::store::Storage> storage;
    if (config->sqlite) {
      auto s = hotline::store::open_sqlite_storage(config->sqlite_options);
      if (!s) return std::move(s).error();
      storage = std::move(*s);
    } else {
      storage = hotline::store::open_memory_storage();
    }
    hotline::capi::use_ticket_service(
        *h, hotline::capi::make_ticket_service(std::move(storage), std::move(*config)));
    return {};
  });
}

hl_status hl_engine_stats(hl_engine* h, int64_t now_ms, char** json_out, hl_error** err) {
  if (json_out) *json_out = nullptr;
  return guarded(err, [&]() -> Status {
    if (!live(h)) return invalid("the engine handle is NULL or destroyed");
    if (!json_out) return invalid("json_out is NULL");
    namespace m = hotline::metrics;
    h->kpi.flush(now_ms);
    const auto& router = h->engine.router();
    json queues = json::object();
    for (const auto& id : router.queue_ids()) {
      auto snap = router.queue_snapshot(id, now_ms);
      if (!snap) continue;
      const m::QueueCounts c = h->kpi.queue_total(id);
      queues[id] = {{"waiting", snap->waiting},
                    {"longest_wait_ms", snap->longest_wait_ms},
                    {"agents_logged_in", snap->agents_logged_in},
                    {"agents_available", snap->agents_available},
                    {"agents_busy", snap->agents_busy},
                    {"offered", c.offered},
                    {"answered", c.answered},
                    {"abandoned", c.abandoned},
                    {"service_level", m::service_level(c, h->kpi.options().formula)},
                    {"asa_ms", m::average_speed_of_answer_ms(c)},
                    {"aht_ms", m::average_handle_time_ms(c)}};
    }
    json agents = json::object();
    for (const auto& id : router.agent_ids()) {
      auto snap = router.agent_snapshot(id);
      if (!snap) continue;
      const m::AgentCounts c = h->kpi.agent_total(id);
      agents[id] = {{"state", hotline::routing::agent_state_name(snap->state)},
                    {"since", snap->state_since},
                    {"handled", c.handled},
                    {"occupancy", m::occupancy(c)}};
    }
    json out{{"time", now_ms},
             {"live_calls", h->engine.live_calls()},
             {"queues", std::move(queues)},
             {"agents", std::move(agents)}};
    *json_out = hotline::capi::copy_string(out.dump());
    if (!*json_out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
    return {};
  });
}

}  // extern "C"
