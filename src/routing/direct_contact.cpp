// Contacts that reach a named agent without waiting or ringing: the
// engine's consultations (the consulted agent is busy with the call from the
// moment the engine dials them, so nothing else is offered to them) and the
// configuration lookups call control reads; and the count of a call an
// agent takes over from another.
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

const QueueConfig* Router::queue_config(std::string_view queue_id) const noexcept {
  const QueueIndex* qi = impl_->queue_by_id.find(queue_id);
  if (!qi || !impl_->queues[*qi].alive) return nullptr;
  return &impl_->queues[*qi].config;
}

std::optional<AgentConfig> Router::agent_config(std::string_view agent_id) const {
  const AgentIndex* ai = impl_->agent_by_id.find(agent_id);
  if (!ai || !impl_->agents[*ai].alive) return std::nullopt;
  return impl_->config_of(impl_->agents[*ai]);
}

Result<ContactId> Router::connect_direct(std::string_view agent_id, ContactSpec spec,
                                         TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  auto qi = s.lookup_queue(spec.queue_id);
  if (!qi) return std::move(qi).error();
  AgentRecord& a = s.agents[*ai];
  const QueueRecord& q = s.queues[*qi];
  if (!s.is_free_for(a, q)) {
    return illegal(fmt::format("agent '{}' is {}: not free for a {} contact", agent_id,
                               agent_state_name(a.state), channel_name(q.config.channel)));
  }
  spec.channel = q.config.channel;
  ContactRecord c;
  c.id = s.next_contact++;
  c.queue = *qi;
  c.arrived_at = now;
  c.rings_start_at = now;
  c.connected_at = now;
  c.state = ContactState::kConnected;
  c.agent = *ai;
  c.key = ContactKey{-static_cast<std::int64_t>(spec.priority), now, s.next_seq++};
  c.spec = std::move(spec);
  ContactRecord& rec = s.contacts.insert(std::move(c));
  rec.key.record = &rec;
  // As an offer does: the agent's free-set entries are left for whoever
  // meets them next to drop.
  s.with_staffing(*ai, [&] { ++a.active[static_cast<int>(q.config.channel)]; });
  ++a.connected_now;
  s.refresh_state(*ai, now);
  return rec.id;
}

Status Router::release(ContactId contact, TimeMs now) {
  Impl& s = *impl_;
  ContactRecord* found = s.contacts.find(contact);
  if (!found) return not_found("contact", std::to_string(contact));
  if (found->state != ContactState::kConnected) {
    return illegal(fmt::format("contact {} is not connected", contact));
  }
  const AgentIndex ai = found->agent;
  const Channel ch = s.queues[found->queue].config.channel;
  --s.agents[ai].connected_now;
  s.drop_contact(contact);
  s.release_agent(ai, ch, now, false);
  s.route_agent(ai, now);
  return {};
}

Status Router::count_taken_call(std::string_view agent_id) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  ++a.answered;
  ++a.contacts_today;
  return {};
}

}  // namespace hotline::routing
