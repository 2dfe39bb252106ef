// Contact-center KPIs, live and per interval, per queue and per agent. The
// formulas are written down in docs/metrics.md. The collector is fed facts
// (a contact was offered, answered after W ms, ...) by the engine or any
// other source, so the same numbers come out of production, tests and the
// simulator.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/time.hpp"
#include "hotline/util/view_map.hpp"

namespace hotline::metrics {

// Which service-level formula to report (T = the threshold). The default is
// the one the issue of record asks for: short abandons do not count against
// the queue.
enum class ServiceLevelFormula : std::uint8_t {
  kOfferedLessShortAbandons,  // answered≤T / (offered − short abandons)
  kAnswered,                  // answered≤T / answered
  kAnsweredAndAbandoned,      // answered≤T / (answered + abandoned)
  kCountAbandonsWithinT,      // (answered≤T + abandoned≤T) / (answered + abandoned)
  kExcludeShortAbandons,      // answered≤T / (answered + abandoned − short abandons)
};

struct KpiOptions {
  DurationMs interval_ms = minutes(15);
  DurationMs short_abandon_ms = 5000;  // abandons this quick are not the queue's fault
  // The service-level threshold of queues the collector was given none for
  // (see KpiCollector::set_service_level).
  DurationMs service_level_ms = 20000;
  ServiceLevelFormula formula = ServiceLevelFormula::kOfferedLessShortAbandons;
};

// Raw counts; every ratio is derived from them (see the functions below).
struct QueueCounts {
  std::int64_t offered = 0;
  std::int64_t answered = 0;
  std::int64_t answered_within_sl = 0;
  std::int64_t abandoned = 0;
  std::int64_t abandoned_within_sl = 0;
  std::int64_t short_abandoned = 0;
  std::int64_t overflowed = 0;
  std::int64_t refused = 0;  // turned away (a full queue, ...) before entering
  std::int64_t removed = 0;  // taken out of the queue by the host or the IVR
  std::int64_t handled = 0;  // conversations completed
  std::int64_t transfers = 0;      // sent on to a queue, an agent or a number
  std::int64_t holds = 0;          // times a caller was put on hold (a consultation holds too)
  std::int64_t consultations = 0;
  std::int64_t conferences = 0;
  DurationMs answer_wait_ms = 0;   // sum over answered
  DurationMs abandon_wait_ms = 0;  // sum over abandoned
  DurationMs longest_wait_ms = 0;  // longest wait of an answered or abandoned contact
  DurationMs talk_ms = 0;  // connected, not on hold (consultations and conferences count)
  DurationMs hold_ms = 0;  // the caller on hold, counted when the conversation completes
  DurationMs wrap_ms = 0;
  std::map<std::string, std::int64_t, std::less<>> wrap_up_codes;  // disposition → calls
  // Contacts that raised an issue (at least one ticket) and were judged when
  // their wrap-up ended: first-contact resolution's denominator.
  std::int64_t issue_contacts = 0;
  std::int64_t resolutions = 0;  // of those, contacts whose issue was resolved
  std::int64_t first_contact_resolutions = 0;
  std::int64_t csat_responses = 0;
  std::int64_t csat_top_box = 0;  // scores 4 and 5
  double csat_sum = 0;

  QueueCounts& operator+=(const QueueCounts& o);
};

struct AgentCounts {
  std::int64_t answered = 0;
  std::int64_t missed = 0;
  std::int64_t handled = 0;
  std::int64_t transfers = 0;
  std::int64_t holds = 0;
  std::int64_t consultations = 0;
  std::int64_t conferences = 0;
  DurationMs talk_ms = 0;
  DurationMs hold_ms = 0;
  DurationMs wrap_ms = 0;
  std::map<std::string, std::int64_t, std::less<>> wrap_up_codes;
  DurationMs available_ms = 0;  // logged in, free, waiting for work
  DurationMs not_ready_ms = 0;
  DurationMs reserved_ms = 0;  // ringing
  DurationMs busy_ms = 0;      // in the busy state (talk + hold as states)
  DurationMs wrap_state_ms = 0;
  DurationMs logged_in_ms = 0;
  std::int64_t csat_responses = 0;  // post-call surveys rating this agent's calls
  std::int64_t csat_top_box = 0;    // scores 4 and 5
  double csat_sum = 0;

  AgentCounts& operator+=(const AgentCounts& o);
};

// Calls into the center, whatever the queue: how many ended in the IVR
// without becoming a queued contact (self-service).
struct CallCounts {
  std::int64_t calls = 0;        // calls that entered the engine
  std::int64_t self_served = 0;  // of those, calls that ended without reaching a queue

