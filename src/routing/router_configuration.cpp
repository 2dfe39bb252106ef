// Queues and agents coming, changing and going: ring compilation (a target
// split into the parts that read only the agent and those that read the
// contact) and each agent's memberships with what it passes statically.
#include <algorithm>
#include <cassert>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "router_impl.hpp"

namespace hotline::routing {

namespace {
// Room for one more element, growing as push_back would.
template <typename T>
void reserve_one_more(std::vector<T>& v) {
  if (v.size() == v.capacity()) v.reserve(std::max<std::size_t>(2 * v.size(), 1));
}
}  // namespace

Result<std::vector<QueueIndex>> Router::Impl::listed_queue_indexes(
    const AgentConfig& config) const {
  std::vector<QueueIndex> listed;
  listed.reserve(config.queues.size());
  for (const std::string& q : config.queues) {
    const QueueIndex* qi = queue_by_id.find(q);
    if (!qi) return not_found("queue", q);
    listed.push_back(*qi);
  }
  return listed;
}

void Router::Impl::store_config(AgentRecord& a, AgentConfig config) {
  // The configured attributes live on in the view alone: nothing else reads
  // them, and a second copy per agent is a block of memory per agent. The
  // view is the attributes with id, name and skills set over them (a
  // configured "skills" attribute is replaced, not merged into), built
  // straight into one block each for it and its skills object: that layout
  // is what evaluating a target against each candidate reads.
  using Field = std::pair<std::string_view, expr::Value>;
  Field few[8];
  std::vector<Field> many;
  Field* levels = few;
  if (config.skills.size() > std::size(few)) {
    many.resize(config.skills.size());
    levels = many.data();
  }
  for (std::size_t i = 0; i < config.skills.size(); ++i) {
    levels[i] = {config.skills[i].first, expr::Value::number(config.skills[i].second)};
  }
  const expr::Attributes skills =
      expr::Attributes::merged(expr::Attributes(), levels, config.skills.size());
  const Field fields[] = {{"id", expr::Value::string(config.id)},
                          {"name", expr::Value::string(config.name)},
                          {"skills", expr::Value::object(&skills)}};
  a.view = expr::Attributes::merged(config.attributes, fields);
  a.id = std::move(config.id);
  // The view's skills object holds each name once, in sorted order: skills
  // given otherwise are kept as given.
  bool in_view = true;
  for (std::size_t i = 1; i < config.skills.size(); ++i) {
    if (!(config.skills[i - 1].first < config.skills[i].first)) in_view = false;
  }
  if (a.rest || config.role != AgentRole::kAgent || !config.number.empty() || !in_view) {
    AgentRest& rest = rest_of(a);
    rest.role = config.role;
    rest.number = std::move(config.number);
    rest.keeps_skills = !in_view;
    rest.skills.clear();
    if (!in_view) rest.skills = std::move(config.skills);
  }
}

AgentRest& Router::Impl::rest_of(AgentRecord& a) {
  if (!a.rest) a.rest = std::make_unique<AgentRest>();
  return *a.rest;
}

AgentConfig Router::Impl::config_of(const AgentRecord& a) const {
  AgentConfig c;
  c.id = a.id;
  c.name = std::string(a.view.find("name")->as_string());
  if (a.rest && a.rest->keeps_skills) {
    c.skills = a.rest->skills;
  } else {
    const expr::Attributes& skills = *a.view.find("skills")->as_object();
    c.skills.reserve(skills.size());
    for (std::size_t i = 0; i < skills.size(); ++i) {
      c.skills.emplace_back(std::string(skills.key_at(i)),
                            static_cast<int>(skills.value_at(i).as_number()));
    }
  }
  // The attributes were never handed back: they moved into the view.
  c.capacity = a.capacity;
  for (const QueueIndex qi : listed_queues(a)) c.queues.push_back(queues[qi].config.id);
  if (a.rest) {
    c.role = a.rest->role;
    c.number = a.rest->number;
  }
  return c;
}

std::vector<QueueIndex> Router::Impl::listed_queues(const AgentRecord& a) {
  if (a.rest && !a.rest->configured_queues.empty()) return a.rest->configured_queues;
  std::vector<QueueIndex> listed;
  for (const Membership& m : a.memberships) {
    if (m.listed) listed.push_back(m.queue);
  }
  return listed;
}

bool Router::Impl::lists_queue(const AgentRecord& a, QueueIndex qi) noexcept {
  if (a.rest && !a.rest->configured_queues.empty()) {
    const std::vector<QueueIndex>& v = a.rest->configured_queues;
    return std::find(v.begin(), v.end(), qi) != v.end();
  }
  for (const Membership& m : a.memberships) {
    if (m.listed && m.queue == qi) return true;
  }
  return false;
}

int Router::Impl::skill_level(const AgentRecord& a, std::string_view skill) noexcept {
  if (a.rest && a.rest->keeps_skills) {
    for (const auto& [name, level] : a.rest->skills) {
      if (name == skill) return level;
    }
    return 0;
  }
  const expr::Value* level = a.view.find("skills")->as_object()->find(skill);
  return level ? static_cast<int>(level->as_number()) : 0;
}

std::uint32_t Router::Impl::evaluate_static_rings(const AgentRecord& a,
                                                  const QueueRecord& q) const {
  std::uint32_t rings = 0;
  for (std::size_t i = 0; i < q.rings.size(); ++i) {
    const Ring& ring = q.rings[i].ring;
    bool ok = true;
    for (const auto& [skill, level] : q.config.skills) {
      if (skill_level(a, skill) < std::max(level, ring.min_level)) ok = false;
    }
    for (const auto& part : q.rings[i].static_part) {
      if (ok) ok = part.evaluate(expr::Scope{nullptr, &a.view, nullptr});
    }
    if (ok) rings |= (1u << i);
  }
  return rings;
}

void Router::Impl::reset_static_memo(QueueIndex qi) {
  const QueueRecord& q = queues[qi];
  std::vector<const std::vector<expr::Expression>*> parts;
  parts.reserve(q.rings.size());
  for (const CompiledRing& ring : q.rings) parts.push_back(&ring.static_part);
  static_memos[qi].reset(parts, !q.config.skills.empty());
  parts.clear();
  for (const CompiledRing& ring : q.rings) parts.push_back(&ring.membership_tests);
  digest_tests[qi].reset(parts);
}

void Router::Impl::compute_static_rings(const AgentRecord& a, Membership& m) {
  QueueRecord& q = queues[m.queue];
  StaticRingsMemo& memo = static_memos[m.queue];
  m.level_sum = 0;
  if (memo.usable()) {
    // The queue has no skills of its own: no level sum, and the answer
    // depends on the one key the tests read.
    m.static_rings = memo.static_rings(a.view, [&] { return evaluate_static_rings(a, q); });
  } else {
    for (const auto& [skill, level] : q.config.skills) m.level_sum += skill_level(a, skill);
    m.static_rings = evaluate_static_rings(a, q);
  }
  m.lowest_ring = m.static_rings ? __builtin_ctz(m.static_rings) : -1;
  // One digest for all rings: a bit from another ring's test only lets more
  // agents through to the full evaluation.
  DigestTests& tests = digest_tests[m.queue];
  m.signature = tests.empty() ? ~0u : tests.signature(a.view, q.digest_owners);
}

Status Router::Impl::rebuild_memberships(AgentIndex ai) {
  return rebuild_memberships(ai, listed_queues(agents[ai]));
}

Status Router::Impl::rebuild_memberships(AgentIndex ai, std::vector<QueueIndex> listed) {
  MembershipPlan plan = plan_memberships(agents[ai], std::move(listed));
  commit_memberships(ai, plan);
  return {};
}

Router::Impl::MembershipPlan Router::Impl::plan_memberships(const AgentRecord& a,
                                                            std::vector<QueueIndex> listed) {
  MembershipPlan plan;
  std::vector<Membership>& result = plan.memberships;
  result.reserve(listed.size());  // most agents name their queues themselves
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
  for (const QueueIndex qi : queues_listing_members) {
    const QueueRecord& q = queues[qi];
    if (!q.alive) continue;
    const auto& members = q.config.members;
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (members[k].agent_id == a.id) {
        // Explicit positions first, then the listed order.
        add(qi, static_cast<std::int64_t>(members[k].position) * 100000 + static_cast<int>(k),
            members[k].weight);
      }
    }
  }
  for (const QueueIndex qi : listed) add(qi, INT32_MAX, 1);
  bool listed_in_order = true;  // the marked memberships give `listed` back
  std::size_t next = 0;
  for (auto& m : result) {
    m.listed = std::find(listed.begin(), listed.end(), m.queue) != listed.end();
    if (m.listed) listed_in_order &= next < listed.size() && listed[next++] == m.queue;
  }
  listed_in_order &= next == listed.size();
  if (!listed_in_order) {
    if (!a.rest) plan.rest = std::make_unique<AgentRest>();
    plan.configured_queues = std::move(listed);
  }
  // Noting a value in a queue's digest owners is the one change made here:
  // it stands whether or not the plan is committed, as a value noted for an
  // agent that has since changed does (see DigestOwners).
  for (auto& m : result) compute_static_rings(a, m);
  plan.member_queues.reserve(result.size());
  for (const auto& m : result) {
    plan.member_queues.push_back({m.queue, m.static_rings});
    // Room for the agent in its queues' member lists, so that committing
    // cannot fail on it.
    auto& members = queues[m.queue].members;
    if (members.size() == members.capacity()) members.reserve(2 * members.size() + 1);
  }
  return plan;
}

