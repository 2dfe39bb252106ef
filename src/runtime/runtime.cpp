#include "hotline/runtime/runtime.hpp"
#include "hotline/runtime/first_contact.hpp"
#include "hotline/runtime/ticket_request.hpp"

#include <uv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "guard.hpp"

namespace hotline::runtime {

TimeMs system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The libuv handles and what the loop thread shares with other threads.
// Owned by the handles themselves: it is deleted when the last one closes.
// It takes the driver's create_ticket commands while a store is attached.
struct Runtime::Handles final : TicketWriter {
  void write_ticket(const engine::Command& c) override;
  void keep(const engine::Notification& n) override;
  void judge_resolution(const engine::Notification& n) override;

  Runtime* owner = nullptr;  // null once the Runtime is gone
  uv_loop_t* loop = nullptr;
  uv_timer_t timer{};
  uv_async_t async{};
  int open = 0;

  std::mutex mutex;  // guards posted and stop_requested
  struct Posted {
    Event event;
    std::string call_id;
    std::string event_kind;
  };
  std::deque<Posted> posted;
  bool stop_requested = false;

  // Ticket writes, one in flight at a time.
  struct TicketJob {
    // create_ticket answers the flow with a host_result; the others answer
    // nobody, and only a failure is reported (as a host_error).
    // kJudgeResolution reads the call's tickets and counts the verdict.
    enum class Kind : std::uint8_t {
      kCreate,
      kRateCall,
      kRecordDisposition,
      kAuditSupervision,
      kJudgeResolution
    };
    Kind kind = Kind::kCreate;
    engine::Notification note;  // all but kCreate
    Status kept;                // all but kCreate: how the write (or read) went
    DurationMs window_ms = 0;   // kJudgeResolution: the first-contact window
    ResolutionVerdict verdict;  // kJudgeResolution
    // The store the job writes to, held by the job: replacing the engine's
    // store while the write runs on the pool must not free it under the write.
    std::shared_ptr<store::TicketService> tickets;
    std::shared_ptr<std::mutex> lock;  // held around the write when set
    std::uint64_t request_id = 0;
    std::string args_json;
    std::string actor;
    bool ok = false;
    nlohmann::json result;
  };
  std::shared_ptr<store::TicketService> tickets;
  std::shared_ptr<std::mutex> tickets_lock;
  std::deque<TicketJob> ticket_jobs;
  bool ticket_in_flight = false;
  // True while `current` runs on the pool: the runtime's destructor waits
  // for it before it carries out the jobs still queued itself.
  std::atomic<bool> work_running{false};
  uv_work_t work{};
  TicketJob current;

  std::function<void(const Error&)> on_error;
};

namespace {

void on_closed(uv_handle_t* h) {
  auto* handles = static_cast<Runtime::Handles*>(h->data);
  if (--handles->open == 0 && !handles->ticket_in_flight) delete handles;
}

}  // namespace

Runtime::Runtime(engine::Engine& engine, uv_loop_s* loop, Driver& driver, Clock clock)
    : engine_(engine), driver_(driver), clock_(std::move(clock)), handles_(new Handles) {
  driver_.use_clock(clock_);
  handles_->owner = this;
  handles_->loop = loop;
  uv_timer_init(loop, &handles_->timer);
  handles_->timer.data = handles_;
  uv_async_init(loop, &handles_->async, [](uv_async_t* a) {
    auto* h = static_cast<Handles*>(a->data);
    std::deque<Handles::Posted> events;
    bool stop = false;
    {
      std::lock_guard<std::mutex> lock(h->mutex);
      events.swap(h->posted);
      stop = h->stop_requested;
      h->stop_requested = false;
    }
    Runtime* self = h->owner;
    if (!self) return;
    // A failing event is reported and the next one runs: the loop never
    // stops because of what a host posted.
    for (Handles::Posted& p : events) {
      Status st = guard([&] { return p.event(self->engine_, self->clock_()); });
      if (!st) self->report(st.error(), p.call_id, p.event_kind);
      self->flush();
      if (!h->owner) return;  // the sink destroyed the runtime
    }
    if (stop) uv_stop(h->loop);
  });
  handles_->async.data = handles_;
  handles_->open = 2;
}

Runtime::~Runtime() {
  drain_store_writes();
  driver_.use_ticket_writer(nullptr);
  driver_.use_clock({});
  handles_->owner = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&handles_->timer), on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&handles_->async), on_closed);
}

namespace {
void run_ticket_job(Runtime::Handles::TicketJob& job);
}  // namespace

