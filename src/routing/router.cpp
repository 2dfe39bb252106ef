// The router's lifecycle operations: configuration, agent presence, the
// contact lifecycle (offer → accept/reject → complete → wrap-up) and timers.
// Choosing who gets what lives in selection.cpp.
#include <algorithm>
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

namespace {

Error not_found(std::string_view what, std::string_view id) {
  return make_error(Errc::kNotFound, fmt::format("unknown {} '{}'", what, id));
}

Error illegal(std::string_view msg) { return make_error(Errc::kIllegalState, std::string(msg)); }

int level_in(const AgentConfig& a, std::string_view skill) { return a.skill_level(skill); }

}  // namespace

// ---------------------------------------------------------------- helpers

Result<AgentIndex> Router::Impl::lookup_agent(std::string_view id) const {
  const AgentIndex* ai = agent_by_id.find(id);
  if (!ai) return not_found("agent", id);
  return *ai;
}

Result<QueueIndex> Router::Impl::lookup_queue(std::string_view id) const {
  const QueueIndex* qi = queue_by_id.find(id);
  if (!qi) return not_found("queue", id);
  return *qi;
}

void Router::Impl::rebuild_view(AgentRecord& a) {
  expr::Attributes view = a.config.attributes;
  view.set("id", std::string_view(a.config.id));
  view.set("name", std::string_view(a.config.name));
  expr::Attributes skills;
  for (const auto& [name, level] : a.config.skills) skills.set(name, level);
  view.set("skills", std::move(skills));
  // Copied once complete: a copy lays keys and values out in one block,
  // which is what evaluating a target against each candidate reads.
  a.view = view;
}

void Router::Impl::compute_static_rings(AgentRecord& a, Membership& m) {
  const QueueRecord& q = queues[m.queue];
  m.static_rings = 0;
  m.level_sum = 0;
  for (const auto& [skill, level] : q.config.skills) m.level_sum += level_in(a.config, skill);
  for (std::size_t i = 0; i < q.rings.size(); ++i) {
    const Ring& ring = q.rings[i].ring;
    bool ok = true;
    for (const auto& [skill, level] : q.config.skills) {
      if (level_in(a.config, skill) < std::max(level, ring.min_level)) ok = false;
    }
    for (const auto& part : q.rings[i].static_part) {
      if (ok) ok = part.evaluate(expr::Scope{nullptr, &a.view, nullptr});
    }
    if (ok) m.static_rings |= (1u << i);
  }
  m.lowest_ring = m.static_rings ? __builtin_ctz(m.static_rings) : -1;
  m.signature = ~0u;
  if (!q.membership_tests) return;
  // One digest for all rings: a bit from another ring's test only lets more
  // agents through to the full evaluation.
  m.signature = 0;
  const expr::Scope scope{nullptr, &a.view, nullptr};
  for (const CompiledRing& ring : q.rings) {
    for (const expr::Expression& test : ring.membership_tests) {
      const expr::Value v = test.agent_operand(scope);
      if (v.kind() == expr::Value::Kind::kList) {
        for (std::size_t k = 0; k < v.list_size(); ++k) m.signature |= value_bit(v.list_at(k));
      } else {
        m.signature |= value_bit(v);
      }
    }
  }
}

Status Router::Impl::rebuild_memberships(AgentIndex ai) {
  AgentRecord& a = agents[ai];
  std::vector<Membership> result;
  auto add = [&](QueueIndex qi, std::int64_t position, int weight) {
    for (auto& m : result) {
      if (m.queue == qi) return;
    }
    Membership m;
    m.queue = qi;
    m.position = static_cast<int>(std::min<std::int64_t>(position, INT32_MAX));
    m.weight = std::max(weight, 0);
    result.push_back(m);
  };
  for (QueueIndex qi = 0; qi < queues.size(); ++qi) {
    const QueueRecord& q = queues[qi];
    if (!q.alive) continue;
    const auto& members = q.config.members;
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (members[k].agent_id == a.config.id) {
        // Explicit positions first, then the listed order.
        add(qi, static_cast<std::int64_t>(members[k].position) * 100000 + static_cast<int>(k),
            members[k].weight);
      }
    }
  }
  for (const std::string& qid : a.config.queues) {
    auto qi = lookup_queue(qid);
    if (!qi) return std::move(qi).error();
    add(*qi, INT32_MAX, 1);
  }
  for (auto& m : result) compute_static_rings(a, m);
  const unsigned mask = staffing_mask(a);
  count_staffing(ai, mask, -1);  // out of the old queues' counts...
  for (const auto& old : a.memberships) {
    auto& members = queues[old.queue].members;
    members.erase(std::remove(members.begin(), members.end(), ai), members.end());
  }
  a.memberships = std::move(result);
  a.member_queues.clear();
  for (const auto& m : a.memberships) {
    queues[m.queue].members.push_back(ai);
    a.member_queues.push_back(m.queue);
  }
  count_staffing(ai, mask, +1);  // ...and into the new ones'
  return {};
}

bool Router::Impl::is_free_for(const AgentRecord& a, const QueueRecord& q) const noexcept {
  const int ch = static_cast<int>(q.config.channel);
  return a.alive && a.presence == AgentState::kAvailable && a.active[ch] < a.capacity[ch];
}

