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

}  // namespace hotline::capi

struct hl_engine : hotline::runtime::Outputs {
  explicit hl_engine(hotline::engine::EngineOptions o) : engine(o) {}
  ~hl_engine() override;

  hotline::engine::Engine engine;
  std::deque<std::string> commands;       // polled when no telephony vtable takes them
  std::deque<std::string> notifications;  // polled when no listener takes them
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

 private:
  void emit_notification(const nlohmann::json& j);
  int call_telephony(const hotline::engine::Command& c, bool& handled);
};

namespace hotline::capi {

// Live handles: a destroyed or never-created pointer is refused, not followed.
bool live(const hl_engine* e);
void register_engine(hl_engine* e);
void unregister_engine(hl_engine* e);

}  // namespace hotline::capi
