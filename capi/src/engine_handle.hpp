// The hl_engine handle: the engine, where its outputs go (the host's
// telephony vtable and listener, or queues the host polls), the KPIs behind
// hl_engine_stats, and the libuv runtime when one is attached.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "hotline/engine.h"
#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/runtime.h"
#include "hotline/runtime/runtime.hpp"
#include "hotline/sys/telephony.h"
#include "host_release.hpp"

struct uv_loop_s;

namespace hotline::capi {

nlohmann::json command_json(const engine::Command& c);
nlohmann::json notification_json(const engine::Notification& n);
// JSON text for the host: never throws on text that is not UTF-8 (such
// bytes become U+FFFD), so one bad value cannot stop a batch of outputs.
std::string json_text(const nlohmann::json& j);

}  // namespace hotline::capi

struct hl_engine : hotline::runtime::Outputs {
  explicit hl_engine(hotline::engine::EngineOptions o) : engine(o) {}
  ~hl_engine() override;

  hotline::engine::Engine engine;
  std::deque<hotline::engine::Command> commands;  // polled when no telephony vtable takes them
  std::deque<std::string> notifications;          // polled when no listener takes them
  // Notifications raised while a callback runs (a refusal, a host error):
  // delivered after it returns, like everything else that callback causes.
  std::deque<std::string> deferred_notifications;
  hl_telephony telephony{};
  bool has_telephony = false;
  // The installed telephony's destroy, and those of tables replaced from
  // inside a callback, which wait until their callback is off the stack.
  hotline::capi::HostRelease telephony_release;
  std::vector<hotline::capi::HostRelease> telephony_released_in_callback;
  hl_listener listener = nullptr;
  void* listener_user = nullptr;
  hotline::metrics::KpiCollector kpi;
  hotline::engine::KpiFeed kpi_feed{kpi};
  // The latest time the statistics have heard of. They account agents' time
  // interval by interval up to the time asked for, so a time far past it
  // would mean unbounded work (hl_engine_stats refuses it).
  hotline::TimeMs kpi_time = 0;

  std::unique_ptr<hotline::runtime::Runtime> runtime;
  uv_loop_s* own_loop = nullptr;  // the loop hl_engine_run made
  // Other threads post through here: events wait in `pending_posts` until
  // a loop is attached or running. Guards `runtime` against those threads.
  std::mutex post_mutex;
  std::vector<hotline::runtime::Runtime::Event> pending_posts;
  void start_runtime(uv_loop_s* loop);
  void post(hotline::runtime::Runtime::Event event);
  bool stop();
  int dispatching = 0;            // > 0 while a host callback runs
  bool destroy_refused = false;   // a refusal is already reported for this callback round
  std::shared_ptr<hotline::store::TicketService> tickets;  // hl_engine_use_store

  // Hands the engine's outputs on: through the runtime (which also re-arms
  // its timer) or straight to command()/notification(). Calls made by the
  // host from inside a callback leave their outputs for the outer round.
  void deliver();
  void command(const hotline::engine::Command& c) override;
  void notification(const hotline::engine::Notification& n) override;
  void report_host_error(const char* what, const std::string& call_id, int status,
                         const std::string& message);
  void detach();
  // The engine's own clock: the time of its latest event or advance, never
  // the wall clock for an engine stepped by hand.
  hotline::TimeMs now() const;

 private:
  void emit_notification(const nlohmann::json& j);
  void drain_deferred_notifications();
  int call_telephony(const hotline::engine::Command& c, bool& handled);
};

namespace hotline::capi {

// Handles (handles.hpp): the engine behind a live handle, or nullptr for
// NULL, a destroyed handle or a pointer the library never made.
hl_engine* resolve(const hl_engine* handle);
// A handle for a new engine (owned by the registry until released); nullptr
// when no handle can be made.
hl_engine* register_engine(std::unique_ptr<hl_engine> engine);
// Forgets the handle; the engine is the caller's to delete.
std::unique_ptr<hl_engine> unregister_engine(const hl_engine* handle);

}  // namespace hotline::capi