unsigned Router::Impl::staffing_mask(const AgentRecord& a) const noexcept {
  if (!a.alive || a.presence == AgentState::kLoggedOut) return 0;
  unsigned mask = 1u << 3;
  if (a.presence == AgentState::kAvailable) {
    for (int ch = 0; ch < kChannelCount; ++ch) {
      if (a.active[ch] < a.capacity[ch]) mask |= 1u << ch;
    }
  }
  return mask;
}

void Router::Impl::count_staffing(AgentIndex ai, unsigned mask, int sign) {
  for (const QueueIndex qi : agents[ai].member_queues) {
    QueueStaffing& q = staffing[qi];
    if (mask & (1u << 3)) q.logged_in += sign;
    if (mask & (1u << static_cast<int>(q.channel))) q.free_agents += sign;
  }
}

AgentKey Router::Impl::strategy_key(const AgentRecord& a, const Membership& m,
                                    const QueueRecord& q) const {
  AgentKey key = strategy_order(a, m, q);
  key.membership = static_cast<std::uint32_t>(&m - a.memberships.data());
  key.static_rings = m.static_rings;
  key.signature = m.signature;
  return key;
}

AgentKey Router::Impl::strategy_order(const AgentRecord& a, const Membership& m,
                                      const QueueRecord& q) const {
  const int ch = static_cast<int>(q.config.channel);
  const AgentIndex ai = static_cast<AgentIndex>(&a - agents.data());
  switch (q.config.strategy) {
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
    queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].erase(m.where);
    m.indexed = false;
  }
}

void Router::Impl::drop_stale(QueueIndex qi) {
  // The entry names its membership: no search through the agent's queues.
  for (AgentSet::const_iterator it : stale_scratch) {
    Membership& m = agents[it->agent].memberships[it->membership];
    queues[qi].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].erase(it);
    m.indexed = false;
  }
  stale_scratch.clear();
}

void Router::Impl::index_agent(AgentIndex ai) {
  AgentRecord& a = agents[ai];
  for (Membership& m : a.memberships) {
    QueueRecord& q = queues[m.queue];
    if (m.indexed || m.lowest_ring < 0 || !q.alive || !is_free_for(a, q)) continue;
    m.key = strategy_key(a, m, q);
    m.where = q.free_by_ring[static_cast<std::size_t>(m.lowest_ring)].insert(m.key).first;
    m.indexed = true;
  }
}

void Router::Impl::refresh_state(AgentIndex ai, TimeMs now) {
  AgentRecord& a = agents[ai];
  AgentState s = a.presence;
  if (a.presence != AgentState::kLoggedOut) {
    if (a.connected_now > 0) {
      s = AgentState::kBusy;
    } else if (a.offered_now > 0) {
      s = AgentState::kReserved;
    } else if (a.wrapping_now > 0) {
      s = AgentState::kWrapUp;
    }
  }
  if (s == a.state) return;
  Output o{Output::Kind::kAgentStateChanged};
  o.from = a.state;
  o.to = s;
  o.time = now;
  o.agent = ai;
  emit(o);
  a.state = s;
  a.state_since = now;
}

void Router::Impl::insert_waiting(ContactRecord& c) {
  QueueRecord& q = queues[c.queue];
  if (c.ring < 0) {
    agents[c.preferred].preferred_by.push_back(c.id);
    ++q.waiting_preferred;
  } else {
    q.waiting_by_ring[static_cast<std::size_t>(c.ring)].insert(c.key);
  }
  q.waiting_by_age.insert({c.key.enqueued_at, c.id});
}

void Router::Impl::erase_waiting(ContactRecord& c) {
  QueueRecord& q = queues[c.queue];
  if (c.ring < 0) {
    auto& v = agents[c.preferred].preferred_by;
    v.erase(std::remove(v.begin(), v.end(), c.id), v.end());
    --q.waiting_preferred;
  } else {
    q.waiting_by_ring[static_cast<std::size_t>(c.ring)].erase(c.key);
  }
  q.waiting_by_age.erase({c.key.enqueued_at, c.id});
}

void Router::Impl::schedule_ring_timer(ContactRecord& c) {
  const QueueRecord& q = queues[c.queue];
  timers.cancel(c.ring_timer);
  c.ring_timer = 0;
  TimeMs deadline = kNever;
  if (c.ring < 0) {
    deadline = add_saturating(c.arrived_at, c.spec.preferred_wait_ms);
  } else if (static_cast<std::size_t>(c.ring) + 1 < q.rings.size()) {
    DurationMs start = q.rings[static_cast<std::size_t>(c.ring) + 1].starts_at;
    if (start != kNever) deadline = add_saturating(c.rings_start_at, start);
  }
  if (deadline != kNever) c.ring_timer = timers.schedule(deadline, kTimerRingWiden, c.id);
}