  CallCounts& operator+=(const CallCounts& o) {
    calls += o.calls;
    self_served += o.self_served;
    return *this;
  }
};

// The ratios, from counts. Each returns 0 when its denominator is 0.
double service_level(const QueueCounts& c, ServiceLevelFormula formula);
double average_speed_of_answer_ms(const QueueCounts& c);
double average_time_to_abandon_ms(const QueueCounts& c);
double average_handle_time_ms(const QueueCounts& c);  // (talk + hold + wrap) / handled
double average_handle_time_ms(const AgentCounts& c);
// The parts of AHT, each per handled conversation: they add up to it.
double average_talk_ms(const QueueCounts& c);
double average_hold_ms(const QueueCounts& c);
double average_wrap_ms(const QueueCounts& c);
double average_talk_ms(const AgentCounts& c);
double average_hold_ms(const AgentCounts& c);
double average_wrap_ms(const AgentCounts& c);
double abandonment_rate(const QueueCounts& c);        // abandoned / offered
double first_contact_resolution(const QueueCounts& c);
double csat_top_box(const QueueCounts& c);
double csat_top_box(const AgentCounts& c);
double csat_mean(const QueueCounts& c);  // csat_sum / csat_responses
double csat_mean(const AgentCounts& c);
double occupancy(const AgentCounts& c);  // handling / (handling + available)
double busy_rate(const QueueCounts& c);  // refused / (offered + refused)
double self_service_share(const CallCounts& c);  // self_served / calls

// Agent activity as the collector sees it (mirrors routing::AgentState).
enum class Activity : std::uint8_t { kLoggedOut, kAvailable, kNotReady, kReserved, kBusy, kWrapUp };

class KpiCollector {
 public:
  explicit KpiCollector(KpiOptions options = {});

  const KpiOptions& options() const noexcept { return options_; }

  // Each queue's service level is defined by its own threshold: answers and
  // abandons from now on are measured against `threshold` for `queue`.
  // Queues never given one, or given a negative one, use
  // options().service_level_ms.
  void set_service_level(std::string_view queue, DurationMs threshold);
  DurationMs service_level_ms(std::string_view queue) const;

  // A contact's outcome (answered, abandoned, overflowed, removed) is
  // counted in the interval it arrived in, `waited` before `at`, as Asterisk
  // and Genesys report: an interval's offered contacts and their outcomes
  // are the same contacts, so it never answers more than it was offered.
  // Handle time, transfers and the rest are counted when they happen.
  void contact_offered(std::string_view queue, TimeMs at);
  void contact_answered(std::string_view queue, std::string_view agent, TimeMs at,
                        DurationMs waited);
  void contact_abandoned(std::string_view queue, TimeMs at, DurationMs waited);
  void contact_overflowed(std::string_view queue, TimeMs at, DurationMs waited = 0);
  void contact_refused(std::string_view queue, TimeMs at);
  void contact_removed(std::string_view queue, TimeMs at, DurationMs waited = 0);
  void offer_missed(std::string_view agent, TimeMs at);
  void contact_completed(std::string_view queue, std::string_view agent, TimeMs at,
                         DurationMs talk, DurationMs hold);
  void wrap_up_ended(std::string_view queue, std::string_view agent, TimeMs at, DurationMs wrap);
  void transferred(std::string_view queue, std::string_view agent, TimeMs at);
  // Live call control: the caller was put on hold (a consultation holds the
  // caller too), a consultation or a conference began, the agent gave the
  // call a disposition. Hold time arrives with contact_completed.
  void held(std::string_view queue, std::string_view agent, TimeMs at);
  void consulted(std::string_view queue, std::string_view agent, TimeMs at);
  void conferenced(std::string_view queue, std::string_view agent, TimeMs at);
  void wrap_up_coded(std::string_view queue, std::string_view agent, std::string_view code,
                     TimeMs at);
  // A contact that raised an issue was judged (first-contact resolution's
  // denominator), and its issue was or was not resolved.
  void issue_contact(std::string_view queue, TimeMs at);
  void ticket_resolved(std::string_view queue, bool first_contact, TimeMs at);
  void satisfaction(std::string_view queue, int score, TimeMs at);
  // A score for a call `agent` handled: counted for the queue and the agent.
  void satisfaction(std::string_view queue, std::string_view agent, int score, TimeMs at);
  // A call entered the center at `at`; a call that started at `started`
  // ended in the IVR, never queued. Both count in the interval it started in.
  void call_started(TimeMs at);
  void call_self_served(TimeMs started);
  // Time in each activity is split across interval boundaries.
  void agent_activity(std::string_view agent, Activity to, TimeMs at);
  // Closes open activity periods up to `now` so totals are current. Its
  // cost does not depend on how far `now` is past the last fact: whole
  // intervals spent in one activity are kept as one run, and a logged-out
  // agent's intervals are not kept at all.
  void flush(TimeMs now);

