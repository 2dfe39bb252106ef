// A contact's life: waiting (by priority and age, per ring), offered, connected,
// wrapping up, and leaving (abandoned, removed, overflowed), with the timers
// that widen rings, end offers and wrap-ups, and bound the wait.
#include <algorithm>
#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

void Router::Impl::insert_waiting(ContactRecord& c) {
  QueueRecord& q = queues[c.queue];
  c.listed = true;
  c.key.judged_by_key = c.declined_by == kNoIndex && c.spec.skills.empty();
  note_digest(c, q);
  if (c.ring < 0) {
    rest_of(agents[c.preferred]).preferred_by.push_back(c.id);
    ++q.waiting_preferred;
  } else {
    q.waiting_by_ring[static_cast<std::size_t>(c.ring)].insert(c.key);
    // A key that sorts first becomes the ring's head copy (see waiting_heads).
    if (c.ring < QueueFields::kWaitingHeads) {
      ContactKey& head = q.waiting_heads[static_cast<std::size_t>(c.ring)];
      if (!head.record || c.key < head) head = c.key;
    }
  }
  q.waiting_by_age.insert({c.key.enqueued_at, c.id});
}

void Router::Impl::note_digest(ContactRecord& c, const QueueRecord& q) const noexcept {
  ContactKey& key = c.key;
  key.digest_decides = false;
  if (!key.judged_by_key || c.ring < 0 || !q.one_membership_test) return;
  const std::uint32_t dynamic = q.dynamic_rings & ((2u << c.ring) - 1);
  const ContactSide& side = q.contact_side;
  // Every ring up to the contact's either reads no contact attribute or
  // reads them in the one test alone.
  if (dynamic == 0 || (dynamic & ~side.settled()) != 0) return;
  const DigestOwners::Found found =
      q.digest_owners.find(one_test_value(q, c, __builtin_ctz(dynamic)));
  // A value no agent holds has no bit yet, and may be given one by the next
  // agent indexed: only a bit given already is kept.
  if (!found.exact || found.bit == 0) return;
  key.digest_decides = true;
  key.digest_bit = found.bit;
  key.digest_epoch = q.digest_owners.epoch();
}

void Router::Impl::erase_waiting(ContactRecord& c) {
  if (!c.listed) return;  // taken when it arrived, before it was listed
  c.listed = false;
  QueueRecord& q = queues[c.queue];
  if (c.ring < 0) {
    auto& v = agents[c.preferred].rest->preferred_by;  // made by insert_waiting
    v.erase(std::remove(v.begin(), v.end(), c.id), v.end());
    --q.waiting_preferred;
  } else {
    ContactSet& set = q.waiting_by_ring[static_cast<std::size_t>(c.ring)];
    set.erase(c.key);
    // Only taking out the head changes the head copy (see waiting_heads);
    // the new first key is in the leaf the erasure has just read.
    if (c.ring < QueueFields::kWaitingHeads) {
      ContactKey& head = q.waiting_heads[static_cast<std::size_t>(c.ring)];
      if (head.record == c.key.record) head = set.empty() ? ContactKey{} : *set.begin();
    }
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
  } else {
    // Ring 0's end, a new contact's, is copied beside the queue's other
    // fields a new contact reads: the ring list would be two more misses.
    const DurationMs start =
        c.ring == 0 ? q.ring_one_starts_at
        : static_cast<std::size_t>(c.ring) + 1 < q.rings.size()
            ? q.rings[static_cast<std::size_t>(c.ring) + 1].starts_at
            : kNever;
    if (start != kNever) deadline = add_saturating(c.rings_start_at, start);
  }
  if (deadline != kNever) c.ring_timer = timers.schedule(deadline, kTimerRingWiden, c.id);
}

void Router::Impl::offer(ContactRecord& c, AgentIndex ai, TimeMs now) {
  QueueRecord& q = queues[c.queue];
  AgentRecord& a = agents[ai];
  Reservation r{next_reservation++, c.id, ai, now};
  const DurationMs timeout = q.offer_timeout_ms;
  if (timeout > 0 && timeout != kNever) {
    // Offers of one timeout end in the order they were made: a lane per
    // timeout queues them (see TimerHeap::schedule_in_lane).
    r.timer = timers.schedule_in_lane(static_cast<std::uint64_t>(timeout),
                                      add_saturating(now, timeout), kTimerOfferTimeout, r.id);
  }
  reservations[r.id] = r;
  if (c.state == ContactState::kWaiting) erase_waiting(c);
  c.state = ContactState::kOffered;
  c.offers.push_back(r.id);
  // The agent's entries in the free sets are left in place: an agent who is
  // no longer free is skipped (and its entry dropped) by whoever meets it
  // next, and re-indexed when it becomes free. Offering stays cheap however
  // many queues the agent serves.
  add_active(ai, q.channel, +1);
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
  add_active(ai, ch, -1);
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
  c.offers.erase(rid);
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
    rest_of(a).not_ready_reason = "no-answer";
    Output n{Output::Kind::kAgentAutoNotReady};
    n.time = now;
    n.agent = r.agent;
    n.queue = c.queue;
    n.value = a.consecutive_no_answer;
    emit(n);
  }
  release_agent(r.agent, q.channel, now, false);
  c.declined_by = r.agent;
  c.declined_until = add_saturating(now, options.reoffer_delay_ms);
  if (c.offers.empty()) requeue(c, now);
  route_agent(r.agent, now);
}