void Router::Impl::offer(ContactRecord& c, AgentIndex ai, TimeMs now) {
  QueueRecord& q = queues[c.queue];
  AgentRecord& a = agents[ai];
  Reservation r{next_reservation++, c.id, ai, now};
  const DurationMs timeout = q.config.offer_timeout_ms;
  if (timeout > 0 && timeout != kNever) {
    r.timer = timers.schedule(add_saturating(now, timeout), kTimerOfferTimeout, r.id);
  }
  reservations[r.id] = r;
  if (c.state == ContactState::kWaiting) erase_waiting(c);
  c.state = ContactState::kOffered;
  c.offers.push_back(r.id);
  // The agent's entries in the free sets are left in place: an agent who is
  // no longer free is skipped (and its entry dropped) by whoever meets it
  // next, and re-indexed when it becomes free. Offering stays cheap however
  // many queues the agent serves.
  with_staffing(ai, [&] { ++a.active[static_cast<int>(q.config.channel)]; });
  ++a.offered_now;
  ++a.offered;
  Output o{Output::Kind::kOffer};
  o.time = now;
  o.contact = c.id;
  o.reservation = r.id;
  o.agent = ai;
  o.queue = c.queue;
  emit(o);
  refresh_state(ai, now);
}

void Router::Impl::release_agent(AgentIndex ai, Channel ch, TimeMs now, bool became_idle) {
  AgentRecord& a = agents[ai];
  unindex_agent(ai);
  with_staffing(ai, [&] { --a.active[static_cast<int>(ch)]; });
  if (became_idle) a.idle_since[static_cast<int>(ch)] = now;
  index_agent(ai);
  refresh_state(ai, now);
}

void Router::Impl::end_offer(ReservationId rid, TimeMs now, Output::Kind why) {
  Reservation r = *reservations.find(rid);
  timers.cancel(r.timer);
  reservations.erase(rid);
  ContactRecord& c = contacts.at(r.contact);
  QueueRecord& q = queues[c.queue];
  AgentRecord& a = agents[r.agent];
  c.offers.erase(std::remove(c.offers.begin(), c.offers.end(), rid), c.offers.end());
  --a.offered_now;
  ++a.missed;
  ++a.consecutive_no_answer;
  Output o{why};
  o.time = now;
  o.contact = c.id;
  o.reservation = rid;
  o.agent = r.agent;
  o.queue = c.queue;
  o.value = a.consecutive_no_answer;
  emit(o);
  const int limit = q.config.max_no_answer;
  if (limit > 0 && a.consecutive_no_answer >= limit && a.presence == AgentState::kAvailable) {
    unindex_agent(r.agent);
    with_staffing(r.agent, [&] { a.presence = AgentState::kNotReady; });
    a.not_ready_reason = "no-answer";
    Output n{Output::Kind::kAgentAutoNotReady};
    n.time = now;
    n.agent = r.agent;
    n.queue = c.queue;
    n.value = a.consecutive_no_answer;
    emit(n);
  }
  release_agent(r.agent, q.config.channel, now, false);
  c.declined_by = r.agent;
  c.declined_until = add_saturating(now, options.reoffer_delay_ms);
  if (c.offers.empty()) requeue(c, now);
  route_agent(r.agent, now);
}

void Router::Impl::requeue(ContactRecord& c, TimeMs now) {
  c.state = ContactState::kWaiting;
  insert_waiting(c);  // the key is unchanged: the contact is back in its place
  Output o{Output::Kind::kContactRequeued};
  o.time = now;
  o.contact = c.id;
  o.queue = c.queue;
  emit(o);
  timers.cancel(c.retry_timer);
  c.retry_timer = timers.schedule(c.declined_until, kTimerRetry, c.id);
  route_contact(c, now);
}

void Router::Impl::rescind_all(ContactRecord& c, TimeMs now) {
  std::vector<ReservationId> offers;
  offers.swap(c.offers);
  const Channel ch = queues[c.queue].config.channel;
  for (ReservationId rid : offers) {
    Reservation r = *reservations.find(rid);
    timers.cancel(r.timer);
    reservations.erase(rid);
    --agents[r.agent].offered_now;
    Output o{Output::Kind::kRescind};
    o.time = now;
    o.contact = c.id;
    o.reservation = rid;
    o.agent = r.agent;
    o.queue = c.queue;
    emit(o);
    release_agent(r.agent, ch, now, false);
  }
}

void Router::Impl::finish_wrap_up(ContactRecord& c, TimeMs now) {
  timers.cancel(c.wrap_timer);
  const AgentIndex ai = c.agent;
  const Channel ch = queues[c.queue].config.channel;
  --agents[ai].wrapping_now;
  Output o{Output::Kind::kWrapUpEnded};
  o.time = now;
  o.contact = c.id;
  o.agent = ai;
  o.queue = c.queue;
  emit(o);
  drop_contact(c.id);
  release_agent(ai, ch, now, true);
  route_agent(ai, now);
}

void Router::Impl::drop_contact(ContactId id) {
  ContactRecord* c = contacts.find(id);
  if (!c) return;
  timers.cancel(c->ring_timer);
  timers.cancel(c->max_wait_timer);
  timers.cancel(c->retry_timer);
  timers.cancel(c->wrap_timer);
  contacts.erase(id);
}

void Router::Impl::remember_abandoned(const ContactRecord& c, TimeMs now) {
  const QueueRecord& q = queues[c.queue];
  if (q.config.resume_window_ms <= 0 || c.spec.caller.empty()) return;
  abandoned_by_caller[c.spec.caller] =
      AbandonedPlace{c.queue, c.key.enqueued_at, add_saturating(now, q.config.resume_window_ms)};
}

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

