// The runtime binds the sans-IO engine to a libuv loop: one timer follows the
// engine's next deadline, an async handle takes events in from any thread,
// and ticket writes run on libuv's thread pool so the loop never waits on
// the disk. Everything the engine asks of the world is handed on by the
// host driver (driver.hpp) on the loop thread.
//
// A Runtime lives on its loop's thread. Every method but post() and stop()
// is called on that thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "hotline/engine/engine.hpp"
#include "hotline/runtime/driver.hpp"
#include "hotline/store/ticket_service.hpp"
#include "hotline/util/result.hpp"

struct uv_loop_s;

namespace hotline::runtime {

TimeMs system_clock_ms();

class Runtime {
 public:
  // Attaches to `loop` (not owned; it must outlive the runtime's close) and
  // gives `driver` (the engine's, outliving the runtime) the loop's clock.
  // Call flush() once the driver's outputs are ready for the engine's
  // pending outputs.
  Runtime(engine::Engine& engine, uv_loop_s* loop, Driver& driver,
          Clock clock = system_clock_ms);
  // Carries out the store writes still queued (tickets, survey scores, audit
  // records), waiting first for the one on the pool, for at most the engine's
  // options().store_drain_timeout_ms; what is left then is reported as a
  // host error ("store") and dropped. Then closes the handles and gives the
  // driver back to hand-stepping; the loop
  // must run once more for libuv to finish closing them (their memory is
  // released then, not here).
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  using Event = std::function<Status(engine::Engine&, TimeMs now)>;
  // Thread-safe: runs `event` on the loop thread. A failing event is
  // reported through `on_error`, or without one as the driver's host error
  // "post" naming `call_id` (the call the event is about; empty for none)
  // and `event_kind` (what was refused, e.g. "blind_transfer"; empty when
  // not an event of the table), so that a host can tell which of its
  // requests on which call the engine refused.
  void post(Event event, std::string call_id = {}, std::string event_kind = {});
  // Thread-safe: stops the loop (uv_stop) from any thread.
  void stop();

  // Ticket commands (the IVR's ticket node) are carried out against
  // `tickets` on the thread pool, one at a time, and answered with
  // host_result. Without it they go to the host like any host function.
  // `storage_lock`, when given, is held around each write: the storage has
  // another user off the pool (the customer reads of a host's table).
  void use_tickets(std::shared_ptr<store::TicketService> tickets,
                   std::shared_ptr<std::mutex> storage_lock = nullptr);
  void on_error(std::function<void(const Error&)> handler);

  // After calling the engine directly on the loop thread: has the driver
  // hand its outputs on, starts ticket writes and re-arms the timer.
  void flush();
  TimeMs now() const { return clock_(); }
  // Hands an error to on_error; nothing it throws escapes.
  void report(const Error& error, std::string_view call_id = {},
              std::string_view event_kind = {}) noexcept;
  // A survey score or an audit record the store could not keep, or a call's
  // tickets it could not read: a host_error (`what` "survey", "audit" or
  // "resolution") for the call.
  void report_store_error(const char* what, const std::string& call_id, const Error& error);
  // A call with tickets judged (first_contact.hpp), counted in the statistics.
  void count_issue_contact(const std::string& queue, bool resolved, bool first_contact,
                           TimeMs at);

  struct Handles;  // libuv state, private to runtime.cpp

 private:
  void drain_store_writes() noexcept;

  engine::Engine& engine_;
  Driver& driver_;
  Clock clock_;
  Handles* handles_;  // freed by the last close callback
};

}  // namespace hotline::runtime
