#include "hotline/engine/kpi_feed.hpp"

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

}  // namespace

void KpiFeed::on(const Notification& n) {
  if (n.kind == Notification::Kind::kContactRefused) {
    kpi_.contact_refused(n.queue_id, n.time);
    return;
  }
  if (n.kind == Notification::Kind::kTransferred) {
    kpi_.transferred(n.queue_id, n.agent_id, n.time);
    return;
  }
  if (n.kind != Notification::Kind::kRouting) return;
  using K = routing::Output::Kind;
  switch (n.routing) {
    case K::kContactQueued: kpi_.contact_offered(n.queue_id, n.time); break;
    case K::kOfferAccepted: kpi_.contact_answered(n.queue_id, n.agent_id, n.time, n.value); break;
    case K::kContactAbandoned: kpi_.contact_abandoned(n.queue_id, n.time, n.value); break;
    case K::kQueueOverflow: kpi_.contact_overflowed(n.queue_id, n.time); break;
    case K::kOfferTimedOut:
    case K::kOfferRejected: kpi_.offer_missed(n.agent_id, n.time); break;
    case K::kContactCompleted:
      kpi_.contact_completed(n.queue_id, n.agent_id, n.time, n.value, 0);
      if (n.contact != 0) completed_at_[n.contact] = n.time;
      break;
    case K::kWrapUpEnded: {
      if (const TimeMs* talk_end = completed_at_.find(n.contact)) {
        kpi_.wrap_up_ended(n.queue_id, n.agent_id, n.time, n.time - *talk_end);
        completed_at_.erase(n.contact);
      }
      break;
    }
    case K::kAgentStateChanged: kpi_.agent_activity(n.agent_id, activity(n.to), n.time); break;
    default: break;
  }
}

}  // namespace hotline::engine