DurationMs Router::Impl::expected_wait(const QueueRecord& q, int position) const {
  // Asterisk announces the moving average of recent hold times; without a
  // history yet, estimate from the average handle time and staffing.
  if (q.ewma_wait_ms >= 0) return q.ewma_wait_ms;
  if (q.counters.answered == 0 || position <= 0) return 0;
  const int staffed = staffing[static_cast<std::size_t>(&q - queues.data())].logged_in;
  const DurationMs aht = q.counters.talk_ms / q.counters.answered;
  return staffed == 0 ? kNever : aht * position / staffed;
}

// ---------------------------------------------------------------- timers

void Router::Impl::on_timer(const TimerHeap::Due& due, TimeMs now) {
  now = due.deadline;  // outputs carry the moment the deadline fell due
  switch (due.kind) {
    case kTimerRingWiden: {
      ContactRecord* found = contacts.find(due.subject);
      if (!found) return;
      ContactRecord& c = *found;
      c.ring_timer = 0;
      const bool waiting = c.state == ContactState::kWaiting;
      if (waiting) erase_waiting(c);
      Output o{c.ring < 0 ? Output::Kind::kPreferredFallback : Output::Kind::kRingWidened};
      if (c.ring < 0) c.rings_start_at = now;
      ++c.ring;
      if (waiting) insert_waiting(c);
      o.time = now;
      o.contact = c.id;
      o.queue = c.queue;
      o.value = c.ring;
      emit(o);
      schedule_ring_timer(c);
      if (waiting) route_contact(c, now);
      return;
    }
    case kTimerMaxWait: {
      ContactRecord* found = contacts.find(due.subject);
      if (!found) return;
      ContactRecord& c = *found;
      c.max_wait_timer = 0;
      if (c.overflowed || c.state == ContactState::kConnected ||
          c.state == ContactState::kWrapUp) {
        return;
      }
      c.overflowed = true;
      ++queues[c.queue].counters.overflowed;
      Output o{Output::Kind::kQueueOverflow};
      o.time = now;
      o.contact = c.id;
      o.queue = c.queue;
      o.value = now - c.arrived_at;
      emit(o);
      return;
    }
    case kTimerOfferTimeout:
      if (Reservation* r = reservations.find(due.subject)) {
        r->timer = 0;
        end_offer(due.subject, now, Output::Kind::kOfferTimedOut);
      }
      return;
    case kTimerWrapUp: {
      ContactRecord* found = contacts.find(due.subject);
      if (!found || found->state != ContactState::kWrapUp) return;
      found->wrap_timer = 0;
      finish_wrap_up(*found, now);
      return;
    }
    case kTimerRetry: {
      ContactRecord* found = contacts.find(due.subject);
      if (!found) return;
      found->retry_timer = 0;
      if (found->state == ContactState::kWaiting) route_contact(*found, now);
      return;
    }
  }
}

// ---------------------------------------------------------------- Router

Router::Router(RouterOptions options) : impl_(std::make_unique<Impl>(options)) {}
Router::~Router() = default;

static std::vector<AgentSet> agent_sets(std::size_t n, std::pmr::memory_resource* pool) {
  std::vector<AgentSet> v;
  for (std::size_t i = 0; i < n; ++i) v.emplace_back(pool);
  return v;
}

static std::vector<ContactSet> contact_sets(std::size_t n, std::pmr::memory_resource* pool) {
  std::vector<ContactSet> v;
  for (std::size_t i = 0; i < n; ++i) v.emplace_back(pool);
  return v;
}

static Status compile_rings(QueueRecord& q, std::pmr::memory_resource* pool) {
  q.rings.clear();
  q.membership_tests = false;
  if (q.config.rings.empty()) q.config.rings.push_back(Ring{});
  if (q.config.rings.size() > 32) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("queue '{}': at most 32 rings", q.config.id));
  }
  DurationMs start = 0;
  for (std::size_t i = 0; i < q.config.rings.size(); ++i) {
    const Ring& ring = q.config.rings[i];
    if (ring.timeout_ms <= 0) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("queue '{}': ring {} timeout must be positive", q.config.id, i));
    }
    CompiledRing cr;
    cr.ring = ring;
    cr.starts_at = start;
    for (expr::Expression& part : ring.target.conjuncts()) {
      if (part.is_membership_test()) cr.membership_tests.push_back(part);
      (part.references_contact() ? cr.dynamic_part : cr.static_part).push_back(std::move(part));
    }
    if (!cr.membership_tests.empty()) q.membership_tests = true;
    cr.dynamic = !cr.dynamic_part.empty();
    q.rings.push_back(std::move(cr));
    start = (start == kNever || ring.timeout_ms == kNever) ? kNever : start + ring.timeout_ms;
  }
  q.free_by_ring = agent_sets(q.rings.size(), pool);
  return {};
}

static Status validate_queue(const QueueConfig& c) {
  if (c.id.empty()) return make_error(Errc::kInvalidArgument, "queue id is empty");
  if (c.max_length < 0 || c.max_no_answer < 0 || c.wrap_up_ms < 0 || c.offer_timeout_ms < 0 ||
      c.max_wait_ms <= 0 || c.service_level_ms < 0 || c.resume_window_ms < 0) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("queue '{}': limits and durations must not be negative", c.id));
  }
  return {};
}

