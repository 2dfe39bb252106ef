// Read-only views: snapshots of agents, queues and contacts for supervisors
// and IVRs, the O(1) queue load, positions and expected waits.
#include <algorithm>
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

int Router::Impl::position_of(const ContactRecord& c) const {
  if (c.state != ContactState::kWaiting) return 0;
  const QueueRecord& q = queues[c.queue];
  int ahead = 0;
  for (const auto& set : q.waiting_by_ring) {
    for (const ContactKey& k : set) {
      if (!(k < c.key)) break;
      ++ahead;
    }
  }
  return ahead + 1;
}

DurationMs Router::Impl::expected_wait(const QueueRecord& q) const {
  // Asterisk announces the moving average of recent hold times. Before the
  // first answer there is no history, and no handle time to estimate from.
  return q.ewma_wait_ms >= 0 ? q.ewma_wait_ms : 0;
}

bool Router::waiting_heads_match_for_testing() const noexcept {
  for (const QueueRecord& q : impl_->queues) {
    for (int r = 0; r < QueueFields::kWaitingHeads; ++r) {
      const ContactKey& head = q.waiting_heads[static_cast<std::size_t>(r)];
      if (static_cast<std::size_t>(r) >= q.waiting_by_ring.size() ||
          q.waiting_by_ring[static_cast<std::size_t>(r)].empty()) {
        if (head.record) return false;
        continue;
      }
      const ContactKey& first = *q.waiting_by_ring[static_cast<std::size_t>(r)].begin();
      if (head.neg_priority != first.neg_priority || head.enqueued_at != first.enqueued_at ||
          head.seq != first.seq || head.judged_by_key != first.judged_by_key ||
          head.record != first.record) {
        return false;
      }
    }
  }
  return true;
}

bool Router::queue_copies_match_for_testing() const noexcept {
  for (std::size_t qi = 0; qi < impl_->queues.size(); ++qi) {
    const QueueRecord& q = impl_->queues[qi];
    const QueueConfig& c = q.config;
    const TimeMs ring_one = q.rings.size() > 1 ? q.rings[1].starts_at : kNever;
    if (q.channel != c.channel || q.strategy != c.strategy ||
        q.last_agent_routing != (c.last_agent_wait_ms > 0) || q.max_length != c.max_length ||
        q.max_wait_ms != c.max_wait_ms || q.offer_timeout_ms != c.offer_timeout_ms ||
        q.ring_one_starts_at != ring_one || impl_->staffing[qi].channel != c.channel) {
      return false;
    }
  }
  return true;
}

std::string_view Router::contact_external_id(ContactId contact) const noexcept {
  const ContactRecord* found = impl_->contacts.find(contact);
  return found ? std::string_view(found->spec.external_id) : std::string_view();
}

std::optional<ContactId> Router::reservation_contact(ReservationId reservation) const noexcept {
  const Reservation* r = impl_->reservations.find(reservation);
  if (!r) return std::nullopt;
  return r->contact;
}

Result<AgentSnapshot> Router::agent_snapshot(std::string_view agent_id) const {
  auto ai = impl_->lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  const AgentRecord& a = impl_->agents[*ai];
  AgentSnapshot snap;
  snap.id = a.id;
  snap.name = std::string(a.view.find("name")->as_string());
  snap.state = a.state;
  snap.state_since = a.state_since;
  if (a.rest) snap.not_ready_reason = a.rest->not_ready_reason;
  snap.active = a.active;
  snap.consecutive_no_answer = a.consecutive_no_answer;
  snap.offered = a.offered;
  snap.answered = a.answered;
  snap.missed = a.missed;
  snap.contacts_today = a.contacts_today;
  snap.talk_ms_today = a.talk_ms_today;
  return snap;
}

Result<QueueSnapshot> Router::queue_snapshot(std::string_view queue_id, TimeMs now) const {
  const Impl& s = *impl_;
  auto qi = s.lookup_queue(queue_id);
  if (!qi) return std::move(qi).error();
  const QueueRecord& q = s.queues[*qi];
  QueueSnapshot snap;
  snap.id = q.config.id;
  snap.waiting = static_cast<int>(q.waiting_by_age.size());
  snap.longest_wait_ms = q.waiting_by_age.empty() ? 0 : now - q.waiting_by_age.begin()->since;
  snap.agents_logged_in = s.staffing[*qi].logged_in;
  snap.agents_available = s.staffing[*qi].free_agents;
  for (AgentIndex ai : q.members) {
    const AgentRecord& a = s.agents[ai];
    const int holding = a.connected_now + a.offered_now + a.wrapping_now;
    if (a.presence != AgentState::kLoggedOut && holding > 0) {
      ++snap.agents_busy;
    }
  }
  snap.expected_wait_ms = s.expected_wait(q);
  return snap;
}

std::optional<DurationMs> Router::service_level_ms(std::string_view queue_id) const noexcept {
  const QueueIndex* qi = impl_->queue_by_id.find(queue_id);
  if (!qi) return std::nullopt;
  return impl_->queues[*qi].config.service_level_ms;
}

Result<QueueLoad> Router::queue_load(std::string_view queue_id) const {
  const Impl& s = *impl_;
  auto qi = s.lookup_queue(queue_id);
  if (!qi) return std::move(qi).error();
  const QueueRecord& q = s.queues[*qi];
  QueueLoad load;
  load.waiting = static_cast<int>(q.waiting_by_age.size());
  load.agents_logged_in = s.staffing[*qi].logged_in;
  load.agents_available = s.staffing[*qi].free_agents;
  load.expected_wait_ms = s.expected_wait(q);
  return load;
}

Result<ContactSnapshot> Router::contact_snapshot(ContactId contact) const {
  const Impl& s = *impl_;
  const ContactRecord* found = s.contacts.find(contact);
  if (!found) return not_found("contact", std::to_string(contact));
  const ContactRecord& c = *found;
  ContactSnapshot snap;
  snap.id = c.id;
  snap.external_id = c.spec.external_id;
  snap.queue_id = s.queues[c.queue].config.id;
  snap.state = c.state;
  snap.ring = c.ring;
  snap.position = c.ring < 0 ? 0 : s.position_of(c);
  snap.enqueued_at = c.key.enqueued_at;
  if (c.agent != kNoIndex) snap.agent_id = s.agents[c.agent].id;
  return snap;
}

std::vector<std::string> Router::queue_ids() const {
  std::vector<std::string> ids;
  for (const auto& q : impl_->queues) {
    if (q.alive) ids.push_back(q.config.id);
  }
  return ids;
}

std::vector<std::string> Router::agent_ids() const {
  std::vector<std::string> ids;
  for (const auto& a : impl_->agents) {
    if (a.alive) ids.push_back(a.id);
  }
  return ids;
}

}  // namespace hotline::routing