void Runtime::drain_store_writes() noexcept {
  Handles* h = handles_;
  if (h->ticket_jobs.empty()) return;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(engine_.options().store_drain_timeout_ms);
  // The pool's job first: the store has one user at a time.
  while (h->work_running.load(std::memory_order_acquire) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!h->work_running.load(std::memory_order_acquire)) {
    while (!h->ticket_jobs.empty() && std::chrono::steady_clock::now() < deadline) {
      Handles::TicketJob job = std::move(h->ticket_jobs.front());
      h->ticket_jobs.pop_front();
      // A resolution's verdict has no statistics left to reach: not a write.
      if (job.kind == Handles::TicketJob::Kind::kJudgeResolution) continue;
      // Nobody is left to answer: a created ticket's host_result has no
      // engine loop to reach, and a failure goes to the host as an error.
      run_ticket_job(job);
      if (!job.ok) {
        const std::string why = job.result.is_object() && job.result.contains("error")
                                    ? job.result["error"].dump()
                                    : std::string("the write failed");
        const Error error = job.kept.ok() ? make_error(Errc::kIo, why) : job.kept.error();
        driver_.report(HostError{"store", job.note.call_id, error, clock_()});
      }
    }
  }
  const auto dropped = std::count_if(h->ticket_jobs.begin(), h->ticket_jobs.end(), [](auto& j) {
    return j.kind != Handles::TicketJob::Kind::kJudgeResolution;
  });
  h->ticket_jobs.clear();
  if (dropped > 0) {
    driver_.report(HostError{"store", "",
                             make_error(Errc::kBusy,
                                        std::to_string(dropped) +
                                            " store writes dropped: not done within the "
                                            "engine's store_drain_seconds as the runtime stopped"),
                             clock_()});
  }
}

void Runtime::post(Event event, std::string call_id, std::string event_kind) {
  {
    std::lock_guard<std::mutex> lock(handles_->mutex);
    handles_->posted.push_back(
        Handles::Posted{std::move(event), std::move(call_id), std::move(event_kind)});
  }
  uv_async_send(&handles_->async);
}

void Runtime::stop() {
  {
    std::lock_guard<std::mutex> lock(handles_->mutex);
    handles_->stop_requested = true;
  }
  uv_async_send(&handles_->async);
}

void Runtime::use_tickets(std::shared_ptr<store::TicketService> tickets,
                          std::shared_ptr<std::mutex> storage_lock) {
  handles_->tickets = std::move(tickets);
  handles_->tickets_lock = std::move(storage_lock);
  driver_.use_ticket_writer(handles_->tickets ? handles_ : nullptr);
}

void Runtime::on_error(std::function<void(const Error&)> handler) {
  handles_->on_error = std::move(handler);
}

void Runtime::report(const Error& error, std::string_view call_id,
                     std::string_view event_kind) noexcept {
  (void)guard([&]() -> Status {
    if (handles_->on_error) {
      handles_->on_error(error);
    } else {
      driver_.report(
          HostError{"post", std::string(call_id), error, clock_(), std::string(event_kind)});
    }
    return {};
  });
}

namespace {

void start_ticket_job(Runtime::Handles* h);

// Carries out one job: on a thread-pool thread, or on the thread that
// destroys the runtime once the pool's job is done; either way the only user
// of the ticket service then.
void run_ticket_job(Runtime::Handles::TicketJob& job) {
  using K = Runtime::Handles::TicketJob::Kind;
  try {
    if (job.kind != K::kCreate) {
      std::unique_lock<std::mutex> hold;
      if (job.lock) hold = std::unique_lock<std::mutex>(*job.lock);
      const engine::Notification& n = job.note;
      Status st;
      if (job.kind == K::kJudgeResolution) {
        auto verdict = judge_resolution(*job.tickets, n.call_id, job.window_ms);
        if (verdict) {
          job.verdict = *verdict;
        } else {
          st = verdict.error();
        }
      } else if (job.kind == K::kRateCall) {
        // A call that opened no ticket leaves nothing to rate: not an error.
        auto rated = job.tickets->rate_contact(store::Actor{job.actor, store::Role::kAgent},
                                               n.call_id, static_cast<int>(n.value));
        if (!rated) st = rated.error();
      } else if (job.kind == K::kRecordDisposition) {
        // The agent's own words on the call's tickets; a call without one
        // keeps its code in the statistics alone.
        auto noted = job.tickets->record_disposition(
            store::Actor{n.agent_id, store::Role::kAgent}, n.call_id, n.text);
        if (!noted) st = noted.error();
      } else {
        st = job.tickets->audit_supervision(n.actor, n.text, n.call_id, n.agent_id, n.time);
      }
      job.ok = st.ok();
      job.kept = std::move(st);
      return;
    }
    const store::NewTicket n =
        ticket_from_request(nlohmann::json::parse(job.args_json, nullptr, false));
    std::unique_lock<std::mutex> hold;
    if (job.lock) hold = std::unique_lock<std::mutex>(*job.lock);
    auto t = job.tickets->create(store::Actor{job.actor, store::Role::kAgent}, n);
    job.ok = t.ok();
    job.result = t.ok() ? nlohmann::json{{"id", t->id}, {"number", t->number}}
                        : nlohmann::json{{"error", t.error().message}};
  } catch (const std::exception& e) {
    job.ok = false;
    job.result = nlohmann::json{{"error", e.what()}};
    job.kept = make_error(Errc::kInternal, e.what());
  }
}

void ticket_work(uv_work_t* req) {
  auto* h = static_cast<Runtime::Handles*>(req->data);
  run_ticket_job(h->current);
  h->work_running.store(false, std::memory_order_release);
}

void ticket_done(uv_work_t* req, int status) {
  auto* h = static_cast<Runtime::Handles*>(req->data);
  h->ticket_in_flight = false;
  Runtime* self = h->owner;
  if (!self) {
    if (h->open == 0) delete h;  // the runtime closed while the write ran
    return;
  }
  if (status == UV_ECANCELED) h->current.ok = false;
  auto job = std::move(h->current);
  job.tickets.reset();  // a store replaced during the write is released here
  job.lock.reset();
  using K = Runtime::Handles::TicketJob::Kind;
  if (job.kind != K::kCreate) {
    if (!job.ok) {
      const Error error = job.kept.ok() ? make_error(Errc::kIo, "the store write was cancelled")
                                        : job.kept.error();
      const char* what = job.kind == K::kRateCall            ? "survey"
                         : job.kind == K::kRecordDisposition ? "disposition"
                         : job.kind == K::kJudgeResolution   ? "resolution"
                                                             : "audit";
      self->report_store_error(what, job.note.call_id, error);
    } else if (job.kind == K::kJudgeResolution && job.verdict.raised_issue) {
      self->count_issue_contact(job.note.queue_id, job.verdict.resolved,
                                job.verdict.first_contact, job.note.time);
    }
    start_ticket_job(h);
    return;
  }
  self->post([job](engine::Engine& e, TimeMs now) {
    return e.host_result(job.request_id, job.ok, job.result, now);
  });
  start_ticket_job(h);
}

void start_ticket_job(Runtime::Handles* h) {
  if (h->ticket_in_flight || h->ticket_jobs.empty()) return;
  h->current = std::move(h->ticket_jobs.front());
  h->ticket_jobs.pop_front();
  h->ticket_in_flight = true;
  h->work_running.store(true, std::memory_order_release);
  h->work.data = h;
  uv_queue_work(h->loop, &h->work, ticket_work, ticket_done);
}

}  // namespace

