// Who gets what. Two directions: a contact looking for an agent (on arrival,
// ring widening, requeue) walks the queue's free-agent sets in strategy
// order; an agent looking for a contact (on becoming free) walks the
// waiting-contact sets of each queue it serves. Both stop at the first
// candidate each ordered set offers, so the cost follows the number of rings
// and queues, not the number of agents or contacts.
#include <algorithm>

#include "router_impl.hpp"

namespace hotline::routing {

bool Router::Impl::meets_skills(const AgentRecord& a, const QueueRecord& q,
                                const ContactRecord& c, int ring) const noexcept {
  // Most contacts ask for no skills: they pass without the ring's minimum
  // level read, whose ring list is two cache lines a new contact reads for
  // nothing else.
  if (c.spec.skills.empty()) return true;
  const CompiledRing& r = q.rings[static_cast<std::size_t>(ring)];
  for (const auto& [skill, level] : c.spec.skills) {
    if (skill_level(a, skill) < std::max(level, r.ring.min_level)) return false;
  }
  return true;
}

bool Router::Impl::qualifies(const AgentRecord& a, const QueueRecord& q, const ContactRecord& c,
                             int ring) const noexcept {
  if (!meets_skills(a, q, c, ring)) return false;
  const expr::Scope scope{&c.spec.attributes, &a.view, nullptr};
  for (const auto& part : q.rings[static_cast<std::size_t>(ring)].dynamic_part) {
    if (!part.evaluate(scope)) return false;
  }
  return true;
}

bool Router::Impl::admits(const AgentRecord& a, std::uint32_t static_rings, const QueueRecord& q,
                          const ContactRecord& c, int up_to_ring) const noexcept {
  const std::uint32_t rings = static_rings & ((2u << up_to_ring) - 1);
  return admits_rings(a, rings & ~q.dynamic_rings, rings & q.dynamic_rings, q, c);
}

bool Router::Impl::admits_rings(const AgentRecord& a, std::uint32_t settled,
                                std::uint32_t unsettled, const QueueRecord& q,
                                const ContactRecord& c) const noexcept {
  // Any ring will do. Those whose target is settled are asked first: they
  // read neither the contact's attributes nor the agent's, each a cache miss
  // when the contact or agent is not the last seen.
  for (std::uint32_t r = settled; r; r &= r - 1) {
    if (meets_skills(a, q, c, __builtin_ctz(r))) return true;
  }
  for (std::uint32_t r = unsettled; r; r &= r - 1) {
    if (qualifies(a, q, c, __builtin_ctz(r))) return true;
  }
  return false;
}

namespace {

bool declined(const ContactRecord& c, AgentIndex ai, TimeMs now) {
  return c.declined_by == ai && now < c.declined_until;
}

// What a waiting contact's key tells an agent looking for a contact: take
// it, pass it over, or read its record to know.
enum class KeyVerdict : std::uint8_t { kTake, kPass, kUnknown };

}  // namespace

// Calls `take(agent, membership)` for every free agent the contact may be
// offered to (each once), dropping stale entries met on the way.
template <typename F>
void Router::Impl::for_each_eligible(const ContactRecord& c, TimeMs now, F take) {
  const QueueRecord& q = queues[c.queue];
  const std::uint64_t mark = ++visit_generation;
  stale_scratch.clear();
  for (int i = 0; i <= c.ring; ++i) {
    const AgentSet& set = q.free_by_ring[static_cast<std::size_t>(i)];
    for (auto it = set.begin(); it != set.end(); ++it) {
      const AgentKey& key = *it;
      if (!is_free_for(key.agent, q)) {
        stale_scratch.push_back({key, i});
        continue;
      }
      AgentRecord& a = agents[key.agent];
      if (a.visit_mark == mark) continue;
      a.visit_mark = mark;
      if (declined(c, key.agent, now) || !admits(a, it.summary().static_rings, q, c, c.ring)) {
        continue;
      }
      take(key.agent, a.memberships[key.membership]);
    }
  }
  drop_stale(c.queue);
}

AgentIndex Router::Impl::pick_random(const ContactRecord& c, bool weighted, TimeMs now) {
  // Reservoir sampling over the eligible agents: one pass, no list built.
  AgentIndex chosen = kNoIndex;
  double total = 0;
  for_each_eligible(c, now, [&](AgentIndex ai, const Membership& m) {
    const double w = weighted ? static_cast<double>(m.weight) : 1.0;
    if (w <= 0) return;
    total += w;
    if (std::uniform_real_distribution<double>(0.0, total)(rng) < w) chosen = ai;
  });
  return chosen;
}

void Router::Impl::offer_ring_all(ContactRecord& c, TimeMs now) {
  std::vector<AgentIndex> chosen;
  for_each_eligible(c, now, [&](AgentIndex ai, const Membership&) { chosen.push_back(ai); });
  // Collected first: offering changes the sets being walked.
  for (AgentIndex ai : chosen) offer(c, ai, now);
}

void Router::Impl::route_contact(ContactRecord& c, TimeMs now) {
  if (c.state != ContactState::kWaiting) return;
  QueueRecord& q = queues[c.queue];
  if (c.ring < 0) {
    AgentRecord& a = agents[c.preferred];
    if (is_free_for(a, q) && !declined(c, c.preferred, now)) offer(c, c.preferred, now);
    return;
  }
  const Strategy strategy = q.strategy;
  if (strategy == Strategy::kRingAll) {
    offer_ring_all(c, now);
    return;
  }
  if (strategy == Strategy::kRandom || strategy == Strategy::kWeightedRandom) {
    AgentIndex ai = pick_random(c, strategy == Strategy::kWeightedRandom, now);
    if (ai != kNoIndex) offer(c, ai, now);
    return;
  }
  // The walks below start at the head of each ring's set: its first leaf
  // loads while the contact's side of the membership tests is worked out.
  for (int i = 0; i <= c.ring; ++i) q.free_by_ring[static_cast<std::size_t>(i)].prefetch_front();
  // Round robin continues after the last member chosen and wraps around:
  // members at or before it sort after everyone else.
  const bool cyclic = strategy == Strategy::kRoundRobin;
  auto rank = [&](const AgentKey& k) {
    return std::make_pair(cyclic && k.primary <= q.last_position, k);
  };
  // The contact's side of each ring's first membership test, as a digest
  // bit: an agent whose signature lacks it cannot pass that ring, and is
  // passed over without reading its record.
  const std::uint32_t up_to = (2u << c.ring) - 1;
  std::array<std::uint32_t, 32> ring_bits{};
  std::uint32_t tested = 0;  // rings up to the contact's with a membership test
  // Rings whose target the digest settles for this contact: a candidate
  // passes them if its signature has the bit, and nothing else is evaluated.
  std::uint32_t digest_settled = 0;
  std::uint32_t one_bit = 0;  // with one test, the bit of every tested ring
  const expr::Scope scope{&c.spec.attributes, nullptr, nullptr};
  if (q.membership_tests && q.one_membership_test) {
    // One test: the contact's side is the same in every ring, and which
    // rings it decides is in the queue's contact side, as its key mostly is
    // (see ContactSide): the compiled rings are not read.
    const ContactSide& side = q.contact_side;
    tested = side.tested() & up_to;
    if (tested) {
      const DigestOwners::Found found =
          q.digest_owners.find(one_test_value(q, c, __builtin_ctz(tested)));
      one_bit = found.bit;
      if (found.exact) digest_settled = side.settled() & tested;
    }
  } else if (q.membership_tests) {
    DigestOwners::Found found;
    for (int i = 0; i <= c.ring; ++i) {
      const CompiledRing& ring = q.rings[static_cast<std::size_t>(i)];
      if (ring.membership_tests.empty()) continue;
      found = q.digest_owners.find(ring.membership_tests.front().contact_operand(scope));
      ring_bits[static_cast<std::size_t>(i)] = found.bit;
      tested |= 1u << i;
      if (ring.settled_by_digest && found.exact) digest_settled |= 1u << i;
    }
  }
  const std::uint32_t unsettled = q.dynamic_rings & ~digest_settled & up_to;
  // Attributes are read only by rings with operands over the contact that
  // are still to evaluate; otherwise fetching them early would be a wasted
  // miss per candidate.
  const bool reads_attributes = unsettled != 0;
  // Of the rings up to the contact's that an entry passes statically, those
  // the digest lets it through: all without a test, and those whose bit its
  // signature has. With one test, every tested ring has the same bit: one
  // comparison. Held by value: see `consider`.
  struct DigestTest {
    std::uint32_t up_to;
    std::uint32_t tested;
    bool one_test;
    std::uint32_t one_bit;  // with one test, the bit of every tested ring
    const std::array<std::uint32_t, 32>* ring_bits;
    std::uint32_t passes(const AgentSummary& k) const noexcept {
      const std::uint32_t rings = k.static_rings & up_to;
      std::uint32_t pass = rings & ~tested;
      if (pass == rings) return rings;
      if (one_test) return one_bit & k.signature ? rings : pass;
      for (std::uint32_t r = rings & tested; r; r &= r - 1) {
        const int i = __builtin_ctz(r);
        if ((*ring_bits)[static_cast<std::size_t>(i)] & k.signature) pass |= 1u << i;
      }
      return pass;
    }
  };
  const DigestTest digest{up_to, tested, q.one_membership_test, one_bit, &ring_bits};
  const std::uint64_t mark = ++visit_generation;
  const bool asks_skills = !c.spec.skills.empty();
  bool found = false;
  AgentKey best{};
  stale_scratch.clear();
  auto consider = [&](AgentSet::const_iterator from, AgentSet::const_iterator to, int ring) {
    // Most entries a walk meets at scale are ruled out by the digest: the
    // head of a set fills with agents whom the contacts before could not
    // take, and a contact passes over dozens of them. Until a candidate is
    // found they are skipped in a loop that writes nothing, so the test's
    // fields stay in registers.
    const DigestTest test = digest;
    for (auto it = from, next = from; it != to; it = next) {
      if (found && !(rank(*it) < rank(best))) return;  // nothing better further on
      std::uint32_t rings = test.passes(it.summary());
      if (!found) {
        while (rings == 0 && ++it != to) rings = test.passes(it.summary());
        if (it == to) return;
      }
      next = it;
      ++next;
      if (rings == 0) continue;
      // An agent busy since it was indexed is told apart without its record.
      if (!is_free_for(it->agent, q)) {
        stale_scratch.push_back({*it, ring});
        continue;
      }
      // Rings the digest rules out are not evaluated: it never lets too few through.
      const std::uint32_t settled = rings & (~q.dynamic_rings | digest_settled);
      // With many agents, each candidate's record and attributes are cache
      // misses. The next candidate's record does not depend on this one, so
      // it loads while this one is judged, unless this one is all but sure
      // to be taken: it passes a ring settled without evaluation and the
      // contact asks no skills, so only a decline (or a second entry of an
      // agent already visited) turns it down, and looking ahead would read
      // the next entry's key and free byte for a record nothing reads.
      if ((settled == 0 || asks_skills) && next != to && test.passes(next.summary()) != 0 &&
          is_free_for(next->agent, q)) {
        __builtin_prefetch(&agents[next->agent]);
      }
      AgentRecord& a = agents[it->agent];
      if (a.visit_mark == mark) continue;
      a.visit_mark = mark;
      if (reads_attributes) a.view.prefetch();
      if (declined(c, it->agent, now)) continue;
      if (!admits_rings(a, settled, rings & unsettled, q, c)) continue;
      // The offer updates the staffing counts of the agent's queues, listed
      // apart from its record: start loading the list now, its first and
      // last line (ten queues span two or three). It is never empty: an
      // agent met in a queue's free set lists that queue.
      __builtin_prefetch(&a.member_queues.front());
      __builtin_prefetch(reinterpret_cast<const char*>(&a.member_queues.back() + 1) - 1);
      best = *it;
      found = true;
      return;
    }
  };
  for (int i = 0; i <= c.ring; ++i) {
    const auto& set = q.free_by_ring[static_cast<std::size_t>(i)];
    if (cyclic) {
      auto split = set.lower_bound(AgentKey{q.last_position + 1, INT64_MIN, 0});
      if (q.last_position == INT64_MIN) split = set.begin();
      consider(split, set.end(), i);
      consider(set.begin(), split, i);
    } else {
      consider(set.begin(), set.end(), i);
    }
  }
  drop_stale(c.queue);
  if (!found) return;
  if (cyclic) q.last_position = best.primary;
  offer(c, best.agent, now);
}

void Router::Impl::route_agent(AgentIndex ai, TimeMs now) {
  for (;;) {
    AgentRecord& a = agents[ai];
    if (!a.alive || a.presence != AgentState::kAvailable) return;
    // The channels it is free on (see is_free_for): none once it has taken
    // what it can, and then its queues' records are not read again.
    const unsigned free_mask = free_channels[ai];
    if (free_mask == 0) return;
    ContactRecord* best = nullptr;
    ContactKey best_key{};  // best's, copied: reading it there is a miss per comparison
    int best_priority = 0;  // of best's queue
    // Is a contact with `key` in a queue of `priority` served before the
    // best so far? Judged on the key alone: a contact that loses is passed
    // over without reading its record, which at scale is a cache miss.
    auto better = [&](const ContactKey& key, int priority) {
      const ContactKey& b = best_key;
      // Strict fairness looks at age alone.
      if (options.strict_fairness) {
        return std::make_pair(key.enqueued_at, key.seq) < std::make_pair(b.enqueued_at, b.seq);
      }
      if (priority != best_priority) return priority > best_priority;
      return key < b;
    };
    // Contacts that asked for this agent by name come first.
    static const std::vector<ContactId> kNobody;
    for (ContactId id : a.rest ? a.rest->preferred_by : kNobody) {
      ContactRecord& c = contacts.at(id);
      if (c.state != ContactState::kWaiting || !is_free_for(a, queues[c.queue])) continue;
      if (declined(c, ai, now)) continue;
      if (!best || c.key < best_key) {
        best = &c;
        best_key = c.key;
        best_priority = queues[c.queue].config.priority;
      }
    }
    if (!best) {
      // Whether any of the queue's rings admits the agent statically and the
      // agent is free on the queue's channel, read from the membership and
      // the compact staffing counts: a queue it cannot serve is passed over
      // without its record.
      // Memberships are read through their compact copies (member_queues):
      // the queue and static rings are all this search needs of them.
      const auto may_serve = [&](const MemberQueue& m) {
        return m.static_rings != 0 &&
               ((free_mask >> static_cast<int>(staffing[m.queue].channel)) & 1u) != 0;
      };
      // Each queue's heads (see QueueFields::waiting_heads) and its
      // priority (the record's second line) are one load from its index, and
      // the sets of rings beyond the copied heads a chain (queue, set, first
      // leaf): start every queue's loads at once rather than one after
      // another.
      constexpr int kHeads = QueueFields::kWaitingHeads;
      for (const MemberQueue& m : a.member_queues) {
        if (!may_serve(m)) continue;
        const QueueRecord& q = queues[m.queue];
        __builtin_prefetch(&q);
        __builtin_prefetch(&q.config.priority);
        const int lowest = __builtin_ctz(m.static_rings);
        if (lowest < kHeads) {
          __builtin_prefetch(&q.waiting_heads[static_cast<std::size_t>(lowest)]);
          __builtin_prefetch(reinterpret_cast<const char*>(q.waiting_heads.data() + kHeads) - 1);
        }
        for (int r = static_cast<int>(q.waiting_by_ring.size()) - 1; r >= std::max(lowest, kHeads);
             --r) {
          q.waiting_by_ring[static_cast<std::size_t>(r)].prefetch_front();
        }
      }
      // The contact the walk takes, with what offering it reads: all of its
      // record, its queue's offer timeout, and the heads of the two sets it
      // leaves. None of it is read by the walk; it loads while the other
      // queues are looked at. A contact that a better one replaces has cost
      // a few loads that nothing waits for.
      const auto take = [&](const ContactKey& key, const QueueRecord& q, int r) {
        best = key.record;
        best_key = key;
        best_priority = q.config.priority;
        for (std::size_t line = 0; line < sizeof(ContactRecord); line += 64) {
          __builtin_prefetch(reinterpret_cast<const char*>(best) + line);
        }
        __builtin_prefetch(&q.offer_timeout_ms);
        q.waiting_by_ring[static_cast<std::size_t>(r)].prefetch_front();
        q.waiting_by_age.prefetch_front();
      };
      for (const MemberQueue& m : a.member_queues) {
        if (!may_serve(m)) continue;
        QueueRecord& q = queues[m.queue];
        if (!q.alive) continue;
        if (options.strict_fairness) {
          // Oldest first across rings: walk the queue's age order instead.
          for (const auto& [since, id] : q.waiting_by_age) {
            ContactRecord& c = contacts.at(id);
            if (best && !better(c.key, q.config.priority)) break;
            if (c.ring < 0 || declined(c, ai, now) || !admits(a, m.static_rings, q, c, c.ring)) {
              continue;
            }
            best = &c;
            best_key = c.key;
            best_priority = q.config.priority;
            break;
          }
          continue;
        }
        // Older contacts sit in the wider rings: looking there first finds
        // a good candidate early, and the newer contacts of the inner rings
        // are then cut off after one comparison.
        const int priority = q.config.priority;
        // Served before the best so far (see `better`, without strict
        // fairness, which walked the age order above).
        const auto before_best = [&](const ContactKey& key) {
          if (!best) return true;
          if (priority != best_priority) return priority > best_priority;
          return key < best_key;
        };
        // The agent's rings up to r whose targets were settled when it
        // changed are some exactly when r reaches the lowest of them.
        const std::uint32_t settled_rings = m.static_rings & ~q.dynamic_rings;
        const int settled_from = settled_rings ? __builtin_ctz(settled_rings) : 32;
        const int lowest = __builtin_ctz(m.static_rings);
        // Whether the agent may take the contact of `key`, in a ring
        // below settled_from, told from the key: the agent passes the rings
        // up to the contact's that it passes statically (some, since the
        // walk starts at its lowest) exactly when its signature has the
        // contact's bit (see ContactKey::digest_decides). The signature is
        // read from the membership only when a key needs it.
        const std::uint32_t* signature = nullptr;
        const auto digest_verdict = [&](const ContactKey& key) -> KeyVerdict {
          if (!key.judged_by_key || !key.digest_decides ||
              key.digest_epoch != q.digest_owners.epoch()) {
            return KeyVerdict::kUnknown;
          }
          if (!signature) {
            const auto k = static_cast<std::size_t>(&m - a.member_queues.data());
            signature = &a.memberships[k].signature;
          }
          return (*signature & key.digest_bit) != 0 ? KeyVerdict::kTake : KeyVerdict::kPass;
        };
        for (int r = static_cast<int>(q.waiting_by_ring.size()) - 1; r >= lowest; --r) {
          const bool settled = r >= settled_from;
          // The set's first key, from its copy: most sets are judged on it
          // alone (empty, not served before the best so far, or taken on
          // its key), and then the set itself is not read.
          if (const ContactKey* head = q.waiting_head(r)) {
            if (!head->record || !before_best(*head)) continue;
            if (head->judged_by_key &&
                (settled || digest_verdict(*head) == KeyVerdict::kTake)) {
              take(*head, q, r);
              continue;
            }
          }
          for (const ContactKey& key : q.waiting_by_ring[static_cast<std::size_t>(r)]) {
            // Each set is ordered by priority then age: once a contact is
            // not better than the best so far, none after it is.
            if (!before_best(key)) break;
            // The record, a cache miss at scale, is read only if the key
            // cannot tell (see ContactKey::judged_by_key and digest_decides).
            if (!(settled && key.judged_by_key)) {
              const KeyVerdict verdict = settled ? KeyVerdict::kUnknown : digest_verdict(key);
              if (verdict == KeyVerdict::kPass) continue;
              if (verdict == KeyVerdict::kUnknown) {
                const ContactRecord& c = *key.record;
                if (declined(c, ai, now) || !admits(a, m.static_rings, q, c, r)) continue;
              }
            }
            take(key, q, r);
            break;
          }
        }
      }
    }
    if (!best) return;
    // A contact still waiting for its preferred agent (ring -1) is this
    // agent's alone, whatever the queue's strategy: ringing all would look
    // in no ring at all.
    if (best->ring >= 0 && queues[best->queue].strategy == Strategy::kRingAll) {
      index_agent(ai);  // ring all walks the free sets, where this agent belongs too
      offer_ring_all(*best, now);
      if (best->state == ContactState::kWaiting) return;  // nobody could take it
    } else {
      offer(*best, ai, now);
    }
  }
}

}  // namespace hotline::routing
