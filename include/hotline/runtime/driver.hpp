// The host driver, written once for every host (the C ABI, the libuv
// runtime, the simulator): it drains the engine's outboxes and hands each
// output on, notifications to a sink and commands to the host's telephony,
// takes the safe path for a command the host could not carry out, feeds the
// KPI collector and assembles the statistics.
//
// Delivery is in order and re-entrancy-safe: a host callback may call the
// engine, and what that causes is delivered after the callback returns
// (deliver() from inside a callback returns at once; the round in progress
// picks the outputs up). Host errors raised during a callback are reported
// right after it returns. Each output goes out on its own: one that fails
// (or throws) is reported and the rest still go out.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/runtime/notification_sink.hpp"
#include "hotline/runtime/queue_log_writer.hpp"
#include "hotline/runtime/telephony.hpp"
#include "hotline/runtime/ticket_writer.hpp"

namespace hotline::runtime {

using Clock = std::function<TimeMs()>;

class Driver {
 public:
  // Feeds `kpi` with the engine's notifications; both outlive the driver.
  Driver(engine::Engine& engine, metrics::KpiCollector& kpi);
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // Where outputs go; nullptr for none. Without a telephony (or for a kind
  // it does not support) commands wait in waiting_commands(); without a
  // sink notifications only reach the KPI collector.
  void use_telephony(Telephony* telephony) noexcept { telephony_ = telephony; }
  void use_sink(NotificationSink* sink) noexcept { sink_ = sink; }
  // Runs on each ring_agent command before it goes out, to add to its screen
  // pop (the customer's open tickets). An error is reported as a host error
  // ("screen_pop") and the command goes out as the engine made it.
  using RingAmender = std::function<Status(engine::Command& ring)>;
  void use_ring_amender(RingAmender amender) { ring_amender_ = std::move(amender); }
  // create_ticket commands go to `writer` instead of the telephony.
  void use_ticket_writer(TicketWriter* writer) noexcept { ticket_writer_ = writer; }
  // Notifications are also written to `writer` (Asterisk's queue_log);
  // nullptr for none. A write that fails is reported as a host error.
  void use_queue_log(QueueLogWriter* writer) noexcept { queue_log_ = writer; }
  // The wall clock of a loop-driven engine; empty for one stepped by hand
  // (the engine's own time then, and a command's own time for its safe path).
  void use_clock(Clock clock) { clock_ = std::move(clock); }

  // Hands on everything the engine has produced, round after round (what
  // the outputs cause comes out in the next round), for at most
  // kMaxRounds rounds: a host that answers every output with another
  // cannot hold the caller forever.
  void deliver();
  static constexpr int kMaxRounds = 64;

  // Reports `error` to the sink: now, or after the running callback returns.
  void report(HostError error);

  // True while a host callback (telephony or sink) runs.
  bool in_callback() const noexcept { return depth_ > 0; }
  // Numbers the host's callback rounds: a callback made from outside any
  // callback, with the errors reported after it. Lets a caller report a
  // refusal once per round.
  std::uint64_t callback_round() const noexcept { return round_; }

  // Commands no telephony carried out, oldest first, for the host to poll.
  std::deque<engine::Command>& waiting_commands() noexcept { return waiting_; }

  // The clock's time, or the engine's own.
  TimeMs now() const;
  // The latest time the KPI collector has heard of (at least `t`).
  TimeMs latest_fact_time() const noexcept { return latest_fact_; }
  void note_time(TimeMs t) noexcept;

  // A call with tickets was judged when its wrap-up ended (`at`): counted for
  // `queue`, the one that answered it, as an issue and, when its tickets were
  // all resolved, as a resolution (docs/metrics.md).
  void count_issue_contact(const std::string& queue, bool resolved, bool first_contact,
                           TimeMs at);

  // The statistics at `now` (statistics.hpp), the KPI collector flushed to it.
  nlohmann::json statistics(TimeMs now);

 private:
  void hand_on(const engine::Notification& n);
  void carry_out_command(engine::Command& c);
  // Runs `f` as a host callback; an exception comes back as an error.
  template <typename F>
  Status callback(F&& f);
  void report_deferred();

  engine::Engine& engine_;
  metrics::KpiCollector& kpi_;
  engine::KpiFeed feed_;
  Telephony* telephony_ = nullptr;
  NotificationSink* sink_ = nullptr;
  TicketWriter* ticket_writer_ = nullptr;
  QueueLogWriter* queue_log_ = nullptr;
  Clock clock_;
  RingAmender ring_amender_;
  std::deque<engine::Command> waiting_;
  std::deque<HostError> deferred_;
  // The outboxes trade buffers with these, so a round allocates nothing.
  std::vector<engine::Command> commands_;
  std::vector<engine::Notification> notes_;
  TimeMs latest_fact_ = 0;
  int depth_ = 0;
  std::uint64_t round_ = 0;
  bool delivering_ = false;
  bool reporting_deferred_ = false;
};

}  // namespace hotline::runtime