Result<QueueIndex> Router::add_queue(QueueConfig config) {
  Impl& s = *impl_;
  if (auto st = validate_queue(config); !st) return std::move(st).error();
  if (s.queue_by_id.contains(config.id)) {
    return make_error(Errc::kExists, fmt::format("queue '{}' already exists", config.id));
  }
  QueueRecord q(&s.pool);
  q.config = std::move(config);
  if (auto st = compile_rings(q, &s.pool); !st) return std::move(st).error();
  q.waiting_by_ring = contact_sets(q.rings.size(), &s.pool);
  q.counters.id = q.config.id;
  const QueueIndex qi = static_cast<QueueIndex>(s.queues.size());
  s.queue_by_id.insert(s.names.emplace_back(q.config.id), qi);
  s.queues.push_back(std::move(q));
  s.staffing.push_back(QueueStaffing{s.queues[qi].config.channel});
  // Agents the queue lists as members join it now.
  for (const QueueMember& m : s.queues[qi].config.members) {
    auto ai = s.lookup_agent(m.agent_id);
    if (!ai) continue;
    s.unindex_agent(*ai);
    (void)s.rebuild_memberships(*ai);
    s.index_agent(*ai);
  }
  return qi;
}

Status Router::update_queue(QueueConfig config) {
  Impl& s = *impl_;
  if (auto st = validate_queue(config); !st) return st;
  auto qi = s.lookup_queue(config.id);
  if (!qi) return std::move(qi).error();
  QueueRecord& q = s.queues[*qi];
  if (config.channel != q.config.channel && !q.waiting_by_age.empty()) {
    return illegal(fmt::format("queue '{}': cannot change channel while contacts wait", config.id));
  }
  // Take everything out of the indexes, swap the configuration, put back.
  std::vector<ContactId> waiting;
  for (const auto& [t, id] : q.waiting_by_age) waiting.push_back(id);
  for (ContactId id : waiting) s.erase_waiting(s.contacts.at(id));
  std::vector<AgentIndex> affected(q.members);
  for (AgentIndex ai = 0; ai < s.agents.size(); ++ai) {
    for (const auto& m : config.members) {
      if (m.agent_id == s.agents[ai].config.id) affected.push_back(ai);
    }
  }
  for (AgentIndex ai : affected) s.unindex_agent(ai);
  QueueConfig old = std::move(q.config);
  q.config = std::move(config);
  s.staffing[*qi].channel = q.config.channel;
  if (auto st = compile_rings(q, &s.pool); !st) {
    q.config = std::move(old);
    s.staffing[*qi].channel = q.config.channel;
    (void)compile_rings(q, &s.pool);
    for (AgentIndex ai : affected) s.index_agent(ai);
    for (ContactId id : waiting) s.insert_waiting(s.contacts.at(id));
    return st;
  }
  q.waiting_by_ring = contact_sets(q.rings.size(), &s.pool);
  for (AgentIndex ai : affected) {
    (void)s.rebuild_memberships(ai);
    s.index_agent(ai);
  }
  for (ContactId id : waiting) {
    ContactRecord& c = s.contacts.at(id);
    c.ring = std::min<int>(c.ring, static_cast<int>(q.rings.size()) - 1);
    s.insert_waiting(c);
    s.schedule_ring_timer(c);
  }
  return {};
}

Status Router::remove_queue(std::string_view queue_id) {
  Impl& s = *impl_;
  auto qi = s.lookup_queue(queue_id);
  if (!qi) return std::move(qi).error();
  QueueRecord& q = s.queues[*qi];
  bool has_contacts = false;
  s.contacts.for_each([&](const ContactRecord& c) { has_contacts |= c.queue == *qi; });
  if (has_contacts) return illegal(fmt::format("queue '{}' still has contacts", queue_id));
  for (AgentIndex ai : q.members) {
    for (const std::string& name : s.agents[ai].config.queues) {
      if (name == queue_id) {
        return illegal(fmt::format("agent '{}' still lists queue '{}'",
                                   s.agents[ai].config.id, queue_id));
      }
    }
  }
  std::vector<AgentIndex> members(q.members);
  for (AgentIndex ai : members) s.unindex_agent(ai);
  q.alive = false;
  s.queue_by_id.erase(queue_id);
  for (AgentIndex ai : members) {
    (void)s.rebuild_memberships(ai);
    s.index_agent(ai);
  }
  return {};
}

static Status validate_agent(const AgentConfig& c) {
  if (c.id.empty()) return make_error(Errc::kInvalidArgument, "agent id is empty");
  for (int cap : c.capacity) {
    if (cap < 0) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("agent '{}': capacity must not be negative", c.id));
    }
  }
  for (const auto& [skill, level] : c.skills) {
    if (level < 0) {
      return make_error(Errc::kInvalidArgument,
                        fmt::format("agent '{}': skill '{}' has a negative level", c.id, skill));
    }
  }
  return {};
}

