// The free-agent index: each queue's ordered sets of free agents, keyed by the
// queue's strategy, and the staffing counts kept beside them so that routing
// and staffing questions never scan agents.
#include <algorithm>
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

namespace {
// A staffing mask has one bit per channel (free on it) and this one above
// them (logged in).
constexpr unsigned kLoggedInBit = 1u << kChannelCount;
}  // namespace

bool Router::Impl::is_free_for(const AgentRecord& a, const QueueRecord& q) const noexcept {
  const int ch = static_cast<int>(q.channel);
  return a.alive && a.presence == AgentState::kAvailable && a.active[ch] < a.capacity[ch];
}

unsigned Router::Impl::free_on(const AgentRecord& a,
                               const std::array<int, kChannelCount>& capacity) noexcept {
  unsigned mask = 0;
  if (a.alive && a.presence == AgentState::kAvailable) {
    for (int ch = 0; ch < kChannelCount; ++ch) {
      if (a.active[ch] < capacity[ch]) mask |= 1u << ch;
    }
  }
  return mask;
}

unsigned Router::Impl::staffing_mask(const AgentRecord& a) const noexcept {
  if (!a.alive || a.presence == AgentState::kLoggedOut) return 0;
  return kLoggedInBit | free_on(a, a.capacity);
}

void Router::Impl::count_staffing(AgentIndex ai, unsigned mask, int sign) {
  for (const MemberQueue& mq : agents[ai].member_queues) {
    QueueStaffing& q = staffing[mq.queue];
    if (mask & kLoggedInBit) q.logged_in += sign;
    if (mask & (1u << static_cast<int>(q.channel))) q.free_agents += sign;
  }
}

void Router::Impl::recount_staffing(AgentIndex ai, unsigned before, unsigned after) {
  const unsigned changed = before ^ after;
  const int logged_in = !(changed & kLoggedInBit) ? 0 : (after & kLoggedInBit) ? 1 : -1;
  for (const MemberQueue& mq : agents[ai].member_queues) {
    QueueStaffing& q = staffing[mq.queue];
    const unsigned channel = 1u << static_cast<int>(q.channel);
    q.logged_in += logged_in;
    if (changed & channel) q.free_agents += (after & channel) ? 1 : -1;
  }
}

void Router::Impl::add_active(AgentIndex ai, Channel channel, int delta) {
  AgentRecord& a = agents[ai];
  const int ch = static_cast<int>(channel);
  const bool present = a.alive && a.presence == AgentState::kAvailable;
  const bool was_free = present && a.active[ch] < a.capacity[ch];
  a.active[ch] += delta;
  const bool is_free = present && a.active[ch] < a.capacity[ch];
  if (was_free == is_free) return;
  // Set or cleared, not flipped: the byte then follows the agent's state
  // even if it had drifted from it.
  const auto bit = static_cast<std::uint8_t>(1u << ch);
  free_channels[ai] = static_cast<std::uint8_t>(is_free ? free_channels[ai] | bit
                                                        : free_channels[ai] & ~bit);
  const int change = is_free ? 1 : -1;
  for (const MemberQueue& mq : a.member_queues) {
    QueueStaffing& q = staffing[mq.queue];
    if (q.channel == channel) q.free_agents += change;
  }
}

AgentKey Router::Impl::strategy_order(const AgentRecord& a, const Membership& m,
                                      const QueueRecord& q) const {
  const int ch = static_cast<int>(q.channel);
  const AgentIndex ai = static_cast<AgentIndex>(&a - agents.data());
  switch (q.strategy) {
    case Strategy::kLongestIdle: return {a.idle_since[ch], 0, ai};
    case Strategy::kRoundRobin:
    case Strategy::kLinear: return {m.position, 0, ai};
    case Strategy::kFewestContacts: return {a.contacts_today, a.idle_since[ch], ai};
    case Strategy::kLeastTalkTime: return {a.talk_ms_today, a.idle_since[ch], ai};
    case Strategy::kMostSkilled: return {-m.level_sum, a.idle_since[ch], ai};
    case Strategy::kRandom:
    case Strategy::kWeightedRandom:
    case Strategy::kRingAll: return {0, 0, ai};
  }
  return {0, 0, ai};
}

void Router::Impl::unindex_agent(AgentIndex ai) {
  for (Membership& m : agents[ai].memberships) {
    if (!m.indexed) continue;
    queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].erase(
        AgentKey{m.key_primary, m.key_secondary, ai});
    m.indexed = false;
  }
}

void Router::Impl::drop_stale(QueueIndex qi) {
  // The membership keeps `indexed`: reaching it would fetch the agent's
  // record and memberships, two cache misses per entry at scale. The agent
  // is busy, and becomes free only through unindex_agent, whose erasure
  // then finds nothing.
  for (const StaleEntry& stale : stale_scratch) {
    queues[qi].free_by_ring[static_cast<std::size_t>(stale.ring)].erase(stale.key);
  }
  stale_scratch.clear();
}

void Router::Impl::index_agent(AgentIndex ai) {
  // Whether it is free on a queue's channel is read from free_channels and
  // the compact staffing counts: an agent who took a contact on becoming
  // ready is indexed nowhere, and reads none of its queues' records.
  const unsigned free_mask = free_channels[ai];
  if (free_mask == 0) return;
  AgentRecord& a = agents[ai];
  for_each_free_entry(a, free_mask, a.memberships, true, [&](std::size_t k, const AgentKey& key) {
    Membership& m = a.memberships[k];
    m.key_primary = key.primary;
    m.key_secondary = key.secondary;
    queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].insert(
        key, AgentSummary{m.static_rings, m.signature});
    m.indexed = true;
  });
}

}  // namespace hotline::routing