void Router::Impl::commit_memberships(AgentIndex ai, MembershipPlan& plan) noexcept {
  AgentRecord& a = agents[ai];
  if (plan.rest) a.rest = std::move(plan.rest);
  if (a.rest) a.rest->configured_queues = std::move(plan.configured_queues);
  const unsigned mask = staffing_mask(a);
  count_staffing(ai, mask, -1);  // out of the old queues' counts...
  for (const auto& old : a.memberships) {
    auto& members = queues[old.queue].members;
    members.erase(std::remove(members.begin(), members.end(), ai), members.end());
  }
  a.memberships.swap(plan.memberships);
  a.member_queues.swap(plan.member_queues);
  for (const MemberQueue& mq : a.member_queues) queues[mq.queue].members.push_back(ai);  // reserved
  count_staffing(ai, mask, +1);  // ...and into the new ones'
}

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
  q.dynamic_rings = 0;
  q.contact_side.reset(nullptr, 0, 0);
  q.channel = q.config.channel;
  q.strategy = q.config.strategy;
  q.last_agent_routing = q.config.last_agent_wait_ms > 0;
  q.max_length = q.config.max_length;
  q.max_wait_ms = q.config.max_wait_ms;
  q.offer_timeout_ms = q.config.offer_timeout_ms;
  q.ring_one_starts_at = kNever;
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
                        fmt::format("queue '{}': ring {} timeout must be positive",
                                    q.config.id, i));
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
    if (cr.dynamic) q.dynamic_rings |= 1u << i;
    q.rings.push_back(std::move(cr));
    start = (start == kNever || ring.timeout_ms == kNever) ? kNever : start + ring.timeout_ms;
  }
  // A digest bit settles a ring's dynamic part when that part is nothing but
  // membership tests and the queue has one such test (by its text), so that
  // every bit of a digest comes from it.
  const expr::Expression* first_test = nullptr;
  bool one_test = true;
  for (const CompiledRing& cr : q.rings) {
    for (const expr::Expression& test : cr.membership_tests) {
      if (!first_test) first_test = &test;
      one_test &= test.source() == first_test->source();
    }
  }
  q.one_membership_test = first_test && one_test;
  std::uint32_t tested = 0;
  std::uint32_t settled = 0;
  for (std::size_t i = 0; i < q.rings.size(); ++i) {
    CompiledRing& cr = q.rings[i];
    cr.settled_by_digest =
        one_test && cr.dynamic && cr.dynamic_part.size() == cr.membership_tests.size();
    if (!cr.membership_tests.empty()) tested |= 1u << i;
    if (cr.settled_by_digest && !cr.membership_tests.empty()) settled |= 1u << i;
  }
  q.contact_side.reset(q.one_membership_test ? first_test : nullptr, tested, settled);
  if (q.rings.size() > 1) q.ring_one_starts_at = q.rings[1].starts_at;
  q.free_by_ring = agent_sets(q.rings.size(), pool);
  return {};
}