void Runtime::Handles::write_ticket(const engine::Command& c) {
  TicketJob job;
  job.tickets = tickets;
  job.lock = tickets_lock;
  job.request_id = c.request_id;
  job.args_json = c.args_json;
  job.actor = "ivr";
  ticket_jobs.push_back(std::move(job));
}

void Runtime::Handles::keep(const engine::Notification& n) {
  TicketJob job;
  if (n.kind == engine::Notification::Kind::kSurvey) {
    if (n.value < 1 || n.value > 5) return;  // not rated: nothing to write
    job.kind = TicketJob::Kind::kRateCall;
    job.actor = "survey";
  } else if (n.kind == engine::Notification::Kind::kWrapUpCode) {
    job.kind = TicketJob::Kind::kRecordDisposition;
  } else {
    job.kind = TicketJob::Kind::kAuditSupervision;
  }
  job.tickets = tickets;
  job.lock = tickets_lock;
  job.note = n;
  ticket_jobs.push_back(std::move(job));
}

void Runtime::Handles::judge_resolution(const engine::Notification& n) {
  if (!owner) return;
  TicketJob job;
  job.kind = TicketJob::Kind::kJudgeResolution;
  job.tickets = tickets;
  job.lock = tickets_lock;
  job.note = n;
  job.window_ms = owner->engine_.options().first_contact_window_ms;
  ticket_jobs.push_back(std::move(job));
}

void Runtime::count_issue_contact(const std::string& queue, bool resolved, bool first_contact,
                                  TimeMs at) {
  driver_.count_issue_contact(queue, resolved, first_contact, at);
}

void Runtime::report_store_error(const char* what, const std::string& call_id,
                                 const Error& error) {
  driver_.report(HostError{what, call_id, error, clock_()});
  flush();
}

void Runtime::flush() {
  Handles* h = handles_;
  driver_.deliver();
  start_ticket_job(h);
  const TimeMs deadline = engine_.next_deadline();
  if (deadline == kNever) {
    uv_timer_stop(&h->timer);
    return;
  }
  // A deadline in the past fires at once; one too far away for the
  // difference to fit waits as long as a timer can.
  TimeMs delay = 0;
  if (__builtin_sub_overflow(deadline, clock_(), &delay)) delay = kNever;
  if (delay < 0) delay = 0;
  uv_timer_start(&h->timer,
                 [](uv_timer_t* t) {
                   auto* handles = static_cast<Handles*>(t->data);
                   Runtime* self = handles->owner;
                   if (!self) return;
                   Status st = guard([&]() -> Status {
                     self->engine_.advance(self->clock_());
                     return {};
                   });
                   if (!st) self->report(st.error());
                   self->flush();
                 },
                 static_cast<std::uint64_t>(delay), 0);
}

}  // namespace hotline::runtime