  // Per interval: start time → counts, in time order.
  const std::map<TimeMs, QueueCounts>& queue_intervals(std::string_view queue) const;
  // Lists every interval the agent was logged in for, one entry each, so
  // its cost grows with the span covered; the two calls below do not.
  const std::map<TimeMs, AgentCounts>& agent_intervals(std::string_view agent) const;
  // The agent's counts in the interval starting at `start`.
  AgentCounts agent_interval(std::string_view agent, TimeMs start) const;
  // Calls per interval start, all queues together.
  const std::map<TimeMs, CallCounts>& call_intervals() const noexcept { return calls_; }
  QueueCounts queue_total(std::string_view queue) const;
  QueueCounts all_queues_total() const;
  AgentCounts agent_total(std::string_view agent) const;
  std::vector<std::string> queues() const;
  std::vector<std::string> agents() const;
  TimeMs interval_start(TimeMs t) const noexcept;

 private:
  // Facts arrive in time order, so most land in the interval the one before
  // them did: each series keeps that interval at hand.
  template <typename Counts>
  struct Series {
    std::map<TimeMs, Counts>* intervals = nullptr;
    Counts* last = nullptr;
    TimeMs last_start = 0;
    Counts& at(TimeMs start) {
      if (!last || last_start != start) {
        last = &(*intervals)[start];
        last_start = start;
      }
      return *last;
    }
    // The counts of the interval holding `t`; `start_of` finds its start
    // when `t` is not in the interval at hand (which spares a division).
    template <typename StartOf>
    Counts& holding(TimeMs t, DurationMs interval, StartOf start_of) {
      // Unsigned: the distance between two times may not fit in an int64.
      if (last && t >= last_start &&
          static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(last_start) <
              static_cast<std::uint64_t>(interval)) {
        return *last;
      }
      return at(start_of(t));
    }
  };
  // `intervals` consecutive whole intervals from `first`, spent wholly in
  // `activity`: a gap between facts accrues in one step, however long.
  struct SteadyRun {
    TimeMs first = 0;
    std::uint64_t intervals = 0;
    Activity activity = Activity::kLoggedOut;
  };
  struct AgentTrack {
    // Both are mutable because listing the intervals spells the runs out
    // into the map (see agent_intervals).
    mutable std::map<TimeMs, AgentCounts> intervals;
    mutable std::vector<SteadyRun> runs;
    Activity activity = Activity::kLoggedOut;
    TimeMs since = 0;
  };
  struct AgentEntry {
    AgentTrack* track;
    Series<AgentCounts> series;
  };
  static constexpr DurationMs kNoThreshold = -1;
  struct QueueTrack {
    std::map<TimeMs, QueueCounts> intervals;
    DurationMs service_level_ms = kNoThreshold;  // negative: the options' one
  };
  struct QueueEntry {
    QueueTrack* track;
    Series<QueueCounts> series;
  };

 public:
  KpiCollector(const KpiCollector& other);
  KpiCollector& operator=(const KpiCollector& other);
  KpiCollector(KpiCollector&&) noexcept = default;
  KpiCollector& operator=(KpiCollector&&) noexcept = default;
  ~KpiCollector() = default;

 private:
  QueueEntry& queue_entry(std::string_view queue);
  DurationMs threshold_of(const QueueTrack& track) const noexcept;
  static TimeMs arrival(TimeMs at, DurationMs waited) noexcept;
  AgentEntry& agent_entry(std::string_view agent, bool* created = nullptr);
  QueueCounts& queue_at(std::string_view queue, TimeMs at);
  QueueCounts& queue_at(QueueEntry& entry, TimeMs at);
  AgentCounts& agent_at(std::string_view agent, TimeMs at);
  void account(AgentTrack& track, Series<AgentCounts>& series, TimeMs until);
  void add_run(AgentTrack& track, TimeMs first, std::uint64_t intervals) const;
  void spell_out_runs(const AgentTrack& track) const;
  void reindex();

  KpiOptions options_;
  std::map<std::string, QueueTrack, std::less<>> queues_;
  std::map<std::string, AgentTrack, std::less<>> agents_;
  std::map<TimeMs, CallCounts> calls_;
  // Hashed views of the two maps above: the keys view the maps' own keys and
  // the entries point at their nodes, which never move.
  ViewMap<QueueEntry> queue_index_;
  ViewMap<AgentEntry> agent_index_;
};

}  // namespace hotline::metrics