static Status validate_queue(const QueueConfig& c) {
  if (c.id.empty()) return make_error(Errc::kInvalidArgument, "queue id is empty");
  if (c.max_length < 0 || c.max_no_answer < 0 || c.wrap_up_ms < 0 || c.offer_timeout_ms < 0 ||
      c.max_wait_ms <= 0 || c.service_level_ms < 0 || c.resume_window_ms < 0 ||
      c.last_agent_wait_ms < 0) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("queue '{}': limits and durations must not be negative", c.id));
  }
  return {};
}

Result<QueueIndex> Router::add_queue(QueueConfig config) {
  Impl& s = *impl_;
  if (config.service_level_ms == kRouterDefault) {
    config.service_level_ms = s.options.default_service_level_ms;
  }
  if (auto st = validate_queue(config); !st) return std::move(st).error();
  if (s.queue_by_id.contains(config.id)) {
    return make_error(Errc::kExists, fmt::format("queue '{}' already exists", config.id));
  }
  QueueRecord q(s.nodes);
  q.config = std::move(config);
  if (auto st = compile_rings(q, s.nodes); !st) return std::move(st).error();
  q.waiting_by_ring = contact_sets(q.rings.size(), s.nodes);
  const QueueIndex qi = static_cast<QueueIndex>(s.queues.size());
  // The queue's parallel entries get their room first: once its id is in
  // the table, an entry missing from one of them would be read out of
  // bounds by the next agent that lists the queue.
  reserve_one_more(s.queues);
  reserve_one_more(s.staffing);
  reserve_one_more(s.static_memos);
  reserve_one_more(s.digest_tests);
  s.queue_by_id.insert(s.names.emplace_back(q.config.id), qi);
  s.queues.push_back(std::move(q));
  s.staffing.push_back(QueueStaffing{s.queues[qi].config.channel});
  s.static_memos.emplace_back();
  s.digest_tests.emplace_back();
  s.reset_static_memo(qi);
  if (!s.queues[qi].config.members.empty()) s.queues_listing_members.push_back(qi);
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
  if (config.service_level_ms == kRouterDefault) {
    config.service_level_ms = s.options.default_service_level_ms;
  }
  if (auto st = validate_queue(config); !st) return st;
  auto qi = s.lookup_queue(config.id);
  if (!qi) return std::move(qi).error();
  QueueRecord& q = s.queues[*qi];
  if (config.channel != q.config.channel) {
    // An agent's contact is released on its queue's channel (when declined,
    // completed or wrapped up): one taken on the old channel and released
    // on the new would leave the agent's counts of both wrong.
    bool has_contacts = !q.waiting_by_age.empty();
    const QueueIndex queue_index = *qi;
    s.contacts.for_each([&](const ContactRecord& c) { has_contacts |= c.queue == queue_index; });
    if (has_contacts) {
      return illegal(fmt::format("queue '{}': cannot change channel while it has contacts",
                                 config.id));
    }
  }
  // Take everything out of the indexes, swap the configuration, put back.
  std::vector<ContactId> waiting;
  for (const auto& [t, id] : q.waiting_by_age) waiting.push_back(id);
  for (ContactId id : waiting) s.erase_waiting(s.contacts.at(id));
  std::vector<AgentIndex> affected(q.members);
  for (AgentIndex ai = 0; ai < s.agents.size(); ++ai) {
    for (const auto& m : config.members) {
      if (m.agent_id == s.agents[ai].id) affected.push_back(ai);
    }
  }
  for (AgentIndex ai : affected) s.unindex_agent(ai);
  QueueConfig old = std::move(q.config);
  q.config = std::move(config);
  s.staffing[*qi].channel = q.config.channel;
  // Kept in queue order, the order memberships have always been built in.
  auto& listing = s.queues_listing_members;
  if (auto at = std::lower_bound(listing.begin(), listing.end(), *qi);
      !q.config.members.empty() && (at == listing.end() || *at != *qi)) {
    listing.insert(at, *qi);
  }
  if (auto st = compile_rings(q, s.nodes); !st) {
    q.config = std::move(old);
    s.staffing[*qi].channel = q.config.channel;
    (void)compile_rings(q, s.nodes);
    s.reset_static_memo(*qi);
    for (AgentIndex ai : affected) s.index_agent(ai);
    for (ContactId id : waiting) s.insert_waiting(s.contacts.at(id));
    return st;
  }
  q.waiting_by_ring = contact_sets(q.rings.size(), s.nodes);
  q.waiting_heads = {};  // empty already: every waiting contact was taken out above
  // Every member's digest is computed anew below, from the new tests. (On
  // failure above, the old digests and the values noted for them stand.)
  q.digest_owners.clear();
  s.reset_static_memo(*qi);
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
  // A contact ringing an agent is in no waiting set, but its ring and the
  // timer that widens it follow the new rings all the same: declined, it
  // waits in a ring the queue has, and widens on the new timetable.
  const QueueIndex queue_index = *qi;
  s.contacts.for_each([&](ContactRecord& c) {
    if (c.queue != queue_index || c.state != ContactState::kOffered) return;
    c.ring = std::min<int>(c.ring, static_cast<int>(q.rings.size()) - 1);
    s.schedule_ring_timer(c);
  });
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
    if (s.lists_queue(s.agents[ai], *qi)) {
      return illegal(
          fmt::format("agent '{}' still lists queue '{}'", s.agents[ai].id, queue_id));
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

void Router::reserve_agents(std::size_t count) {
  impl_->agents.reserve(impl_->agents.size() + count);
  impl_->free_channels.reserve(impl_->free_channels.size() + count);
  impl_->agent_by_id.reserve(impl_->agent_by_id.size() + count);
}

void Router::prefetch_agent_slot(std::string_view agent_id) const noexcept {
  impl_->agent_by_id.prefetch(agent_id);
}

void Router::set_node_resource_for_testing(std::pmr::memory_resource* nodes) noexcept {
  // Sets made before would keep the other resource: one router, one source.
  assert(impl_->queues.empty() && "set the node resource before adding queues");
  impl_->nodes = nodes;
}

// Adding and updating an agent build everything that allocates aside first
// (the record or its new view and rest, the memberships, room in every
// container the agent joins, its free-set entries) and then put it in
// place with steps that cannot fail: a failed allocation (std::bad_alloc)
// leaves the router as it was. An update's offer of a waiting contact to
// the agent, made once the update is in place, is a decision of its own.
Result<AgentIndex> Router::add_agent(AgentConfig config) {
  Impl& s = *impl_;
  if (auto st = validate_agent(config); !st) return std::move(st).error();
  if (s.agent_by_id.contains(config.id)) {
    return make_error(Errc::kExists, fmt::format("agent '{}' already exists", config.id));
  }
  auto listed = s.listed_queue_indexes(config);
  if (!listed) return std::move(listed).error();
  const AgentIndex ai = static_cast<AgentIndex>(s.agents.size());
  AgentRecord record;
  record.capacity = config.capacity;
  s.store_config(record, std::move(config));
  Impl::MembershipPlan plan = s.plan_memberships(record, std::move(listed).value());
  reserve_one_more(s.agents);
  reserve_one_more(s.free_channels);
  s.agent_by_id.reserve(s.agent_by_id.size() + 1);
  // Nothing below allocates.
  s.agents.push_back(std::move(record));
  s.free_channels.push_back(0);  // logged out
  s.agent_by_id.insert(s.agents[ai].id, ai);
  s.commit_memberships(ai, plan);
  return ai;
}

void Router::Impl::stage_free_entries(AgentIndex ai, const std::array<int, kChannelCount>& capacity,
                                      MembershipPlan& plan) {
  AgentRecord& a = agents[ai];
  // The planned entries, as index_agent would make them once the plan is
  // committed (free where with_staffing will leave free_channels, once the
  // capacity is `capacity`); an entry equal in order to one the agent has
  // in the same set is written over it (kept), any other inserted now.
  struct Staged {
    std::size_t membership;
    AgentKey key;
    bool kept;
  };
  std::vector<Staged> staged;
  std::vector<bool> old_kept(a.memberships.size(), false);
  for_each_free_entry(a, free_on(a, capacity), plan.memberships, false,
                      [&](std::size_t k, const AgentKey& key) {
    const Membership& m = plan.memberships[k];
    // The old entry of the same set and order, if any: written over where
    // it stands, or inserted again where a walk dropped it as stale (the
    // membership still marked indexed). Either way the clean-up below must
    // not erase it, since the old key and the new one are the same.
    bool kept = false;
    for (std::size_t o = 0; o < a.memberships.size(); ++o) {
      const Membership& old = a.memberships[o];
      if (old_kept[o] || !old.indexed || old.queue != m.queue ||
          old.lowest_ring != m.lowest_ring || old.key_primary != key.primary ||
          old.key_secondary != key.secondary) {
        continue;
      }
      old_kept[o] = true;
      const auto& set = queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)];
      kept = set.find(key) != set.end();
      break;
    }
    staged.push_back({k, key, kept});
  });
  std::size_t inserted = 0;
  try {
    for (; inserted < staged.size(); ++inserted) {
      const Staged& e = staged[inserted];
      if (e.kept) continue;
      const Membership& m = plan.memberships[e.membership];
      queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].insert(
          e.key, AgentSummary{m.static_rings, m.signature});
    }
  } catch (...) {
    for (std::size_t i = 0; i < inserted; ++i) {
      const Staged& e = staged[i];
      if (e.kept) continue;
      const Membership& m = plan.memberships[e.membership];
      queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].erase(e.key);
    }
    throw;
  }
  // Nothing below allocates.
  for (const Staged& e : staged) {
    Membership& m = plan.memberships[e.membership];
    if (e.kept) {
      queues[m.queue].free_by_ring[static_cast<std::size_t>(m.lowest_ring)].assign(
          e.key, AgentSummary{m.static_rings, m.signature});
    }
    m.key_primary = e.key.primary;
    m.key_secondary = e.key.secondary;
    m.indexed = true;
  }
  for (std::size_t o = 0; o < a.memberships.size(); ++o) {
    Membership& old = a.memberships[o];
    if (!old.indexed) continue;
    if (!old_kept[o]) {
      queues[old.queue].free_by_ring[static_cast<std::size_t>(old.lowest_ring)].erase(
          AgentKey{old.key_primary, old.key_secondary, ai});
    }
    old.indexed = false;
  }
}

