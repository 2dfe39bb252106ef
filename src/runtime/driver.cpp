#include "hotline/runtime/driver.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <string>
#include <utility>

#include "guard.hpp"
#include "hotline/runtime/safe_path.hpp"
#include "hotline/runtime/statistics.hpp"

namespace hotline::runtime {

Driver::Driver(engine::Engine& engine, metrics::KpiCollector& kpi)
    : engine_(engine), kpi_(kpi), feed_(kpi, engine.router()) {}

TimeMs Driver::now() const { return clock_ ? clock_() : engine_.now(); }

void Driver::note_time(TimeMs t) noexcept { latest_fact_ = std::max(latest_fact_, t); }

template <typename F>
Status Driver::callback(F&& f) {
  if (depth_ == 0 && !reporting_deferred_) ++round_;
  ++depth_;
  Status st = guard(std::forward<F>(f));
  --depth_;
  return st;
}

void Driver::deliver() {
  if (delivering_ || depth_ > 0) return;  // the round in progress picks these up
  // Even should memory run out half-way, the next deliver() starts afresh.
  struct Round {
    Driver& d;
    explicit Round(Driver& driver) : d(driver) { d.delivering_ = true; }
    ~Round() {
      d.commands_.clear();
      d.notes_.clear();
      d.delivering_ = false;
    }
  } round_scope(*this);
  for (int round = 0; round < kMaxRounds; ++round) {
    commands_.swap(engine_.commands());
    notes_.swap(engine_.notifications());
    if (commands_.empty() && notes_.empty()) break;
    for (const auto& n : notes_) hand_on(n);
    for (auto& c : commands_) carry_out_command(c);
    commands_.clear();
    notes_.clear();
  }
}

void Driver::hand_on(const engine::Notification& n) {
  Status st = guard([&]() -> Status {
    note_time(n.time);
    feed_.on(n);
    return {};
  });
  if (st && sink_) {
    // Kept apart and moved only on failure: assigning over `st` on every
    // notification cost more than the callback's own bookkeeping.
    Status sunk = callback([&]() -> Status {
      sink_->notification(n);
      return {};
    });
    if (!sunk) st = std::move(sunk);
  }
  if (!deferred_.empty()) report_deferred();
  if (!st) report(HostError{"notification", n.call_id, st.error(), now()});
  if (ticket_writer_ && (n.kind == engine::Notification::Kind::kSurvey ||
                         n.kind == engine::Notification::Kind::kWrapUpCode ||
                         n.kind == engine::Notification::Kind::kSupervision)) {
    Status kept = guard([&]() -> Status {
      ticket_writer_->keep(n);
      return {};
    });
    if (!kept) report(HostError{"store", n.call_id, kept.error(), now()});
  }
  if (queue_log_) {
    const Status written = guard([&] { return queue_log_->on(n); });
    if (!written) report(HostError{"queue_log", n.call_id, written.error(), now()});
  }
  if (ticket_writer_ && n.kind == engine::Notification::Kind::kRouting &&
      n.routing == routing::Output::Kind::kWrapUpEnded && !n.call_id.empty() &&
      !n.queue_id.empty()) {
    Status asked = guard([&]() -> Status {
      ticket_writer_->judge_resolution(n);
      return {};
    });
    if (!asked) report(HostError{"store", n.call_id, asked.error(), now()});
  }
}

void Driver::count_issue_contact(const std::string& queue, bool resolved, bool first_contact,
                                 TimeMs at) {
  note_time(at);
  kpi_.issue_contact(queue, at);
  if (resolved) kpi_.ticket_resolved(queue, first_contact, at);
}

void Driver::carry_out_command(engine::Command& c) {
  if (c.kind == engine::Command::Kind::kRingAgent && ring_amender_) {
    const Status st = guard([&] { return ring_amender_(c); });
    if (!st) report(HostError{"screen_pop", c.call_id, st.error(), now()});
  }
  if (c.kind == engine::Command::Kind::kCreateTicket && ticket_writer_) {
    Status st = guard([&]() -> Status {
      ticket_writer_->write_ticket(c);
      return {};
    });
    if (!st) report(HostError{engine::command_kind_name(c.kind), c.call_id, st.error(), now()});
    return;
  }
  if (!telephony_ || !telephony_->supports(c.kind)) {
    waiting_.push_back(c);
    return;
  }
  const Status st = callback([&] { return carry_out(*telephony_, c); });
  if (!deferred_.empty()) report_deferred();
  if (st) return;
  // The host could not do it: report, then take the safe path.
  report(HostError{engine::command_kind_name(c.kind), c.call_id, st.error(), now()});
  const TimeMs at = clock_ ? clock_() : c.time;
  Status safe = guard([&]() -> Status {
    take_safe_path(engine_, c, at);
    return {};
  });
  if (!safe) report(HostError{engine::command_kind_name(c.kind), c.call_id, safe.error(), now()});
}

void Driver::report(HostError error) {
  if (depth_ > 0) {
    deferred_.push_back(std::move(error));
    return;
  }
  deferred_.push_back(std::move(error));
  report_deferred();
}

void Driver::report_deferred() {
  if (deferred_.empty() || depth_ > 0 || reporting_deferred_) return;
  reporting_deferred_ = true;
  while (!deferred_.empty()) {
    HostError e = std::move(deferred_.front());
    deferred_.pop_front();
    if (!sink_) continue;
    // A sink that fails on an error has nowhere left to report it.
    (void)callback([&]() -> Status {
      sink_->host_error(e);
      return {};
    });
  }
  reporting_deferred_ = false;
}

nlohmann::json Driver::statistics(TimeMs now) {
  kpi_.flush(now);
  return engine_statistics(engine_, kpi_, now);
}

}  // namespace hotline::runtime