Result<AgentIndex> Router::add_agent(AgentConfig config) {
  Impl& s = *impl_;
  if (auto st = validate_agent(config); !st) return std::move(st).error();
  if (s.agent_by_id.contains(config.id)) {
    return make_error(Errc::kExists, fmt::format("agent '{}' already exists", config.id));
  }
  for (const std::string& q : config.queues) {
    if (!s.queue_by_id.contains(q)) return not_found("queue", q);
  }
  const AgentIndex ai = static_cast<AgentIndex>(s.agents.size());
  s.agents.emplace_back();
  s.agents[ai].config = std::move(config);
  s.agents[ai].capacity = s.agents[ai].config.capacity;
  s.rebuild_view(s.agents[ai]);
  s.agent_by_id.insert(s.names.emplace_back(s.agents[ai].config.id), ai);
  (void)s.rebuild_memberships(ai);  // queues were checked above
  return ai;
}

Status Router::update_agent(AgentConfig config, TimeMs now) {
  Impl& s = *impl_;
  if (auto st = validate_agent(config); !st) return st;
  auto ai = s.lookup_agent(config.id);
  if (!ai) return std::move(ai).error();
  for (const std::string& q : config.queues) {
    if (!s.queue_by_id.contains(q)) return not_found("queue", q);
  }
  // Lowering capacity below what the agent holds takes effect as contacts end.
  AgentRecord& a = s.agents[*ai];
  s.unindex_agent(*ai);
  a.config = std::move(config);
  s.with_staffing(*ai, [&] { a.capacity = a.config.capacity; });
  s.rebuild_view(a);
  (void)s.rebuild_memberships(*ai);
  s.index_agent(*ai);
  s.route_agent(*ai, now);
  return {};
}

Status Router::remove_agent(std::string_view agent_id) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence != AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' must log out before removal", agent_id));
  }
  a.alive = false;
  for (const auto& m : a.memberships) {
    auto& members = s.queues[m.queue].members;
    members.erase(std::remove(members.begin(), members.end(), *ai), members.end());
  }
  a.memberships.clear();
  a.member_queues.clear();
  s.agent_by_id.erase(agent_id);
  return {};
}

Status Router::login(std::string_view agent_id, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence != AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is already logged in", agent_id));
  }
  s.with_staffing(*ai, [&] { a.presence = AgentState::kAvailable; });
  a.idle_since.fill(now);
  a.consecutive_no_answer = 0;
  s.index_agent(*ai);
  s.refresh_state(*ai, now);
  s.route_agent(*ai, now);
  return {};
}

Status Router::logout(std::string_view agent_id, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence == AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is not logged in", agent_id));
  }
  if (a.offered_now + a.connected_now + a.wrapping_now > 0) {
    return illegal(fmt::format("agent '{}' is handling contacts ({})", agent_id,
                               agent_state_name(a.state)));
  }
  s.unindex_agent(*ai);
  s.with_staffing(*ai, [&] { a.presence = AgentState::kLoggedOut; });
  a.not_ready_reason.clear();
  s.refresh_state(*ai, now);
  return {};
}

Status Router::set_not_ready(std::string_view agent_id, std::string_view reason, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence == AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is logged out", agent_id));
  }
  const bool changed = a.presence != AgentState::kNotReady;
  s.unindex_agent(*ai);
  s.with_staffing(*ai, [&] { a.presence = AgentState::kNotReady; });
  a.not_ready_reason = std::string(reason);
  if (changed || a.state == AgentState::kNotReady) {
    // A new reason is a new not-ready period for reporting.
    if (!changed) {
      Output o{Output::Kind::kAgentStateChanged};
      o.from = o.to = AgentState::kNotReady;
      o.time = now;
      o.agent = *ai;
      s.emit(o);
      a.state_since = now;
    }
  }
  s.refresh_state(*ai, now);
  return {};
}

Status Router::set_available(std::string_view agent_id, TimeMs now) {
  Impl& s = *impl_;
  auto ai = s.lookup_agent(agent_id);
  if (!ai) return std::move(ai).error();
  AgentRecord& a = s.agents[*ai];
  if (a.presence != AgentState::kNotReady) {
    return illegal(fmt::format("agent '{}' is {}, not not_ready", agent_id,
                               agent_state_name(a.presence)));
  }
  s.with_staffing(*ai, [&] { a.presence = AgentState::kAvailable; });
  a.not_ready_reason.clear();
  a.consecutive_no_answer = 0;
  // Time on a break is not idle time: the idle clock starts now.
  for (int ch = 0; ch < kChannelCount; ++ch) {
    if (a.active[ch] == 0) a.idle_since[ch] = now;
  }
  s.index_agent(*ai);
  s.refresh_state(*ai, now);
  s.route_agent(*ai, now);
  return {};
}

