// A discrete-event simulation of a contact center that drives the real
// engine by manual stepping: simulated callers dial in, listen to prompts,
// press keys, wait and give up; simulated agents answer, talk and wrap up.
// Every routing and IVR decision is the engine's own.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/runtime/driver.hpp"
#include "hotline/runtime/notification_sink.hpp"

namespace hotline::sim {

struct Distribution {
  enum class Kind { kExponential, kLogNormal, kFixed } kind = Kind::kExponential;
  double mean_seconds = 180;
  double sigma = 0.5;  // log-normal shape
  double sample(std::mt19937_64& rng) const;
};

// A stream of callers into one queue (no IVR) or one flow.
struct Stream {
  std::string queue;  // without a flow: straight into this queue
  std::string flow;
  std::vector<double> arrivals_per_hour;  // one rate per interval; the last repeats
  DurationMs rate_interval_ms = minutes(60);
  Distribution handle{};
  std::optional<Distribution> patience;  // none: callers never give up
  double vip_share = 0;
  struct Path {
    double weight = 1;
    std::vector<std::string> keys;  // answers to successive digit collections
  };
  std::vector<Path> paths;
  double callback_share = 0.5;  // when asked beyond the path's keys: take a callback
};

// A recorded trace: when each caller arrived and how long the agent took.
struct TraceCall {
  TimeMs arrival;
  DurationMs handle;
  std::string queue;
};

struct Shift {
  std::vector<std::string> agents;
  DurationMs start = 0;  // from the start of the simulated day
  DurationMs end = hours_ms(24);
  DurationMs break_start = 0;  // 0 = no break
  DurationMs break_end = 0;
  static constexpr DurationMs hours_ms(int h) { return static_cast<DurationMs>(h) * 3'600'000; }
};

// Tickets opened by answered contacts, kept in an in-memory ticket store:
// first-contact resolution and CSAT are read from those ticket records.
struct TicketModel {
  double share = 0;                      // answered contacts that open a ticket
  double first_contact_resolution = 0.7; // resolved by the end of that contact's wrap-up
  Distribution resolution_delay{Distribution::Kind::kExponential, 4 * 3600.0};  // the rest
  double csat_response_share = 0.3;      // resolved tickets whose customer answers the survey
  // Score weights 1..5, for tickets resolved on first contact and later.
  std::array<double, 5> csat_first_contact = {0.02, 0.03, 0.10, 0.35, 0.50};
  std::array<double, 5> csat_later = {0.08, 0.12, 0.25, 0.35, 0.20};
};

// How the agents of one queue use live call control (docs/simulator.md):
// each answered call is held, consulted on or transferred with these
// probabilities, at times drawn within its handle time. Holds and
// consultations lengthen the conversation; a transfer ends it early.
struct CallControlModel {
  std::string queue;
  double hold_probability = 0;       // a call is held at least once
  double holds_per_held_call = 1;    // mean, at least 1 (1 + Poisson(mean − 1))
  Distribution hold{Distribution::Kind::kExponential, 30};
  double consult_probability = 0;    // the agent consults an outside number once
  Distribution consult{Distribution::Kind::kExponential, 60};
  std::string consult_target;
  double transfer_probability = 0;   // the agent sends the caller to another queue
  std::string transfer_queue;
  bool any() const {
    return hold_probability > 0 || consult_probability > 0 || transfer_probability > 0;
  }
};

struct Scenario {
  nlohmann::json engine;  // queues, agents, flows, calendars
  std::vector<Stream> streams;
  std::vector<TraceCall> trace;  // replayed instead of (or beside) the streams
  std::vector<Shift> shifts;     // empty: every agent works the whole run
  TimeMs start = 0;              // epoch milliseconds of the first simulated instant
  DurationMs length = Shift::hours_ms(24);
  DurationMs ring_ms = 3000;     // how long agents take to pick up
  DurationMs prompt_ms = 2500;   // how long each prompt plays
  double no_answer_share = 0.0;  // offers the agent lets ring out
  TicketModel tickets;
  std::vector<CallControlModel> call_control;  // by queue; empty: no call control
  std::uint64_t seed = 1;
  metrics::KpiOptions kpi;
  double target_service_level = 0.8;  // the report's target line, and its staffing
  std::string queue_log;  // a file to append Asterisk's queue_log to; empty: none
};

// Seconds, or {"kind": ..., "mean_seconds": ..., "sigma": ...}; errors name `path`.
Result<Distribution> distribution_from_json(const nlohmann::json& j, const std::string& path);

// Reads a scenario: the engine configuration plus "simulation": {...}
// (docs/simulator.md). Errors carry JSON paths.
Result<Scenario> scenario_from_json(const nlohmann::json& j);

// The M/M/N (+M) scenario of the quick flags: one queue, N agents.
Scenario single_queue(int agents, double arrivals_per_hour, double aht_seconds,
                      std::optional<double> patience_seconds, double hours, std::uint64_t seed,
                      double sl_seconds);

// One day of `contacts` callers through an IVR menu (a two-second prompt,
// every caller presses 1) into one queue, agents enough for the load
// (offered erlangs × 1.1, plus five), a 180 s mean handle time and a 300 s
// mean patience: the day BM_SimulateDay runs and scripts/compare-simpy.sh
// models in SimPy.
Scenario menu_day(double contacts);

// Rows of a trace CSV with columns date, q_start, ser_start, ser_time (the
// Anonymous Bank layout); `date` picks one day (YYMMDD), empty = the busiest.
Result<std::vector<TraceCall>> read_bank_trace(const std::string& path, std::string date,
                                               const std::string& queue, TimeMs day_start,
                                               std::string* chosen_date = nullptr);

struct Outcome {
  metrics::KpiCollector kpi;
  std::int64_t contacts = 0;       // callers who arrived
  std::int64_t engine_events = 0;  // events fed to the engine
  std::vector<std::pair<TimeMs, int>> waiting_samples;  // per interval: max waiting
  std::int64_t tickets = 0;  // tickets opened
  explicit Outcome(metrics::KpiOptions o) : kpi(o) {}
};

Outcome run(const Scenario& scenario);

// The same run paced by its caller (hotline-sim --serve runs it on an
// accelerated clock behind the operations server): begin() loads the
// center and schedules the day, step(t) runs everything due up to the
// simulated time t. The engine and driver are the run's own; a caller that
// calls the engine between steps (an agent's state from the API) then calls
// deliver(), so the simulated switch answers what the engine asked.
class SteppedRun {
 public:
  // `listener` also receives every notification (nullptr: none).
  SteppedRun(const Scenario& scenario, runtime::NotificationSink* listener);
  ~SteppedRun();
  SteppedRun(const SteppedRun&) = delete;
  SteppedRun& operator=(const SteppedRun&) = delete;

  // Runs on each simulated caller's arrival before the engine sees it: a
  // host's caller-id lookup adds the customer to the call's attributes
  // (hotline-sim --serve --store). Set before begin().
  using CallerLookup = std::function<void(engine::CallInfo& call)>;
  void use_caller_lookup(CallerLookup lookup);

  Status begin();
  // False once the day and the calls it left are over (nothing more happens).
  // Throws std::runtime_error when a simulated party's callback failed.
  bool step(TimeMs until);
  void deliver();

  engine::Engine& engine() noexcept;
  runtime::Driver& driver() noexcept;
  const metrics::KpiCollector& kpi() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::sim