Status Router::update_agent(AgentConfig config, TimeMs now) {
  Impl& s = *impl_;
  if (auto st = validate_agent(config); !st) return st;
  auto ai = s.lookup_agent(config.id);
  if (!ai) return std::move(ai).error();
  auto listed = s.listed_queue_indexes(config);
  if (!listed) return std::move(listed).error();
  AgentRecord& a = s.agents[*ai];
  // The new configuration, built aside: its view and rest (a rest once
  // allocated is kept), then the memberships it gives.
  AgentRecord fresh;
  if (a.rest) fresh.rest = std::make_unique<AgentRest>();
  fresh.capacity = config.capacity;
  s.store_config(fresh, std::move(config));
  Impl::MembershipPlan plan = s.plan_memberships(fresh, std::move(listed).value());
  // The last step that may fail, and on failure undoes itself.
  s.stage_free_entries(*ai, fresh.capacity, plan);
  // Nothing below allocates. Lowering capacity below what the agent holds
  // takes effect as contacts end. The id map's slot keeps the agent's
  // index and its id's hash; the id, read from the record, is the same.
  s.with_staffing(*ai, [&] { a.capacity = fresh.capacity; });
  a.view = std::move(fresh.view);
  if (a.rest) {  // its state moves over to the new rest
    fresh.rest->not_ready_reason = std::move(a.rest->not_ready_reason);
    fresh.rest->preferred_by = std::move(a.rest->preferred_by);
  }
  a.rest = std::move(fresh.rest);
  s.commit_memberships(*ai, plan);
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

}  // namespace hotline::routing