Result<ContactId> Router::enqueue(ContactSpec spec, TimeMs now) {
  Impl& s = *impl_;
  auto qi = s.lookup_queue(spec.queue_id);
  if (!qi) return std::move(qi).error();
  QueueRecord& q = s.queues[*qi];
  if (spec.channel != q.config.channel) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("a {} contact cannot join {} queue '{}'",
                                  channel_name(spec.channel), channel_name(q.config.channel),
                                  q.config.id));
  }
  if (q.config.max_length > 0 &&
      static_cast<int>(q.waiting_by_age.size()) >= q.config.max_length) {
    ++q.counters.refused;
    return make_error(Errc::kFull, fmt::format("queue '{}' is full ({} waiting, max length {})",
                                               q.config.id, q.waiting_by_age.size(),
                                               q.config.max_length));
  }
  AgentIndex preferred = kNoIndex;
  if (!spec.preferred_agent.empty() && spec.preferred_wait_ms > 0) {
    auto pa = s.lookup_agent(spec.preferred_agent);
    if (pa) preferred = *pa;  // an unknown preferred agent is no preference
  }
  ContactRecord c;
  c.id = s.next_contact++;
  c.queue = *qi;
  c.arrived_at = now;
  c.rings_start_at = now;
  TimeMs enqueued = now;
  DurationMs resumed_ms = 0;
  if (!spec.caller.empty()) {
    auto it = s.abandoned_by_caller.find(spec.caller);
    if (it != s.abandoned_by_caller.end()) {
      if (it->second.queue == *qi && it->second.expires_at >= now) {
        enqueued = it->second.enqueued_at;
        resumed_ms = now - enqueued;
      }
      if (it->second.queue == *qi || it->second.expires_at < now) s.abandoned_by_caller.erase(it);
    }
  }
  if (spec.original_enqueue < enqueued) enqueued = spec.original_enqueue;
  c.key = ContactKey{-static_cast<std::int64_t>(spec.priority), enqueued, s.next_seq++, c.id};
  c.ring = preferred != kNoIndex ? -1 : 0;
  c.preferred = preferred;
  c.spec = std::move(spec);
  ++q.counters.offered;
  ContactRecord& rec = s.contacts.insert(std::move(c));
  rec.key.record = &rec;
  s.insert_waiting(rec);
  s.schedule_ring_timer(rec);
  if (q.config.max_wait_ms != kNever) {
    rec.max_wait_timer =
        s.timers.schedule(add_saturating(now, q.config.max_wait_ms), kTimerMaxWait, rec.id);
  }
  Output o{Output::Kind::kContactQueued};
  o.time = now;
  o.contact = rec.id;
  o.queue = *qi;
  o.value = static_cast<std::int64_t>(q.waiting_by_age.size());
  s.emit(o);
  if (resumed_ms > 0) {
    Output r{Output::Kind::kContactResumed};
    r.time = now;
    r.contact = rec.id;
    r.queue = *qi;
    r.value = resumed_ms;
    s.emit(r);
  }
  const ContactId id = rec.id;
  s.route_contact(rec, now);
  return id;
}

Status Router::accept(ReservationId reservation, TimeMs now) {
  Impl& s = *impl_;
  const Reservation* found = s.reservations.find(reservation);
  if (!found) return not_found("reservation", std::to_string(reservation));
  const Reservation r = *found;
  s.timers.cancel(r.timer);
  s.reservations.erase(reservation);
  ContactRecord& c = s.contacts.at(r.contact);
  QueueRecord& q = s.queues[c.queue];
  AgentRecord& a = s.agents[r.agent];
  c.offers.erase(std::remove(c.offers.begin(), c.offers.end(), reservation), c.offers.end());
  --a.offered_now;
  ++a.connected_now;
  a.consecutive_no_answer = 0;
  ++a.answered;
  ++a.contacts_today;
  c.state = ContactState::kConnected;
  c.agent = r.agent;
  c.connected_at = now;
  s.timers.cancel(c.ring_timer);
  s.timers.cancel(c.max_wait_timer);
  s.timers.cancel(c.retry_timer);
  c.ring_timer = c.max_wait_timer = c.retry_timer = 0;
  const DurationMs wait = now - c.arrived_at;
  ++q.counters.answered;
  q.counters.total_wait_answered_ms += wait;
  if (wait <= q.config.service_level_ms) ++q.counters.answered_within_sl;
  q.ewma_wait_ms = q.ewma_wait_ms < 0 ? wait : (3 * q.ewma_wait_ms + wait) / 4;
  Output o{Output::Kind::kOfferAccepted};
  o.time = now;
  o.contact = c.id;
  o.reservation = reservation;
  o.agent = r.agent;
  o.queue = c.queue;
  o.value = wait;
  s.emit(o);
  // Ring all: the first acceptance wins; everyone else stops ringing.
  std::vector<AgentIndex> freed;
  for (ReservationId other : c.offers) freed.push_back(s.reservations.find(other)->agent);
  s.rescind_all(c, now);
  s.refresh_state(r.agent, now);
  for (AgentIndex ai : freed) s.route_agent(ai, now);
  return {};
}

Status Router::reject(ReservationId reservation, TimeMs now) {
  Impl& s = *impl_;
  if (!s.reservations.contains(reservation)) {
    return not_found("reservation", std::to_string(reservation));
  }
  s.end_offer(reservation, now, Output::Kind::kOfferRejected);
  return {};
}

Status Router::no_answer(ReservationId reservation, TimeMs now) {
  Impl& s = *impl_;
  if (!s.reservations.contains(reservation)) {
    return not_found("reservation", std::to_string(reservation));
  }
  s.end_offer(reservation, now, Output::Kind::kOfferTimedOut);
  return {};
}

