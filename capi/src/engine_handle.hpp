// The hl_engine handle: the engine, the host driver that hands its outputs
// on, the adapters that make the host's telephony vtable and listener (or
// the queues the host polls) the driver's, the KPIs behind hl_engine_stats,
// and the libuv runtime when one is attached.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "hotline/engine.h"
#include "hotline/engine/engine.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/runtime.h"
#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/runtime/driver.hpp"
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

namespace hotline::capi {

// The host's hl_telephony vtable as the driver's Telephony: a NULL slot is a
// kind the host does not support; a status other than HL_OK is a failure.
class TelephonyTable final : public runtime::Telephony {
 public:
  explicit TelephonyTable(const hl_telephony& table) : t_(table) {}
  bool supports(engine::Command::Kind kind) const override;
  Status answer(const engine::Command& c) override;
  Status play(const engine::Command& c) override;
  Status stop_playback(const engine::Command& c) override;
  Status collect_digits(const engine::Command& c) override;
  Status record(const engine::Command& c) override;
  Status transfer(const engine::Command& c) override;
  Status hangup(const engine::Command& c) override;
  Status ring_agent(const engine::Command& c) override;
  Status stop_ringing(const engine::Command& c) override;
  Status bridge(const engine::Command& c) override;
  Status lookup(const engine::Command& c) override;
  Status create_ticket(const engine::Command& c) override;
  Status register_callback(const engine::Command& c) override;
  Status hold(const engine::Command& c) override;
  Status resume(const engine::Command& c) override;
  Status dial(const engine::Command& c) override;
  Status hangup_leg(const engine::Command& c) override;
  Status mix(const engine::Command& c) override;
  Status record_control(const engine::Command& c) override;

 private:
  Status host_request(const engine::Command& c);
  const hl_telephony& t_;  // the engine's current table
};

// The host's listener as the driver's sink: each notification and host
// error as JSON text, or into the polling queue while there is no listener.
class ListenerSink final : public runtime::NotificationSink {
 public:
  void notification(const engine::Notification& n) override;
  void host_error(const runtime::HostError& e) override;

  hl_listener listener = nullptr;
  void* listener_user = nullptr;
  std::deque<std::string> queued;  // polled when no listener takes them

 private:
  void emit(const std::string& text);
};

}  // namespace hotline::capi

struct hl_engine {
  explicit hl_engine(hotline::engine::EngineOptions o);
  ~hl_engine();

  hotline::engine::Engine engine;
  hl_telephony telephony{};
  bool has_telephony = false;
  // The installed telephony's destroy, and those of tables replaced from
  // inside a callback, which wait until their callback is off the stack.
  hotline::capi::HostRelease telephony_release;
  std::vector<hotline::capi::HostRelease> telephony_released_in_callback;
  hotline::capi::TelephonyTable telephony_adapter{telephony};
  hotline::capi::ListenerSink listener;
  hotline::metrics::KpiCollector kpi;
  // Drains the engine's outboxes into the adapters above, takes the safe
  // path, feeds `kpi` and assembles the statistics.
  hotline::runtime::Driver driver{engine, kpi};
  // hl_engine_set_queue_log: the driver writes to it; null for none.
  std::unique_ptr<hotline::runtime::QueueLogWriter> queue_log;

  std::unique_ptr<hotline::runtime::Runtime> runtime;
  uv_loop_s* own_loop = nullptr;  // the loop hl_engine_run made
  // Other threads post through here: events wait in `pending_posts` until
  // a loop is attached or running. Guards `runtime` against those threads.
  std::mutex post_mutex;
  // Each with the call it is about and its kind, for the host error should it fail.
  struct PendingPost {
    hotline::runtime::Runtime::Event event;
    std::string call_id;
    std::string event_kind;
  };
  std::vector<PendingPost> pending_posts;
  void start_runtime(uv_loop_s* loop);
  void post(hotline::runtime::Runtime::Event event, std::string call_id = {},
            std::string event_kind = {});
  bool stop();
  // The callback round in which hl_engine_destroy was last refused: it is
  // reported once per round.
  std::uint64_t destroy_refused_round = 0;
  std::shared_ptr<hotline::store::TicketService> tickets;  // hl_engine_use_store
  // Held around each ticket write when the customer reads share the
  // tickets' storage (a host's table); null otherwise.
  std::shared_ptr<std::mutex> tickets_lock;
  // Resolves arriving callers against the attached store (hl_engine_use_store,
  // hl_engine_use_host_storage);
  // replaced under `customers_mutex`, read through a copy of the pointer.
  std::shared_ptr<hotline::runtime::CustomerResolver> customers;
  std::mutex customers_mutex;
  // Before an arrival enters the engine, on the thread that applies it: the
  // caller's customer from the store, when the host passed none. A store
  // error leaves the event as it is and becomes a host_error
  // ("customer_lookup").
  void resolve_customer(hotline::engine::Event& event);

  // Hands the engine's outputs on: through the runtime (which also re-arms
  // its timer) or the driver alone. Calls made by the host from inside a
  // callback leave their outputs for the round in progress.
  void deliver();
  void report_host_error(const char* what, const std::string& call_id, int status,
                         const std::string& message);
  void detach();
  // The engine's own clock: the time of its latest event or advance, never
  // the wall clock for an engine stepped by hand.
  hotline::TimeMs now() const { return driver.now(); }
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