void Router::Impl::requeue(ContactRecord& c, TimeMs now) {
  c.state = ContactState::kWaiting;
  // The queue's rings may have been cut while it was offered: update_queue
  // moves only the waiting contacts into the rings that remain.
  c.ring = std::min<int>(c.ring, static_cast<int>(queues[c.queue].rings.size()) - 1);
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
  OfferList offers;
  offers.swap(c.offers);
  const Channel ch = queues[c.queue].config.channel;
  offers.for_each([&](ReservationId rid) {
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
  });
  // The list's buffer goes back to the record (nothing offered it again
  // meanwhile): the next contact to use the record offers without allocating.
  if (c.offers.empty()) {
    offers.clear();
    c.offers.swap(offers);
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

void Router::Impl::on_timer(const TimerHeap::Due& due, TimeMs now) {
  now = due.deadline;  // outputs carry the moment the deadline fell due
  switch (due.kind) {
    case kTimerRingWiden: {
      ContactRecord* found = contacts.find(due.subject);
      if (!found) return;
      ContactRecord& c = *found;
      c.ring_timer = 0;
      // Nothing widens past the queue's last ring. update_queue sets the
      // timer of every waiting or offered contact anew on the new rings, so
      // none should fall due here; a ring is an index into the queue's rings
      // all the same.
      if (c.ring >= 0 && static_cast<std::size_t>(c.ring) + 1 >= queues[c.queue].rings.size()) {
        return;
      }
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

Result<ContactId> Router::enqueue(ContactSpec&& spec, TimeMs now) {
  Impl& s = *impl_;
  s.contacts.prefetch(s.next_contact);  // loads while the queue is looked up
  auto qi = s.lookup_queue(spec.queue_id);
  if (!qi) return std::move(qi).error();
  QueueRecord& q = s.queues[*qi];
  // The decision below walks ring 0's free set from its head, once it has
  // the contact's side of the queue's membership test.
  q.contact_side.prefetch();
  __builtin_prefetch(&q.ring_one_starts_at);  // the record's second line (see QueueFields)
  if (q.membership_tests) q.digest_owners.prefetch();
  if (!q.free_by_ring.empty()) q.free_by_ring.front().prefetch_front();
  if (spec.channel != q.channel) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("a {} contact cannot join {} queue '{}'",
                                  channel_name(spec.channel), channel_name(q.config.channel),
                                  q.config.id));
  }
  if (q.max_length > 0 && static_cast<int>(q.waiting_by_age.size()) >= q.max_length) {
    Output o{Output::Kind::kContactRefused};
    o.time = now;
    o.queue = *qi;
    o.value = static_cast<std::int64_t>(q.waiting_by_age.size());
    s.emit(o);
    return make_error(Errc::kFull, fmt::format("queue '{}' is full ({} waiting, max length {})",
                                               q.config.id, q.waiting_by_age.size(),
                                               q.config.max_length));
  }
  if (spec.preferred_agent.empty() && q.last_agent_routing) {
    // The customer's last agent, when the customer data names one, is the
    // preferred agent with the queue's wait.
    const expr::Value* last = spec.attributes.find_path(kLastAgentAttribute);
    if (last && !last->as_string().empty()) {
      spec.preferred_agent = std::string(last->as_string());
      spec.preferred_wait_ms = q.config.last_agent_wait_ms;
    }
  }
  AgentIndex preferred = kNoIndex;
  if (!spec.preferred_agent.empty() && spec.preferred_wait_ms > 0) {
    auto pa = s.lookup_agent(spec.preferred_agent);
    if (pa) preferred = *pa;  // an unknown preferred agent is no preference
  }
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
  ContactRecord& rec = s.contacts.emplace(s.next_contact++);
  rec.queue = *qi;
  rec.arrived_at = now;
  rec.rings_start_at = now;
  rec.key = ContactKey{-static_cast<std::int64_t>(spec.priority), enqueued, s.next_seq++};
  rec.key.record = &rec;
  rec.ring = preferred != kNoIndex ? -1 : 0;
  rec.preferred = preferred;
  rec.spec = std::move(spec);
  s.schedule_ring_timer(rec);
  if (q.max_wait_ms != kNever) {
    rec.max_wait_timer = s.timers.schedule(add_saturating(now, q.max_wait_ms), kTimerMaxWait,
                                           rec.id);
  }
  Output o{Output::Kind::kContactQueued};
  o.time = now;
  o.contact = rec.id;
  o.queue = *qi;
  // It counts itself, though it joins the waiting sets only if nobody takes
  // it now (below): two insertions and two erasures saved per contact routed.
  o.value = static_cast<std::int64_t>(q.waiting_by_age.size()) + 1;
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
  if (rec.state == ContactState::kWaiting) s.insert_waiting(rec);
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
  c.offers.erase(reservation);
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
  c.offers.for_each(
      [&](ReservationId other) { freed.push_back(s.reservations.find(other)->agent); });
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
  std::vector<AgentIndex> freed;
  if (c.state == ContactState::kWaiting) {
    s.erase_waiting(c);
  } else {
    c.offers.for_each([&](ReservationId rid) { freed.push_back(s.reservations.find(rid)->agent); });
    s.rescind_all(c, now);
  }
  Output o{abandoned ? Output::Kind::kContactAbandoned : Output::Kind::kContactRemoved};
  o.time = now;
  o.contact = c.id;
  o.queue = c.queue;
  o.agent = freed.empty() ? kNoIndex : freed.front();
  o.value = now - c.arrived_at;
  s.emit(o);
  if (abandoned) s.remember_abandoned(c, now);
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

}  // namespace hotline::routing