Status Router::complete(ContactId contact, TimeMs now) {
  Impl& s = *impl_;
  ContactRecord* found = s.contacts.find(contact);
  if (!found) return not_found("contact", std::to_string(contact));
  ContactRecord& c = *found;
  if (c.state != ContactState::kConnected) {
    return illegal(fmt::format("contact {} is not connected", contact));
  }
  QueueRecord& q = s.queues[c.queue];
  AgentRecord& a = s.agents[c.agent];
  const DurationMs talk = now - c.connected_at;
  a.talk_ms_today += talk;
  q.counters.talk_ms += talk;
  --a.connected_now;
  ++a.wrapping_now;
  c.state = ContactState::kWrapUp;
  Output o{Output::Kind::kContactCompleted};
  o.time = now;
  o.contact = c.id;
  o.agent = c.agent;
  o.queue = c.queue;
  o.value = talk;
  s.emit(o);
  if (q.config.wrap_up_ms > 0) {
    c.wrap_timer = s.timers.schedule(add_saturating(now, q.config.wrap_up_ms), kTimerWrapUp, c.id);
    s.refresh_state(c.agent, now);
  } else {
    s.finish_wrap_up(c, now);
  }
  return {};
}

Status Router::wrap_up_done(ContactId contact, TimeMs now) {
  Impl& s = *impl_;
  ContactRecord* found = s.contacts.find(contact);
  if (!found) return not_found("contact", std::to_string(contact));
  if (found->state != ContactState::kWrapUp) {
    return illegal(fmt::format("contact {} is not in wrap-up", contact));
  }
  s.finish_wrap_up(*found, now);
  return {};
}

Status Router::Impl::leave_queue(ContactId contact, TimeMs now, bool abandoned) {
  Impl& s = *this;
  ContactRecord* found = s.contacts.find(contact);
  if (!found) return not_found("contact", std::to_string(contact));
  ContactRecord& c = *found;
  if (c.state == ContactState::kConnected || c.state == ContactState::kWrapUp) {
    return illegal(fmt::format("contact {} is already with an agent", contact));
  }
  QueueRecord& q = s.queues[c.queue];
  std::vector<AgentIndex> freed;
  if (c.state == ContactState::kWaiting) {
    s.erase_waiting(c);
  } else {
    for (ReservationId rid : c.offers) freed.push_back(s.reservations.find(rid)->agent);
    s.rescind_all(c, now);
  }
  Output o{abandoned ? Output::Kind::kContactAbandoned : Output::Kind::kContactRemoved};
  o.time = now;
  o.contact = c.id;
  o.queue = c.queue;
  o.agent = freed.empty() ? kNoIndex : freed.front();
  o.value = now - c.arrived_at;
  s.emit(o);
  if (abandoned) {
    ++q.counters.abandoned;
    s.remember_abandoned(c, now);
  } else {
    ++q.counters.removed;
  }
  s.drop_contact(contact);
  for (AgentIndex ai : freed) s.route_agent(ai, now);
  return {};
}

Status Router::abandon(ContactId contact, TimeMs now) {
  return impl_->leave_queue(contact, now, true);
}

Status Router::remove(ContactId contact, TimeMs now) {
  return impl_->leave_queue(contact, now, false);
}

void Router::reset_daily_counters() {
  Impl& s = *impl_;
  for (AgentIndex ai = 0; ai < s.agents.size(); ++ai) {
    s.unindex_agent(ai);
    s.agents[ai].contacts_today = 0;
    s.agents[ai].talk_ms_today = 0;
    s.index_agent(ai);
  }
}

TimeMs Router::next_deadline() const noexcept { return impl_->timers.next_deadline(); }

void Router::advance(TimeMs now) {
  TimerHeap::Due due;
  while (impl_->timers.pop_due(now, &due)) impl_->on_timer(due, now);
}

std::vector<Output>& Router::outputs() noexcept { return impl_->out; }

std::optional<AgentIndex> Router::find_agent(std::string_view id) const noexcept {
  auto r = impl_->lookup_agent(id);
  if (!r) return std::nullopt;
  return *r;
}

std::optional<QueueIndex> Router::find_queue(std::string_view id) const noexcept {
  auto r = impl_->lookup_queue(id);
  if (!r) return std::nullopt;
  return *r;
}

const std::string& Router::agent_id(AgentIndex agent) const {
  return impl_->agents.at(agent).config.id;
}

const std::string& Router::queue_id(QueueIndex queue) const {
  return impl_->queues.at(queue).config.id;
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
  snap.id = a.config.id;
  snap.name = a.config.name;
  snap.state = a.state;
  snap.state_since = a.state_since;
  snap.not_ready_reason = a.not_ready_reason;
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
  QueueSnapshot snap = q.counters;
  snap.waiting = static_cast<int>(q.waiting_by_age.size());
  snap.longest_wait_ms = q.waiting_by_age.empty() ? 0 : now - q.waiting_by_age.begin()->first;
  snap.agents_logged_in = s.staffing[*qi].logged_in;
  snap.agents_available = s.staffing[*qi].free_agents;
  for (AgentIndex ai : q.members) {
    const AgentRecord& a = s.agents[ai];
    if (a.presence != AgentState::kLoggedOut && a.connected_now + a.offered_now + a.wrapping_now > 0) {
      ++snap.agents_busy;
    }
  }
  snap.expected_wait_ms = s.expected_wait(q, snap.waiting + 1);
  return snap;
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
  load.expected_wait_ms = s.expected_wait(q, load.waiting + 1);
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
  if (c.agent != kNoIndex) snap.agent_id = s.agents[c.agent].config.id;
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
    if (a.alive) ids.push_back(a.config.id);
  }
  return ids;
}

}  // namespace hotline::routing
