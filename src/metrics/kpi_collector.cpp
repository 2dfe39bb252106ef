#include <algorithm>

#include "hotline/metrics/kpi.hpp"

namespace hotline::metrics {

QueueCounts& QueueCounts::operator+=(const QueueCounts& o) {
  offered += o.offered;
  answered += o.answered;
  answered_within_sl += o.answered_within_sl;
  abandoned += o.abandoned;
  abandoned_within_sl += o.abandoned_within_sl;
  short_abandoned += o.short_abandoned;
  overflowed += o.overflowed;
  refused += o.refused;
  handled += o.handled;
  transfers += o.transfers;
  answer_wait_ms += o.answer_wait_ms;
  abandon_wait_ms += o.abandon_wait_ms;
  longest_wait_ms = std::max(longest_wait_ms, o.longest_wait_ms);
  talk_ms += o.talk_ms;
  hold_ms += o.hold_ms;
  wrap_ms += o.wrap_ms;
  resolutions += o.resolutions;
  first_contact_resolutions += o.first_contact_resolutions;
  csat_responses += o.csat_responses;
  csat_top_box += o.csat_top_box;
  csat_sum += o.csat_sum;
  return *this;
}

AgentCounts& AgentCounts::operator+=(const AgentCounts& o) {
  answered += o.answered;
  missed += o.missed;
  handled += o.handled;
  transfers += o.transfers;
  talk_ms += o.talk_ms;
  hold_ms += o.hold_ms;
  wrap_ms += o.wrap_ms;
  available_ms += o.available_ms;
  not_ready_ms += o.not_ready_ms;
  reserved_ms += o.reserved_ms;
  busy_ms += o.busy_ms;
  wrap_state_ms += o.wrap_state_ms;
  logged_in_ms += o.logged_in_ms;
  return *this;
}

namespace {
double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }
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

double average_handle_time_ms(const QueueCounts& c) {
  return ratio(static_cast<double>(c.talk_ms + c.hold_ms + c.wrap_ms),
               static_cast<double>(c.handled));
}

double abandonment_rate(const QueueCounts& c) {
  return ratio(static_cast<double>(c.abandoned), static_cast<double>(c.offered));
}

double first_contact_resolution(const QueueCounts& c) {
  return ratio(static_cast<double>(c.first_contact_resolutions),
               static_cast<double>(c.resolutions));
}

double csat_top_box(const QueueCounts& c) {
  return ratio(static_cast<double>(c.csat_top_box), static_cast<double>(c.csat_responses));
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
  TimeMs start = (t / i) * i;
  if (start > t) start -= i;  // negative times round down too
  return start;
}

KpiCollector::KpiCollector(const KpiCollector& other)
    : options_(other.options_), queues_(other.queues_), agents_(other.agents_) {
  reindex();
}

KpiCollector& KpiCollector::operator=(const KpiCollector& other) {
  if (this == &other) return *this;
  options_ = other.options_;
  queues_ = other.queues_;
  agents_ = other.agents_;
  reindex();
  return *this;
}

void KpiCollector::reindex() {
  queue_index_.clear();
  agent_index_.clear();
  for (auto& [id, intervals] : queues_) queue_index_.insert(id, Series<QueueCounts>{&intervals});
  for (auto& [id, track] : agents_) {
    agent_index_.insert(id, AgentEntry{&track, Series<AgentCounts>{&track.intervals}});
  }
}

KpiCollector::Series<QueueCounts>& KpiCollector::queue_series(std::string_view queue) {
  if (Series<QueueCounts>* s = queue_index_.find(queue)) return *s;
  auto q = queues_.emplace(std::string(queue), std::map<TimeMs, QueueCounts>{}).first;
  return queue_index_.insert(q->first, Series<QueueCounts>{&q->second});
}

KpiCollector::AgentEntry& KpiCollector::agent_entry(std::string_view agent, bool* created) {
  if (AgentEntry* e = agent_index_.find(agent)) return *e;
  if (created) *created = true;
  auto a = agents_.emplace(std::string(agent), AgentTrack{}).first;
  AgentEntry e{&a->second, Series<AgentCounts>{&a->second.intervals}};
  return agent_index_.insert(a->first, e);
}

QueueCounts& KpiCollector::queue_at(std::string_view queue, TimeMs at) {
  return queue_series(queue).holding(at, options_.interval_ms,
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
  QueueCounts& q = queue_at(queue, at);
  ++q.answered;
  if (waited <= options_.service_level_ms) ++q.answered_within_sl;
  q.answer_wait_ms += waited;
  q.longest_wait_ms = std::max(q.longest_wait_ms, waited);
  if (!agent.empty()) ++agent_at(agent, at).answered;
}

void KpiCollector::contact_abandoned(std::string_view queue, TimeMs at, DurationMs waited) {
  QueueCounts& q = queue_at(queue, at);
  ++q.abandoned;
  if (waited <= options_.service_level_ms) ++q.abandoned_within_sl;
  if (waited <= options_.short_abandon_ms) ++q.short_abandoned;
  q.abandon_wait_ms += waited;
  q.longest_wait_ms = std::max(q.longest_wait_ms, waited);
}

void KpiCollector::contact_overflowed(std::string_view queue, TimeMs at) {
  ++queue_at(queue, at).overflowed;
}

void KpiCollector::contact_refused(std::string_view queue, TimeMs at) {
  ++queue_at(queue, at).refused;
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

void KpiCollector::account(AgentTrack& track, Series<AgentCounts>& series, TimeMs until) {
  // Split [since, until) at interval boundaries and add it to each interval.
  TimeMs t = track.since;
  while (t < until) {
    AgentCounts& a =
        series.holding(t, options_.interval_ms, [this](TimeMs x) { return interval_start(x); });
    const TimeMs end = std::min(until, add_saturating(series.last_start, options_.interval_ms));
    const DurationMs d = end - t;
    switch (track.activity) {
      case Activity::kLoggedOut: break;
      case Activity::kAvailable: a.available_ms += d; break;
      case Activity::kNotReady: a.not_ready_ms += d; break;
      case Activity::kReserved: a.reserved_ms += d; break;
      case Activity::kBusy: a.busy_ms += d; break;
      case Activity::kWrapUp: a.wrap_state_ms += d; break;
    }
    if (track.activity != Activity::kLoggedOut) a.logged_in_ms += d;
    t = end;
  }
  track.since = std::max(track.since, until);
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
  auto it = queues_.find(std::string(queue));
  return it == queues_.end() ? kEmpty : it->second;
}

const std::map<TimeMs, AgentCounts>& KpiCollector::agent_intervals(std::string_view agent) const {
  static const std::map<TimeMs, AgentCounts> kEmpty;
  auto it = agents_.find(std::string(agent));
  return it == agents_.end() ? kEmpty : it->second.intervals;
}

QueueCounts KpiCollector::queue_total(std::string_view queue) const {
  QueueCounts total;
  for (const auto& [t, c] : queue_intervals(queue)) total += c;
  return total;
}

QueueCounts KpiCollector::all_queues_total() const {
  QueueCounts total;
  for (const auto& [id, intervals] : queues_) {
    for (const auto& [t, c] : intervals) total += c;
  }
  return total;
}

AgentCounts KpiCollector::agent_total(std::string_view agent) const {
  AgentCounts total;
  for (const auto& [t, c] : agent_intervals(agent)) total += c;
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
