#include <algorithm>

#include "hotline/metrics/kpi.hpp"

namespace hotline::metrics {
namespace {

using CodeCounts = std::map<std::string, std::int64_t, std::less<>>;

void add_codes(CodeCounts& to, const CodeCounts& from) {
  for (const auto& [code, n] : from) to[code] += n;
}

void count_code(CodeCounts& codes, std::string_view code) {
  auto it = codes.find(code);
  if (it == codes.end()) it = codes.emplace(std::string(code), 0).first;
  ++it->second;
}

}  // namespace

QueueCounts& QueueCounts::operator+=(const QueueCounts& o) {
  offered += o.offered;
  answered += o.answered;
  answered_within_sl += o.answered_within_sl;
  abandoned += o.abandoned;
  abandoned_within_sl += o.abandoned_within_sl;
  short_abandoned += o.short_abandoned;
  overflowed += o.overflowed;
  refused += o.refused;
  removed += o.removed;
  handled += o.handled;
  transfers += o.transfers;
  holds += o.holds;
  consultations += o.consultations;
  conferences += o.conferences;
  add_codes(wrap_up_codes, o.wrap_up_codes);
  answer_wait_ms += o.answer_wait_ms;
  abandon_wait_ms += o.abandon_wait_ms;
  longest_wait_ms = std::max(longest_wait_ms, o.longest_wait_ms);
  talk_ms += o.talk_ms;
  hold_ms += o.hold_ms;
  wrap_ms += o.wrap_ms;
  issue_contacts += o.issue_contacts;
  resolutions += o.resolutions;
  first_contact_resolutions += o.first_contact_resolutions;
  csat_responses += o.csat_responses;
  csat_top_box += o.csat_top_box;
  csat_sum += o.csat_sum;
  return *this;
}

AgentCounts& AgentCounts::operator+=(const AgentCounts& o) {
  // State times add up over spans as long as the clock's range: held at
  // its end rather than overflowing.
  answered += o.answered;
  missed += o.missed;
  handled += o.handled;
  transfers += o.transfers;
  holds += o.holds;
  consultations += o.consultations;
  conferences += o.conferences;
  add_codes(wrap_up_codes, o.wrap_up_codes);
  talk_ms = add_saturating(talk_ms, o.talk_ms);
  hold_ms = add_saturating(hold_ms, o.hold_ms);
  wrap_ms = add_saturating(wrap_ms, o.wrap_ms);
  available_ms = add_saturating(available_ms, o.available_ms);
  not_ready_ms = add_saturating(not_ready_ms, o.not_ready_ms);
  reserved_ms = add_saturating(reserved_ms, o.reserved_ms);
  busy_ms = add_saturating(busy_ms, o.busy_ms);
  wrap_state_ms = add_saturating(wrap_state_ms, o.wrap_state_ms);
  logged_in_ms = add_saturating(logged_in_ms, o.logged_in_ms);
  csat_responses += o.csat_responses;
  csat_top_box += o.csat_top_box;
  csat_sum += o.csat_sum;
  return *this;
}

namespace {

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

template <typename Counts>
double handle_time_per_call(const Counts& c) {
  return ratio(static_cast<double>(c.talk_ms + c.hold_ms + c.wrap_ms),
               static_cast<double>(c.handled));
}

double per_handled(DurationMs total, std::int64_t handled) {
  return ratio(static_cast<double>(total), static_cast<double>(handled));
}

// `n` intervals of `step` ms, held at kNever instead of overflowing.
DurationMs span_of(std::uint64_t n, DurationMs step) {
  const auto max_n = static_cast<std::uint64_t>(kNever / step);
  return n > max_n ? kNever : static_cast<DurationMs>(n) * step;
}

// Adds `d` ms spent in `activity` to `a`.
void accrue(AgentCounts& a, Activity activity, DurationMs d) {
  switch (activity) {
    case Activity::kLoggedOut: return;
    case Activity::kAvailable: a.available_ms = add_saturating(a.available_ms, d); break;
    case Activity::kNotReady: a.not_ready_ms = add_saturating(a.not_ready_ms, d); break;
    case Activity::kReserved: a.reserved_ms = add_saturating(a.reserved_ms, d); break;
    case Activity::kBusy: a.busy_ms = add_saturating(a.busy_ms, d); break;
    case Activity::kWrapUp: a.wrap_state_ms = add_saturating(a.wrap_state_ms, d); break;
  }
  a.logged_in_ms = add_saturating(a.logged_in_ms, d);
}

}  // namespace

double service_level(const QueueCounts& c, ServiceLevelFormula formula) {
  const double within = static_cast<double>(c.answered_within_sl);
  switch (formula) {
    case ServiceLevelFormula::kOfferedLessShortAbandons:
      return ratio(within, static_cast<double>(c.offered - c.short_abandoned));
    case ServiceLevelFormula::kAnswered: return ratio(within, static_cast<double>(c.answered));
    case ServiceLevelFormula::kAnsweredAndAbandoned:
      return ratio(within, static_cast<double>(c.answered + c.abandoned));
    case ServiceLevelFormula::kCountAbandonsWithinT:
      return ratio(within + static_cast<double>(c.abandoned_within_sl),
                   static_cast<double>(c.answered + c.abandoned));
    case ServiceLevelFormula::kExcludeShortAbandons:
      return ratio(within, static_cast<double>(c.answered + c.abandoned - c.short_abandoned));
  }
  return 0;
}

double average_speed_of_answer_ms(const QueueCounts& c) {
  return ratio(static_cast<double>(c.answer_wait_ms), static_cast<double>(c.answered));
}

double average_time_to_abandon_ms(const QueueCounts& c) {
  return ratio(static_cast<double>(c.abandon_wait_ms), static_cast<double>(c.abandoned));
}

double average_handle_time_ms(const QueueCounts& c) { return handle_time_per_call(c); }

double average_handle_time_ms(const AgentCounts& c) { return handle_time_per_call(c); }
double average_talk_ms(const QueueCounts& c) { return per_handled(c.talk_ms, c.handled); }
double average_hold_ms(const QueueCounts& c) { return per_handled(c.hold_ms, c.handled); }
double average_wrap_ms(const QueueCounts& c) { return per_handled(c.wrap_ms, c.handled); }
double average_talk_ms(const AgentCounts& c) { return per_handled(c.talk_ms, c.handled); }
double average_hold_ms(const AgentCounts& c) { return per_handled(c.hold_ms, c.handled); }
double average_wrap_ms(const AgentCounts& c) { return per_handled(c.wrap_ms, c.handled); }

double abandonment_rate(const QueueCounts& c) {
  return ratio(static_cast<double>(c.abandoned), static_cast<double>(c.offered));
}

double first_contact_resolution(const QueueCounts& c) {
  // Over every contact that raised an issue, not over the resolved ones: a
  // call whose ticket stays open is a contact the customer may have to repeat.
  return ratio(static_cast<double>(c.first_contact_resolutions),
               static_cast<double>(c.issue_contacts));
}

double csat_top_box(const QueueCounts& c) {
  return ratio(static_cast<double>(c.csat_top_box), static_cast<double>(c.csat_responses));
}

double csat_top_box(const AgentCounts& c) {
  return ratio(static_cast<double>(c.csat_top_box), static_cast<double>(c.csat_responses));
}

double csat_mean(const QueueCounts& c) {
  return ratio(c.csat_sum, static_cast<double>(c.csat_responses));
}

double csat_mean(const AgentCounts& c) {
  return ratio(c.csat_sum, static_cast<double>(c.csat_responses));
}

double busy_rate(const QueueCounts& c) {
  return ratio(static_cast<double>(c.refused), static_cast<double>(c.offered + c.refused));
}

double self_service_share(const CallCounts& c) {
  return ratio(static_cast<double>(c.self_served), static_cast<double>(c.calls));
}

double occupancy(const AgentCounts& c) {
  // Handling is time in the reserved, busy and wrap-up states: the agent is
  // occupied by a contact whether it rings, talks or finishes up.
  const double handling = static_cast<double>(c.reserved_ms + c.busy_ms + c.wrap_state_ms);
  return ratio(handling, handling + static_cast<double>(c.available_ms));
}

KpiCollector::KpiCollector(KpiOptions options) : options_(options) {
  if (options_.interval_ms <= 0) options_.interval_ms = minutes(15);
}

TimeMs KpiCollector::interval_start(TimeMs t) const noexcept {
  const TimeMs i = options_.interval_ms;
  const TimeMs start = (t / i) * i;
  // Negative times round down too (held at the start of time).
  return start > t ? add_saturating(start, -i) : start;
}

TimeMs KpiCollector::arrival(TimeMs at, DurationMs waited) noexcept {
  // A wait longer than the clock's past is held at its start.
  return waited > 0 ? add_saturating(at, -waited) : at;
}

KpiCollector::KpiCollector(const KpiCollector& other)
    : options_(other.options_),
      queues_(other.queues_),
      agents_(other.agents_),
      calls_(other.calls_) {
  reindex();
}

KpiCollector& KpiCollector::operator=(const KpiCollector& other) {
  if (this == &other) return *this;
  options_ = other.options_;
  queues_ = other.queues_;
  agents_ = other.agents_;
  calls_ = other.calls_;
  reindex();
  return *this;
}

void KpiCollector::reindex() {
  queue_index_.clear();
  agent_index_.clear();
  for (auto& [id, track] : queues_) {
    queue_index_.insert(id, QueueEntry{&track, Series<QueueCounts>{&track.intervals}});
  }
  for (auto& [id, track] : agents_) {
    agent_index_.insert(id, AgentEntry{&track, Series<AgentCounts>{&track.intervals}});
  }
}

KpiCollector::QueueEntry& KpiCollector::queue_entry(std::string_view queue) {
  if (QueueEntry* e = queue_index_.find(queue)) return *e;
  auto q = queues_.emplace(std::string(queue), QueueTrack{}).first;
  QueueEntry e{&q->second, Series<QueueCounts>{&q->second.intervals}};
  return queue_index_.insert(q->first, e);
}

DurationMs KpiCollector::threshold_of(const QueueTrack& track) const noexcept {
  return track.service_level_ms < 0 ? options_.service_level_ms : track.service_level_ms;
}

void KpiCollector::set_service_level(std::string_view queue, DurationMs threshold) {
  queue_entry(queue).track->service_level_ms = threshold < 0 ? kNoThreshold : threshold;
}

DurationMs KpiCollector::service_level_ms(std::string_view queue) const {
  auto it = queues_.find(queue);
  return it == queues_.end() ? options_.service_level_ms : threshold_of(it->second);
}

KpiCollector::AgentEntry& KpiCollector::agent_entry(std::string_view agent, bool* created) {
  if (AgentEntry* e = agent_index_.find(agent)) return *e;
  if (created) *created = true;
  auto a = agents_.emplace(std::string(agent), AgentTrack{}).first;
  AgentEntry e{&a->second, Series<AgentCounts>{&a->second.intervals}};
  return agent_index_.insert(a->first, e);
}

QueueCounts& KpiCollector::queue_at(std::string_view queue, TimeMs at) {
  return queue_at(queue_entry(queue), at);
}

QueueCounts& KpiCollector::queue_at(QueueEntry& entry, TimeMs at) {
  return entry.series.holding(at, options_.interval_ms,
                              [this](TimeMs t) { return interval_start(t); });
}

AgentCounts& KpiCollector::agent_at(std::string_view agent, TimeMs at) {
  return agent_entry(agent).series.holding(at, options_.interval_ms,
                                          [this](TimeMs t) { return interval_start(t); });
}

void KpiCollector::contact_offered(std::string_view queue, TimeMs at) {
  ++queue_at(queue, at).offered;
}

void KpiCollector::contact_answered(std::string_view queue, std::string_view agent, TimeMs at,
                                    DurationMs waited) {
  QueueEntry& e = queue_entry(queue);
  QueueCounts& q = queue_at(e, arrival(at, waited));
  ++q.answered;
  if (waited <= threshold_of(*e.track)) ++q.answered_within_sl;
  q.answer_wait_ms += waited;
  q.longest_wait_ms = std::max(q.longest_wait_ms, waited);
  if (!agent.empty()) ++agent_at(agent, at).answered;
}

void KpiCollector::contact_abandoned(std::string_view queue, TimeMs at, DurationMs waited) {
  QueueEntry& e = queue_entry(queue);
  QueueCounts& q = queue_at(e, arrival(at, waited));
  ++q.abandoned;
  if (waited <= threshold_of(*e.track)) ++q.abandoned_within_sl;
  if (waited <= options_.short_abandon_ms) ++q.short_abandoned;
  q.abandon_wait_ms += waited;
  q.longest_wait_ms = std::max(q.longest_wait_ms, waited);
}

void KpiCollector::contact_overflowed(std::string_view queue, TimeMs at, DurationMs waited) {
  ++queue_at(queue, arrival(at, waited)).overflowed;
}

void KpiCollector::contact_refused(std::string_view queue, TimeMs at) {
  ++queue_at(queue, at).refused;
}

void KpiCollector::contact_removed(std::string_view queue, TimeMs at, DurationMs waited) {
  ++queue_at(queue, arrival(at, waited)).removed;
}

void KpiCollector::call_started(TimeMs at) { ++calls_[interval_start(at)].calls; }

void KpiCollector::call_self_served(TimeMs started) {
  ++calls_[interval_start(started)].self_served;
}

void KpiCollector::offer_missed(std::string_view agent, TimeMs at) { ++agent_at(agent, at).missed; }

void KpiCollector::contact_completed(std::string_view queue, std::string_view agent, TimeMs at,
                                     DurationMs talk, DurationMs hold) {
  QueueCounts& q = queue_at(queue, at);
  ++q.handled;
  q.talk_ms += talk;
  q.hold_ms += hold;
  if (!agent.empty()) {
    AgentCounts& a = agent_at(agent, at);
    ++a.handled;
    a.talk_ms += talk;
    a.hold_ms += hold;
  }
}

void KpiCollector::wrap_up_ended(std::string_view queue, std::string_view agent, TimeMs at,
                                 DurationMs wrap) {
  queue_at(queue, at).wrap_ms += wrap;
  if (!agent.empty()) agent_at(agent, at).wrap_ms += wrap;
}

void KpiCollector::transferred(std::string_view queue, std::string_view agent, TimeMs at) {
  ++queue_at(queue, at).transfers;
  if (!agent.empty()) ++agent_at(agent, at).transfers;
}

void KpiCollector::held(std::string_view queue, std::string_view agent, TimeMs at) {
  if (!queue.empty()) ++queue_at(queue, at).holds;
  if (!agent.empty()) ++agent_at(agent, at).holds;
}

void KpiCollector::consulted(std::string_view queue, std::string_view agent, TimeMs at) {
  if (!queue.empty()) ++queue_at(queue, at).consultations;
  if (!agent.empty()) ++agent_at(agent, at).consultations;
}

void KpiCollector::conferenced(std::string_view queue, std::string_view agent, TimeMs at) {
  if (!queue.empty()) ++queue_at(queue, at).conferences;
  if (!agent.empty()) ++agent_at(agent, at).conferences;
}

void KpiCollector::wrap_up_coded(std::string_view queue, std::string_view agent,
                                 std::string_view code, TimeMs at) {
  if (!queue.empty()) count_code(queue_at(queue, at).wrap_up_codes, code);
  if (!agent.empty()) count_code(agent_at(agent, at).wrap_up_codes, code);
}

void KpiCollector::issue_contact(std::string_view queue, TimeMs at) {
  ++queue_at(queue, at).issue_contacts;
}

void KpiCollector::ticket_resolved(std::string_view queue, bool first_contact, TimeMs at) {
  QueueCounts& q = queue_at(queue, at);
  ++q.resolutions;
  if (first_contact) ++q.first_contact_resolutions;
}

void KpiCollector::satisfaction(std::string_view queue, int score, TimeMs at) {
  if (score < 1 || score > 5) return;
  QueueCounts& q = queue_at(queue, at);
  ++q.csat_responses;
  q.csat_sum += score;
  if (score >= 4) ++q.csat_top_box;
}

void KpiCollector::satisfaction(std::string_view queue, std::string_view agent, int score,
                                TimeMs at) {
  if (score < 1 || score > 5) return;
  if (!queue.empty()) satisfaction(queue, score, at);
  if (agent.empty()) return;
  AgentCounts& a = agent_at(agent, at);
  ++a.csat_responses;
  a.csat_sum += score;
  if (score >= 4) ++a.csat_top_box;
}

void KpiCollector::account(AgentTrack& track, Series<AgentCounts>& series, TimeMs until) {
  // [since, until) in at most three steps: the rest of the interval holding
  // `since`, the whole intervals after it as one run, and the start of the
  // interval holding `until`. A logged-out agent accrues nothing, so its
  // intervals are skipped without being made.
  const TimeMs from = track.since;
  if (until <= from) return;
  track.since = until;
  if (track.activity == Activity::kLoggedOut) return;
  const DurationMs step = options_.interval_ms;
  const auto start_of = [this](TimeMs x) { return interval_start(x); };
  AgentCounts& head = series.holding(from, step, start_of);
  const TimeMs head_end = std::min(until, add_saturating(series.last_start, step));
  accrue(head, track.activity, head_end - from);
  if (head_end == until) return;
  // head_end is an interval boundary before `until`, so this is a whole
  // number of intervals (unsigned: it may span more than an int64 holds).
  const TimeMs tail_start = interval_start(until);
  const std::uint64_t whole =
      (static_cast<std::uint64_t>(tail_start) - static_cast<std::uint64_t>(head_end)) /
      static_cast<std::uint64_t>(step);
  if (whole > 0) add_run(track, head_end, whole);
  if (tail_start < until) accrue(series.at(tail_start), track.activity, until - tail_start);
}

void KpiCollector::add_run(AgentTrack& track, TimeMs first, std::uint64_t intervals) const {
  if (!track.runs.empty()) {
    SteadyRun& last = track.runs.back();
    const TimeMs last_end =
        add_saturating(last.first, span_of(last.intervals, options_.interval_ms));
    if (last.activity == track.activity && last_end == first) {
      last.intervals += intervals;
      return;
    }
  }
  track.runs.push_back(SteadyRun{first, intervals, track.activity});
}

void KpiCollector::spell_out_runs(const AgentTrack& track) const {
  for (const SteadyRun& run : track.runs) {
    TimeMs start = run.first;
    for (std::uint64_t n = 0; n < run.intervals; ++n) {
      accrue(track.intervals[start], run.activity, options_.interval_ms);
      start = add_saturating(start, options_.interval_ms);
    }
  }
  track.runs.clear();
}

void KpiCollector::agent_activity(std::string_view agent, Activity to, TimeMs at) {
  bool created = false;
  AgentEntry& e = agent_entry(agent, &created);
  if (created) e.track->since = at;
  account(*e.track, e.series, at);
  e.track->activity = to;
  e.track->since = at;
}

void KpiCollector::flush(TimeMs now) {
  agent_index_.for_each([&](std::string_view, AgentEntry& e) { account(*e.track, e.series, now); });
}

const std::map<TimeMs, QueueCounts>& KpiCollector::queue_intervals(std::string_view queue) const {
  static const std::map<TimeMs, QueueCounts> kEmpty;
  auto it = queues_.find(queue);
  return it == queues_.end() ? kEmpty : it->second.intervals;
}

const std::map<TimeMs, AgentCounts>& KpiCollector::agent_intervals(std::string_view agent) const {
  static const std::map<TimeMs, AgentCounts> kEmpty;
  auto it = agents_.find(agent);
  if (it == agents_.end()) return kEmpty;
  spell_out_runs(it->second);
  return it->second.intervals;
}

AgentCounts KpiCollector::agent_interval(std::string_view agent, TimeMs start) const {
  AgentCounts counts;
  auto it = agents_.find(agent);
  if (it == agents_.end()) return counts;
  const AgentTrack& track = it->second;
  if (auto found = track.intervals.find(start); found != track.intervals.end()) {
    counts = found->second;
  }
  const DurationMs step = options_.interval_ms;
  for (const SteadyRun& run : track.runs) {
    if (start < run.first) continue;
    // Unsigned: the distance between two times may not fit in an int64.
    const std::uint64_t distance =
        static_cast<std::uint64_t>(start) - static_cast<std::uint64_t>(run.first);
    const auto unsigned_step = static_cast<std::uint64_t>(step);
    if (distance % unsigned_step == 0 && distance / unsigned_step < run.intervals) {
      accrue(counts, run.activity, step);
    }
  }
  return counts;
}

QueueCounts KpiCollector::queue_total(std::string_view queue) const {
  QueueCounts total;
  for (const auto& [t, c] : queue_intervals(queue)) total += c;
  return total;
}

QueueCounts KpiCollector::all_queues_total() const {
  QueueCounts total;
  for (const auto& [id, track] : queues_) {
    for (const auto& [t, c] : track.intervals) total += c;
  }
  return total;
}

AgentCounts KpiCollector::agent_total(std::string_view agent) const {
  AgentCounts total;
  auto it = agents_.find(agent);
  if (it == agents_.end()) return total;
  for (const auto& [t, c] : it->second.intervals) total += c;
  for (const SteadyRun& run : it->second.runs) {
    accrue(total, run.activity, span_of(run.intervals, options_.interval_ms));
  }
  return total;
}

std::vector<std::string> KpiCollector::queues() const {
  std::vector<std::string> ids;
  for (const auto& [id, v] : queues_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::string> KpiCollector::agents() const {
  std::vector<std::string> ids;
  for (const auto& [id, v] : agents_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace hotline::metrics
