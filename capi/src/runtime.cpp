// Loops, posting from other threads, the engine's own ticket store, and the
// statistics snapshot (assembled by the host driver).
#include <uv.h>

#include "boundary.hpp"
#include "engine_event.hpp"
#include "engine_handle.hpp"
#include "engine_tickets.hpp"
#include "hotline/engine/event.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/util/json_input.hpp"

using nlohmann::json;
namespace he = hotline::engine;
using hotline::Status;
using hotline::capi::guarded;
using hotline::capi::invalid;
using hotline::capi::resolve;

namespace {

// How far past the statistics' latest fact a snapshot may be taken.
constexpr hotline::DurationMs kMaxStatsLeadMs = 366LL * 24 * 60 * 60 * 1000;

// Queues a checked event for the loop thread, where an arriving caller is
// resolved against the attached store just before the event is applied.
void post_checked(hl_engine* h, he::Event event) {
  std::string call_id = event.call_id;
  const he::EventKindInfo* info = he::find_event_kind(event.kind);
  std::string kind = info ? info->name : "";
  h->post(
      [h, event = std::move(event)](he::Engine& e, hotline::TimeMs now) mutable {
        h->resolve_customer(event);
        return he::apply_event(e, event, now);
      },
      std::move(call_id), std::move(kind));
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
  // Events that fail on the loop reach the driver as host errors ("post").
  auto r = std::make_unique<hotline::runtime::Runtime>(engine, loop, driver);
  if (tickets) r->use_tickets(tickets, tickets_lock);
  {
    std::lock_guard<std::mutex> lock(post_mutex);
    for (PendingPost& p : pending_posts) {
      r->post(std::move(p.event), std::move(p.call_id), std::move(p.event_kind));
    }
    pending_posts.clear();
    runtime = std::move(r);
  }
  runtime->flush();  // what the engine produced before the loop existed
}

void hl_engine::post(hotline::runtime::Runtime::Event event, std::string call_id,
                     std::string event_kind) {
  std::lock_guard<std::mutex> lock(post_mutex);
  if (runtime) {
    runtime->post(std::move(event), std::move(call_id), std::move(event_kind));
  } else {
    pending_posts.push_back({std::move(event), std::move(call_id), std::move(event_kind)});
  }
}

bool hl_engine::stop() {
  std::lock_guard<std::mutex> lock(post_mutex);
  if (!runtime) return false;
  runtime->stop();
  return true;
}

extern "C" {

hl_status hl_engine_attach(hl_engine* handle, struct uv_loop_s* loop, hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    if (!loop) return invalid("loop is NULL");
    if (h->runtime) {
      return hotline::make_error(hotline::Errc::kIllegalState, "the engine is already attached");
    }
    h->start_runtime(loop);
    return {};
  });
}

hl_status hl_engine_detach(hl_engine* handle) {
  hl_engine* h = resolve(handle);
  if (!h) return HL_EINVAL;
  if (h->driver.in_callback()) return HL_ESTATE;
  h->detach();
  return HL_OK;
}

hl_status hl_engine_run(hl_engine* handle, hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
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

hl_status hl_engine_stop(hl_engine* handle) {
  hl_engine* h = resolve(handle);
  if (!h) return HL_EINVAL;
  return h->stop() ? HL_OK : HL_ESTATE;
}

hl_status hl_engine_post(hl_engine* handle, const char* event_json, hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    if (!event_json) return invalid("event_json is NULL");
    auto j = hotline::parse_json(event_json, "event_json");
    if (!j) return std::move(j).error();
    auto event = he::event_from_json(*j);
    if (!event) return std::move(event).error();
    post_checked(h, std::move(event).value());
    return {};
  });
}

hl_status hl_engine_post_event(hl_engine* handle, const hl_event* event, hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    auto e = hotline::capi::event_from_c(event);
    if (!e) return std::move(e).error();
    post_checked(h, std::move(e).value());
    return {};
  });
}

int64_t hl_engine_now(void) { return hotline::runtime::system_clock_ms(); }

hl_status hl_engine_use_store(hl_engine* handle, const char* store_config_json,
                              hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    if (!store_config_json) return invalid("store_config_json is NULL");
    auto j = hotline::parse_json(store_config_json, "store_config_json");
    if (!j) return std::move(j).error();
    auto opened = hotline::runtime::open_store(*j);
    if (!opened) return std::move(opened).error();
    if (opened->config.sqlite && opened->config.sqlite_options.exclusive) {
      // The file admits this one connection: the customer reads take turns
      // with the ticket writes on the pool, as over a host's storage.
      return hotline::capi::use_one_storage(*h, std::move(opened->storage),
                                            std::move(opened->config));
    }
    auto customers = hotline::runtime::CustomerResolver::open(opened->config);
    if (!customers) return std::move(customers).error();
    hotline::capi::use_customer_resolver(*h, std::move(*customers));
    hotline::capi::use_ticket_service(
        *h, hotline::runtime::make_ticket_service(std::move(opened->storage),
                                                  std::move(opened->config)));
    return {};
  });
}

hl_status hl_engine_stats(hl_engine* handle, int64_t now_ms, char** json_out, hl_error** err) {
  if (json_out) *json_out = nullptr;
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    if (!json_out) return invalid("json_out is NULL");
    if (now_ms == HL_TIME_ENGINE) now_ms = h->engine.now();
    if (now_ms > hotline::add_saturating(h->driver.latest_fact_time(), kMaxStatsLeadMs)) {
      return invalid("now_ms: more than a year after the engine's last activity");
    }
    const json out = h->driver.statistics(now_ms);
    *json_out = hotline::capi::copy_string(out.dump());
    if (!*json_out) return hotline::make_error(hotline::Errc::kNoMemory, "out of memory");
    return {};
  });
}

}  // extern "C"
