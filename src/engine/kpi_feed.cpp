#include "hotline/engine/kpi_feed.hpp"

#include <algorithm>

namespace hotline::engine {
namespace {

metrics::Activity activity(routing::AgentState s) {
  switch (s) {
    case routing::AgentState::kLoggedOut: return metrics::Activity::kLoggedOut;
    case routing::AgentState::kAvailable: return metrics::Activity::kAvailable;
    case routing::AgentState::kNotReady: return metrics::Activity::kNotReady;
    case routing::AgentState::kReserved: return metrics::Activity::kReserved;
    case routing::AgentState::kBusy: return metrics::Activity::kBusy;
    case routing::AgentState::kWrapUp: return metrics::Activity::kWrapUp;
  }
  return metrics::Activity::kLoggedOut;
}

// The caller hears neither the agent nor anyone else: held, or held while
// the agent consults.
bool caller_on_hold(std::string_view state) { return state == "held" || state == "consulting"; }

}  // namespace

void KpiFeed::on(const Notification& n) {
  // Most notifications are the router's (eight of the eleven of a call
  // through a menu to an agent): they are told apart first.
  if (n.kind == Notification::Kind::kRouting) {
    // The engine reports the router's refusals as its own kContactRefused
    // (below) and never forwards the router's.
    if (n.routing == routing::Output::Kind::kContactRefused) return;
    routing::Output o{n.routing};
    o.from = n.from;
    o.to = n.to;
    o.time = n.time;
    o.contact = n.contact;
    o.reservation = n.reservation;
    o.value = n.value;
    if (n.routing == routing::Output::Kind::kContactCompleted && !holds_.empty()) {
      // The router's talk runs from the answer to the end of the
      // conversation; the time on hold is its own part of the handle time.
      const DurationMs hold = std::min(hold_time_of(n.call_id, n.time), n.value);
      if (hold > 0) {
        kpi_.contact_completed(n.queue_id, n.agent_id, n.time, n.value - hold, hold);
        if (n.contact != 0) completed_at_[n.contact] = n.time;
        return;
      }
    }
    count(o, n.queue_id, n.agent_id);
    return;
  }
  if (n.kind == Notification::Kind::kCallStarted) {
    kpi_.call_started(n.time);
    // The first start counts; the entry is whole before the map places it.
    // Looked for once: placing it then hashes the id once more, not twice.
    if (!in_ivr_.contains(n.call_id)) in_ivr_.insert_absent(n.call_id, InIvr{n.call_id, n.time});
    return;
  }
  if (n.kind == Notification::Kind::kContactQueued) {
    in_ivr_.erase(n.call_id);
    return;
  }
  if (n.kind == Notification::Kind::kCallEnded) {
    if (const InIvr* started = in_ivr_.find(n.call_id)) {
      kpi_.call_self_served(started->since);
      in_ivr_.erase(n.call_id);
    }
    return;
  }
  if (n.kind == Notification::Kind::kContactRefused) {
    in_ivr_.erase(n.call_id);  // it asked for a queue: not served by the IVR
    kpi_.contact_refused(n.queue_id, n.time);
    return;
  }
  if (n.kind == Notification::Kind::kTransferred) {
    kpi_.transferred(n.queue_id, n.agent_id, n.time);
    return;
  }
  if (n.kind == Notification::Kind::kConversation) {
    conversation(n);
    return;
  }
  if (n.kind == Notification::Kind::kSurvey) {
    // Not rated (0) is no response: the collector counts 1 to 5 only.
    const int score = n.value >= 1 && n.value <= 5 ? static_cast<int>(n.value) : 0;
    kpi_.satisfaction(n.queue_id, n.agent_id, score, n.time);
    return;
  }
  if (n.kind == Notification::Kind::kWrapUpCode) {
    kpi_.wrap_up_coded(n.queue_id, n.agent_id, n.text, n.time);
    return;
  }
}

void KpiFeed::conversation(const Notification& n) {
  const bool on_hold = caller_on_hold(n.text);
  // Every bridged call is reported connected and then ended: with no call
  // followed, those cost no lookup.
  if (!on_hold && holds_.empty() && n.text != "conference") return;
  auto it = holds_.find(n.call_id);
  if (it == holds_.end()) {
    // Not followed yet: only the start of a first hold matters.
    if (on_hold) {
      holds_.emplace(n.call_id, CallOnHold{true, n.time, 0});
      kpi_.held(n.queue_id, n.agent_id, n.time);
    }
  } else if (it->second.holding && !on_hold) {
    it->second.holding = false;
    it->second.total += std::max<DurationMs>(0, n.time - it->second.since);
  } else if (!it->second.holding && on_hold) {
    it->second.holding = true;
    it->second.since = n.time;
    kpi_.held(n.queue_id, n.agent_id, n.time);
  }
  if (n.text == "consulting") kpi_.consulted(n.queue_id, n.agent_id, n.time);
  if (n.text == "conference") kpi_.conferenced(n.queue_id, n.agent_id, n.time);
  // A conversation that ended on hold (the caller hung up while held) keeps
  // its hold time until its contact completes; one that never held is gone.
  if (n.text == "ended" && it != holds_.end() && it->second.total == 0) holds_.erase(it);
}

DurationMs KpiFeed::hold_time_of(const std::string& call_id, TimeMs at) {
  auto it = holds_.find(call_id);
  if (it == holds_.end()) return 0;
  DurationMs total = it->second.total;
  if (it->second.holding) total += std::max<DurationMs>(0, at - it->second.since);
  holds_.erase(it);
  return total;
}

void KpiFeed::on(const routing::Output& o) {
  static const std::string kNone;
  const std::string& agent = o.agent != routing::kNoIndex ? router_.agent_id(o.agent) : kNone;
  const std::string& queue = o.queue != routing::kNoIndex ? router_.queue_id(o.queue) : kNone;
  count(o, queue, agent);
}

void KpiFeed::tell_threshold(std::string_view queue) {
  // Read at each answer and abandon, so a queue whose threshold is changed
  // by a new configuration is measured by the new one from then on.
  if (auto threshold = router_.service_level_ms(queue)) kpi_.set_service_level(queue, *threshold);
}

void KpiFeed::count(const routing::Output& o, std::string_view queue, std::string_view agent) {
  using K = routing::Output::Kind;
  switch (o.kind) {
    case K::kContactQueued: kpi_.contact_offered(queue, o.time); break;
    case K::kContactRefused: kpi_.contact_refused(queue, o.time); break;
    case K::kOfferAccepted:  // value: the wait
      tell_threshold(queue);
      kpi_.contact_answered(queue, agent, o.time, o.value);
      break;
    case K::kContactAbandoned:  // value: the wait
      tell_threshold(queue);
      kpi_.contact_abandoned(queue, o.time, o.value);
      break;
    case K::kContactRemoved: kpi_.contact_removed(queue, o.time, o.value); break;  // the wait
    case K::kQueueOverflow: kpi_.contact_overflowed(queue, o.time, o.value); break;  // the wait
    case K::kOfferTimedOut:
    case K::kOfferRejected: kpi_.offer_missed(agent, o.time); break;
    case K::kContactCompleted:  // value: the talk
      kpi_.contact_completed(queue, agent, o.time, o.value, 0);
      if (o.contact != 0) completed_at_[o.contact] = o.time;
      break;
    case K::kWrapUpEnded: {
      if (const TimeMs* talk_end = completed_at_.find(o.contact)) {
        kpi_.wrap_up_ended(queue, agent, o.time, o.time - *talk_end);
        completed_at_.erase(o.contact);
      }
      break;
    }
    case K::kAgentStateChanged: kpi_.agent_activity(agent, activity(o.to), o.time); break;
    default: break;
  }
}

}  // namespace hotline::engine
