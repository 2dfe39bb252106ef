// The router's private state. Records live in vectors indexed by AgentIndex /
// QueueIndex (never reused) and in a hash map by ContactId; the ordered sets
// are the indexes that keep routing decisions away from full scans.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <memory_resource>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "hotline/routing/router.hpp"
#include "hotline/util/btree_set.hpp"
#include "hotline/util/id_map.hpp"
#include "hotline/util/keyed_map.hpp"
#include "hotline/util/node_pool.hpp"
#include "hotline/util/timer_heap.hpp"
#include "hotline/util/view_map.hpp"

#include "contact_side.hpp"
#include "digest_owners.hpp"
#include "digest_tests.hpp"
#include "offer_list.hpp"
#include "static_rings_memo.hpp"

namespace hotline::routing {

// Position of a free agent in a queue's strategy order: lower sorts first.
struct AgentKey {
  std::int64_t primary;
  std::int64_t secondary;
  AgentIndex agent;
  std::uint32_t membership = 0;  // index into the agent's memberships: no search
  bool operator<(const AgentKey& o) const noexcept {
    if (primary != o.primary) return primary < o.primary;
    if (secondary != o.secondary) return secondary < o.secondary;
    return agent < o.agent;
  }
};
// With its 8-byte summary (AgentSummary) a free-set entry is 32 bytes, 15 to
// a leaf: the walk's line arithmetic and the memory per agent count on it.
static_assert(sizeof(AgentKey) == 24);

// Position of a waiting contact: higher priority first, then the older.
struct ContactRecord;

struct ContactKey {
  std::int64_t neg_priority;
  TimeMs enqueued_at;
  std::uint64_t seq;
  // Set when the contact is listed (insert_waiting): it has declined nobody
  // and asks for no skills, so an agent who passes one of its rings that
  // reads no contact attributes may take it, judged without its record.
  bool judged_by_key = false;
  // Set by insert_waiting for a contact judged by its key when its value in
  // the queue's one membership test has a digest bit of its own
  // (`digest_bit`, as of the digest owners' `digest_epoch`) and that test is
  // all there is to the dynamic part of each ring up to the contact's: an
  // agent then passes those rings exactly when its membership's signature
  // has the bit, and is told yes or no without the contact's record, nor its
  // attributes read and the test evaluated. Kept in the bytes the key
  // would otherwise pad.
  bool digest_decides = false;
  std::uint16_t digest_epoch = 0;
  std::uint32_t digest_bit = 0;
  ContactRecord* record = nullptr;  // contact records never move (see ContactTable)
  bool operator<(const ContactKey& o) const noexcept {
    if (neg_priority != o.neg_priority) return neg_priority < o.neg_priority;
    if (enqueued_at != o.enqueued_at) return enqueued_at < o.enqueued_at;
    return seq < o.seq;
  }
};

// Ordered sets keep their keys side by side in B+ tree leaves (walking the
// head of a set reads one or two cache lines, not a node per key) drawn from
// the router's pool: routing a contact inserts and erases a few keys, and
// the pool makes a new leaf a free-list pop.
// A free-set entry's summary: its membership's static_rings and signature,
// copied there so that passing over an agent does not fetch its memberships
// from elsewhere in memory. A new contact's walk tests these of every entry
// it passes, and the set keeps them in a dense array beside each leaf's
// keys: passing over twenty entries reads a few cache lines, not ten.
struct AgentSummary {
  std::uint32_t static_rings = 0;
  std::uint32_t signature = ~0u;
};
using AgentSet = BTreeSet<AgentKey, std::less<AgentKey>, AgentSummary>;
using ContactSet = BTreeSet<ContactKey>;
// Twelve to a 512-byte leaf, and 40 bytes a waiting contact per ring set.
static_assert(sizeof(ContactKey) == 40);

// Position of a waiting contact in its queue's age order.
struct AgeKey {
  TimeMs since;
  ContactId id;
  bool operator<(const AgeKey& o) const noexcept {
    return since != o.since ? since < o.since : id < o.id;
  }
};
using AgeSet = BTreeSet<AgeKey>;
// A queue record's second line holds an age order and three durations.
static_assert(sizeof(AgeSet) == 40);

struct Membership {
  QueueIndex queue;
  int position = 0;
  int weight = 1;
  // Bit i: the agent passes the parts of ring i that do not depend on the
  // contact (agent-only target, minimum level in the queue's skills).
  std::uint32_t static_rings = 0;
  int level_sum = 0;  // levels in the queue's skills, for most skilled
  // A digest of the agent's side of the queue's membership tests (see
  // CompiledRing): one bit per value. A contact whose value's bit is not
  // set cannot pass them, and the agent is passed over unread.
  std::uint32_t signature = ~0u;
  // The agent is indexed once per queue, in the free set of the lowest ring
  // it passes statically; a contact in ring k looks at sets 0..k.
  int lowest_ring = -1;
  // Put in its free set by index_agent and not since taken out by
  // unindex_agent. A decision that meets the entry stale (the agent busy)
  // drops it without clearing this: the agent is re-indexed only after
  // unindex_agent, which then erases nothing.
  bool indexed = false;
  // The agent's configuration lists this queue (see AgentRest::configured_queues).
  bool listed = false;
  // The order of its entry in its free set, for erasing it: the rest of the
  // entry is the agent's index and copies of fields above, which the set's
  // order does not read.
  std::int64_t key_primary = 0;
  std::int64_t key_secondary = 0;
};

// A membership's queue and static rings (copies of Membership's).
struct MemberQueue {
  QueueIndex queue;
  std::uint32_t static_rings;
};

// What few agents have or need at a time, out of line: with it inline, the
// record took a fifth cache line that most agents left empty. Allocated
// when first needed and kept (see Router::Impl::rest_of).
struct AgentRest {
  // Of its configuration:
  AgentRole role = AgentRole::kAgent;
  std::string number;
  // The skills as configured, kept only when the view's skills object (one
  // key per name, in sorted order) would not give them back as they were
  // given: out of order or a name twice. Empty otherwise.
  std::vector<std::pair<std::string, int>> skills;
  bool keeps_skills = false;
  // The queues it lists, by index (a queue an agent lists cannot be
  // removed), when its memberships marked `listed` do not give them back in
  // order. Empty otherwise.
  std::vector<QueueIndex> configured_queues;
  // Of its state:
  std::string not_ready_reason;
  std::vector<ContactId> preferred_by;  // waiting contacts that asked for this agent
};

// Aligned so that what every routing decision reads, at the front, is one
// cache line: with many agents, passing over a candidate costs a miss per
// line it touches.
struct alignas(64) AgentRecord {
  bool alive = true;
  AgentState presence = AgentState::kLoggedOut;  // logged out / available / not ready
  AgentState state = AgentState::kLoggedOut;     // what was last announced
  std::array<int, kChannelCount> active{};
  std::array<int, kChannelCount> capacity{};  // config.capacity, kept here for locality
  std::uint64_t visit_mark = 0;                // de-duplicates candidates across rings
  expr::Attributes view;  // attributes + id, name, skills: what agent.* reads
  std::vector<Membership> memberships;
  // The memberships' queues and static rings, compact, in the same order:
  // staffing counts walk them on every offer and release, and an agent
  // becoming ready looks for contacts with nothing else of its memberships.
  // Ten memberships span eight cache lines, these two.
  std::vector<MemberQueue> member_queues;

  // What is left of the agent's AgentConfig once the view holds its name,
  // attributes and (most often) skills, and `capacity` its capacity: a full
  // copy beside the view was a third of an agent's memory. agent_config puts
  // the configuration back together.
  std::string id;  // also in the view; here for the id map and Router::agent_id
  std::unique_ptr<AgentRest> rest;  // null until something in it is needed
  TimeMs state_since = 0;
  std::array<TimeMs, kChannelCount> idle_since{};
  int offered_now = 0;
  int connected_now = 0;
  int wrapping_now = 0;
  int consecutive_no_answer = 0;
  std::int64_t offered = 0;
  std::int64_t answered = 0;
  std::int64_t missed = 0;
  std::int64_t contacts_today = 0;
  DurationMs talk_ms_today = 0;
};

// The key of an agent in agent_by_id: its configured id, read through its
// index (records move as their vector grows; indexes do not).
struct AgentIdOf {
  const std::vector<AgentRecord>* agents;
  std::string_view operator()(AgentIndex ai) const noexcept { return (*agents)[ai].id; }
};

struct CompiledRing {
  Ring ring;
  // The target split at its top-level ANDs: operands that read only the
  // agent are evaluated when the agent changes; the rest per contact.
  std::vector<expr::Expression> static_part;
  std::vector<expr::Expression> dynamic_part;
  // The dynamic operands of the form `contact.K IN agent.L` (or HAS, ==):
  // the free sets carry a digest of each agent's side of these.
  std::vector<expr::Expression> membership_tests;
  bool dynamic = false;
  // The dynamic part is the queue's one membership test alone: where the
  // queue's DigestOwners settle the contact's value, so does a digest bit.
  bool settled_by_digest = false;
  DurationMs starts_at = 0;  // time since joining the rings when this ring begins
};

// Aligned to a cache line, so that the line count below holds for every
// queue, not only for those the vector happens to place on a boundary.
struct alignas(64) QueueFields {
  explicit QueueFields(std::pmr::memory_resource* pool) : waiting_by_age(pool) {}

  // What every decision in the queue reads, and all that a new contact
  // reads of the record but for its contact side and digest owners: these
  // two lines. With many agents a queue's lines are evicted between its
  // contacts, and each line read is a miss; spread over the record (the
  // configuration's fields, the ring list, the age order), a new contact
  // read seven. An agent becoming ready reads the first line and the
  // configuration's priority.
  bool alive = true;
  bool membership_tests = false;  // some ring has one
  bool one_membership_test = false;  // all the rings' tests are one (by text)
  // Copies of the configuration's fields, set by compile_rings, which every
  // change of the configuration goes through.
  Channel channel = Channel::kVoice;
  Strategy strategy = Strategy::kLongestIdle;
  bool last_agent_routing = false;  // config.last_agent_wait_ms > 0
  // Bit i: ring i has a dynamic part (see CompiledRing).
  std::uint32_t dynamic_rings = 0;
  int max_length = 0;
  std::vector<AgentSet> free_by_ring;
  std::vector<ContactSet> waiting_by_ring;
  // The second line (see AgeSet).
  AgeSet waiting_by_age;
  DurationMs max_wait_ms = kNever;
  DurationMs offer_timeout_ms = 0;
  // When ring 1 begins, from ring 0's start (rings[1].starts_at; kNever
  // with one ring): a new contact's first widening, without the ring list.
  DurationMs ring_one_starts_at = kNever;
  QueueConfig config;
  std::vector<CompiledRing> rings;
  // The values behind the bits of this queue's membership digests. They tell
  // a digest bit exact only when every membership test of the queue is one
  // test: a digest is the union over all of them.
  DigestOwners digest_owners;
  std::vector<AgentIndex> members;
  std::int64_t last_position = INT64_MIN;  // round robin's memory
  DurationMs ewma_wait_ms = -1;  // Asterisk's holdtime average: (3·old + new) / 4
  int waiting_preferred = 0;  // waiting in the preferred-agent stage
  // Its own line, loaded as a contact arrives (see ContactSide).
  ContactSide contact_side;

  // The first key of each of the first kWaitingHeads rings' waiting sets,
  // copied (record null: the set is empty), kept by insert_waiting and
  // erase_waiting. An agent becoming ready compares each of its queues'
  // heads and, most often, takes one on its key alone: read here, a head is
  // one load from the queue's index, where the set's own first key is three
  // in a chain (the record's set list, the set, its first leaf).
  static constexpr int kWaitingHeads = 3;
  alignas(64) std::array<ContactKey, kWaitingHeads> waiting_heads{};

  // The copy of ring r's first waiting key; null when r has none copied.
  const ContactKey* waiting_head(int r) const noexcept {
    return r < kWaitingHeads ? &waiting_heads[static_cast<std::size_t>(r)] : nullptr;
  }
};

template <std::size_t Bytes>
struct Spacing {
  char bytes[Bytes];
};
template <>
struct Spacing<0> {};

// A queue's record, a whole number of cache lines long, and an odd number of
// them: at a stride of an even number, and the fields above came to 32 lines
// exactly, the first lines of all queues fall into a few sets of each
// cache (one set in 32 of them), where they keep evicting one another. An
// agent becoming ready reads the first line and the priority line of each
// of its queues, and the two of the waiting sets' head copies.
struct QueueRecord : QueueFields {
  using QueueFields::QueueFields;

 private:
  static constexpr std::size_t kLines = (sizeof(QueueFields) + 63) / 64;
  [[no_unique_address]] Spacing<kLines % 2 == 0 ? 64 : 0> spacing_;
};
static_assert(sizeof(QueueRecord) % 64 == 0 && sizeof(QueueRecord) / 64 % 2 == 1);

// A queue's staffing counts, kept up to date as agents change so staffing
// questions cost O(1). Apart from the queue records: offering a contact
// updates them for every queue of the agent, and this way they share a few
// cache lines.
struct QueueStaffing {
  Channel channel = Channel::kVoice;  // the queue's, mirrored
  int logged_in = 0;
  int free_agents = 0;
};

// What the router keeps of a contact's ContactSpec: what deciding, the
// contact's views and its end read. The queue and the preferred agent the
// spec names are resolved on arrival (ContactRecord::queue, ::preferred);
// its priority, channel and callback fields only decide where it first waits.
// A million waiting contacts would otherwise each carry those strings.
struct RoutedSpec {
  std::string external_id;
  std::string caller;
  expr::Attributes attributes;
  std::vector<std::pair<std::string, int>> skills;
  DurationMs preferred_wait_ms = 0;

  RoutedSpec& operator=(ContactSpec&& spec) noexcept {
    external_id = std::move(spec.external_id);
    caller = std::move(spec.caller);
    attributes = std::move(spec.attributes);
    skills = std::move(spec.skills);
    preferred_wait_ms = spec.preferred_wait_ms;
    return *this;
  }
};

struct ContactRecord {
  ContactId id = 0;
  RoutedSpec spec;
  QueueIndex queue = kNoIndex;
  // The small fields side by side, where they leave no padding.
  ContactState state = ContactState::kWaiting;
  bool overflowed = false;
  // In its queue's waiting sets (see insert_waiting). A new contact that an
  // agent takes at once never enters them.
  bool listed = false;
  ContactKey key{};
  int ring = -1;  // -1: waiting for the preferred agent only
  AgentIndex preferred = kNoIndex;
  TimeMs arrived_at = 0;      // joined this queue (for waits and SLA)
  TimeMs rings_start_at = 0;  // ring 0 began
  TimeMs connected_at = 0;
  AgentIndex agent = kNoIndex;  // connected or wrapping up
  AgentIndex declined_by = kNoIndex;
  OfferList offers;
  TimeMs declined_until = 0;
  TimerHeap::TimerId ring_timer = 0;
  TimerHeap::TimerId max_wait_timer = 0;
  TimerHeap::TimerId retry_timer = 0;
  TimerHeap::TimerId wrap_timer = 0;
};

// Contacts by id. A record never moves while its contact lives (ContactKey
// points at it): records sit in blocks of kBlock, never moved or freed while
// the table lives, and are recycled through a free list, most recently freed
// first, so a new contact reuses memory still in the cache; ids find them
// through a flat IdMap, one probe where a node-based map took a bucket, a
// node and the node before it. (A deque gave a record of this size a block
// of its own: an allocation's overhead and a map slot more per contact.)
class ContactTable {
 public:
  ContactRecord* find(ContactId id) noexcept {
    ContactRecord** r = index_.find(id);
    return r ? *r : nullptr;
  }
  const ContactRecord* find(ContactId id) const noexcept {
    ContactRecord* const* r = index_.find(id);
    return r ? *r : nullptr;
  }
  // For ids the router knows to be live.
  ContactRecord& at(ContactId id) noexcept { return *find(id); }

  ContactRecord& insert(ContactRecord record) {
    ContactRecord& slot = emplace(record.id);
    slot = std::move(record);
    return slot;
  }

  // A fresh record for `id`, filled in place by the caller: a record built
  // elsewhere and moved in is moved field by field once more.
  ContactRecord& emplace(ContactId id) {
    ContactRecord* slot;
    if (!free_.empty()) {
      slot = free_.back();  // reset when freed
      free_.pop_back();
    } else {
      if (used_ == kBlock) {
        blocks_.push_back(std::make_unique<ContactRecord[]>(kBlock));
        used_ = 0;
      }
      slot = &blocks_.back()[used_++];
    }
    slot->id = id;
    index_[id] = slot;
    return *slot;
  }

  // Starts loading the index slot where `id` will go: the slot of a new id
  // is a cache miss in a large table, and can load while the caller works.
  void prefetch(ContactId id) const noexcept { index_.prefetch(id); }

  void erase(ContactId id) {
    ContactRecord* r = find(id);
    if (!r) return;
    index_.erase(id);
    // Gives its strings and lists back now, except the offers list: the
    // vector a ring-all contact's second offer allocated is kept for the
    // next contact that rings several agents.
    OfferList offers = std::move(r->offers);
    offers.clear();
    *r = ContactRecord{};
    r->offers = std::move(offers);
    free_.push_back(r);
  }

  std::size_t size() const noexcept { return index_.size(); }

  // Room in the index for `count` contacts. The records' blocks are not
  // made ahead: each is 64 records, made when the last is full.
  void reserve(std::size_t count) { index_.reserve(count); }

  // Calls f(record) for every live contact, in no particular order.
  template <typename F>
  void for_each(F f) {
    index_.for_each([&](std::uint64_t, ContactRecord* r) { f(*r); });
  }

 private:
  static constexpr std::size_t kBlock = 64;
  IdMap<ContactRecord*> index_;
  std::vector<std::unique_ptr<ContactRecord[]>> blocks_;
  std::size_t used_ = kBlock;  // records handed out of the last block
  std::vector<ContactRecord*> free_;
};

struct Reservation {
  ReservationId id = 0;
  ContactId contact = 0;
  AgentIndex agent = kNoIndex;
  TimeMs offered_at = 0;
  TimerHeap::TimerId timer = 0;
};

struct AbandonedPlace {
  QueueIndex queue;
  TimeMs enqueued_at;
  TimeMs expires_at;
};

enum TimerKind : std::uint32_t {
  kTimerRingWiden,
  kTimerMaxWait,
  kTimerOfferTimeout,
  kTimerWrapUp,
  kTimerRetry,
};

inline Error not_found(std::string_view what, std::string_view id) {
  return make_error(Errc::kNotFound, fmt::format("unknown {} '{}'", what, id));
}

inline Error illegal(std::string_view msg) {
  return make_error(Errc::kIllegalState, std::string(msg));
}

struct Router::Impl {
  util::NodePool pool;  // first: the containers below use it
  // Where the queues' ordered sets take their nodes: the pool, but for
  // tests (Router::set_node_resource_for_testing).
  std::pmr::memory_resource* nodes = &pool;
  RouterOptions options;
  std::mt19937_64 rng;
  std::vector<AgentRecord> agents;
  // By AgentIndex, bit c: the agent is free on channel c (what is_free_for
  // answers), kept by with_staffing. Walking a free set meets entries of
  // agents who have since taken a contact elsewhere; this dense copy tells
  // them apart without fetching each one's record, a cache miss at scale.
  std::vector<std::uint8_t> free_channels;
  std::vector<QueueRecord> queues;
  std::vector<QueueStaffing> staffing;  // by QueueIndex
  // By QueueIndex: the queues' static ring answers per value, side by side
  // (two lines a queue) rather than in their records, so that loading many
  // agents keeps them all in the cache.
  std::vector<StaticRingsMemo> static_memos;
  // By QueueIndex: the agent's side of the queues' membership tests, which
  // an agent's digests are computed from.
  std::vector<DigestTests> digest_tests;
  // Queues whose configuration has listed members (at some time): an agent's
  // memberships look for its id there, not in every queue.
  std::vector<QueueIndex> queues_listing_members;
  // Queue ids by value; the map views the copies in `names`, which never move
  // (a record's own id does when its vector grows). Agent ids are read from
  // the records themselves (AgentIdOf): a million agents' slots are then 16
  // bytes each, not 32.
  std::deque<std::string> names;
  KeyedMap<AgentIndex, AgentIdOf> agent_by_id{AgentIdOf{&agents}};
  ViewMap<QueueIndex> queue_by_id;
  ContactTable contacts;
  IdMap<Reservation> reservations;
  std::unordered_map<std::string, AbandonedPlace> abandoned_by_caller;
  TimerHeap timers;
  std::vector<Output> out;
  ContactId next_contact = 1;
  ReservationId next_reservation = 1;
  std::uint64_t next_seq = 0;
  std::uint64_t visit_generation = 0;
  // Stale free-set entries met by a decision, with the ring whose set holds
  // them, dropped once the walk is done (erasing moves keys under the walk);
  // reused so routing does not allocate for it.
  struct StaleEntry {
    AgentKey key;
    int ring;
  };
  std::vector<StaleEntry> stale_scratch;

  explicit Impl(RouterOptions o) : options(o), rng(o.seed) {}

  // router.cpp
  Result<AgentIndex> lookup_agent(std::string_view id) const;
  Result<QueueIndex> lookup_queue(std::string_view id) const;
  // Every output passes here. Counting them is the KPI collector's (fed by
  // engine::KpiFeed), so the router keeps no counts of what it emits.
  void emit(Output o) { out.push_back(o); }

  // router_configuration.cpp
  // Takes in an agent's configuration: into the view, `capacity` and the
  // record's rest of it. Its queues are taken in by index, as
  // listed_queue_indexes gave them, by rebuild_memberships.
  void store_config(AgentRecord& a, AgentConfig config);
  // The queues a configuration lists, by index, each looked up once; the
  // first unknown one refused.
  Result<std::vector<QueueIndex>> listed_queue_indexes(const AgentConfig& config) const;
  static AgentRest& rest_of(AgentRecord& a);
  AgentConfig config_of(const AgentRecord& a) const;
  static std::vector<QueueIndex> listed_queues(const AgentRecord& a);
  static bool lists_queue(const AgentRecord& a, QueueIndex qi) noexcept;
  static int skill_level(const AgentRecord& a, std::string_view skill) noexcept;
  Status rebuild_memberships(AgentIndex ai);
  // With the queues the agent lists given (its configuration has changed).
  Status rebuild_memberships(AgentIndex ai, std::vector<QueueIndex> listed);
  // An agent's memberships in two steps: everything that allocates is done
  // by planning them, which leaves the router as it was (room reserved
  // aside), and committing the plan cannot fail. `a` may be a record built
  // aside for the agent's new configuration (its id, view and rest).
  struct MembershipPlan {
    std::vector<Membership> memberships;
    std::vector<MemberQueue> member_queues;
    std::vector<QueueIndex> configured_queues;  // see AgentRest; empty when in order
    std::unique_ptr<AgentRest> rest;  // for configured_queues, when the agent has none
  };
  MembershipPlan plan_memberships(const AgentRecord& a, std::vector<QueueIndex> listed);
  void commit_memberships(AgentIndex ai, MembershipPlan& plan) noexcept;
  void compute_static_rings(const AgentRecord& a, Membership& m);
  // The rings of queue `q` whose static parts agent `a` passes (bit i: ring i).
  std::uint32_t evaluate_static_rings(const AgentRecord& a, const QueueRecord& q) const;
  // Judges anew which static ring answers queue `qi` may reuse, and takes
  // its membership tests' agent side, after its rings were compiled.
  void reset_static_memo(QueueIndex qi);
  // For an agent whose memberships become `plan`'s and its capacity
  // `capacity`: puts into the free sets the entries index_agent would put
  // there after the commit and takes out those of its current memberships
  // (as unindex_agent does), marking the plan's memberships indexed. The
  // insertions come first: if one fails, those made are taken out again and
  // the exception leaves the sets as they were.
  void stage_free_entries(AgentIndex ai, const std::array<int, kChannelCount>& capacity,
                          MembershipPlan& plan);

  // free_agent_index.cpp
  bool is_free_for(const AgentRecord& a, const QueueRecord& q) const noexcept;
  // The same answer from free_channels, without reading the agent's record.
  bool is_free_for(AgentIndex ai, const QueueRecord& q) const noexcept {
    return (free_channels[ai] >> static_cast<int>(q.channel)) & 1u;
  }
  AgentKey strategy_order(const AgentRecord& a, const Membership& m, const QueueRecord& q) const;
  // The channels (bit c) an agent is free on were its capacity `capacity`:
  // for its own capacity, what free_channels and staffing_mask hold.
  static unsigned free_on(const AgentRecord& a,
                          const std::array<int, kChannelCount>& capacity) noexcept;
  // Calls f(k, key) for each membership k of `memberships` (the agent's own,
  // or a plan's for it) that puts the agent, free on the channels
  // `free_mask`, in a free set of its queue, the set of its lowest
  // static ring, with the key of that entry. index_agent makes these entries
  // and stage_free_entries stages them: one decision for both. Memberships
  // marked indexed are passed over when `skip_indexed`.
  template <typename F>
  void for_each_free_entry(const AgentRecord& a, unsigned free_mask,
                           const std::vector<Membership>& memberships, bool skip_indexed,
                           F f) const {
    for (std::size_t k = 0; k < memberships.size(); ++k) {
      const Membership& m = memberships[k];
      if ((skip_indexed && m.indexed) || m.lowest_ring < 0) continue;
      if (!((free_mask >> static_cast<int>(staffing[m.queue].channel)) & 1u)) continue;
      const QueueRecord& q = queues[m.queue];
      if (!q.alive) continue;
      AgentKey key = strategy_order(a, m, q);
      key.membership = static_cast<std::uint32_t>(k);
      f(k, key);
    }
  }
  void unindex_agent(AgentIndex ai);
  // Drops free-set entries found stale (their agents are no longer free
  // there), by the keys met while walking queue `qi`'s sets.
  void drop_stale(QueueIndex qi);
  void index_agent(AgentIndex ai);
  // Bits 0-2: free on that channel; bit 3: logged in.
  unsigned staffing_mask(const AgentRecord& a) const noexcept;
  // Adds (sign +1) or removes (-1) the agent's part in its queues' counts.
  void count_staffing(AgentIndex ai, unsigned mask, int sign);
  // Moves the agent's part in its queues' counts from mask `before` to
  // `after`, in one pass over its queues.
  void recount_staffing(AgentIndex ai, unsigned before, unsigned after);
  // Adds `delta` to the contacts agent `ai` holds on `channel`, keeping the
  // staffing counts right. Only whether it is free on that channel can
  // change, so only its queues on that channel are counted again: offers
  // and releases skip the general mask comparison of with_staffing.
  void add_active(AgentIndex ai, Channel channel, int delta);
  // Runs `change` on agent `ai` and keeps the queues' staffing counts right.
  template <typename F>
  void with_staffing(AgentIndex ai, F change) {
    const unsigned before = staffing_mask(agents[ai]);
    change();
    const unsigned after = staffing_mask(agents[ai]);
    free_channels[ai] = static_cast<std::uint8_t>(after & ((1u << kChannelCount) - 1));
    if (before != after) recount_staffing(ai, before, after);
  }

  // presence.cpp
  void refresh_state(AgentIndex ai, TimeMs now);

  // contact_lifecycle.cpp
  void insert_waiting(ContactRecord& c);
  // The contact's side of the queue's one membership test (the queue has
  // one, and ring `ring` tests it): from the contact side's key when it has
  // one, else from the ring's test.
  static expr::Value one_test_value(const QueueRecord& q, const ContactRecord& c, int ring) {
    const ContactSide& side = q.contact_side;
    if (side.has_key()) return side.contact_value(c.spec.attributes);
    const expr::Scope scope{&c.spec.attributes, nullptr, nullptr};
    return q.rings[static_cast<std::size_t>(ring)].membership_tests.front().contact_operand(scope);
  }
  // Sets the key's digest fields (see ContactKey::digest_decides).
  void note_digest(ContactRecord& c, const QueueRecord& q) const noexcept;
  void erase_waiting(ContactRecord& c);
  void schedule_ring_timer(ContactRecord& c);
  void offer(ContactRecord& c, AgentIndex ai, TimeMs now);
  void release_agent(AgentIndex ai, Channel ch, TimeMs now, bool became_idle);
  void end_offer(ReservationId rid, TimeMs now, Output::Kind why);
  void requeue(ContactRecord& c, TimeMs now);
  void finish_wrap_up(ContactRecord& c, TimeMs now);
  void drop_contact(ContactId id);
  void rescind_all(ContactRecord& c, TimeMs now);
  Status leave_queue(ContactId contact, TimeMs now, bool abandoned);
  void remember_abandoned(const ContactRecord& c, TimeMs now);
  void on_timer(const TimerHeap::Due& due, TimeMs now);

  // router_views.cpp
  int position_of(const ContactRecord& c) const;
  DurationMs expected_wait(const QueueRecord& q) const;

  // selection.cpp
  bool qualifies(const AgentRecord& a, const QueueRecord& q, const ContactRecord& c,
                 int ring) const noexcept;
  // The part of qualifies that remains once the ring's target is settled:
  // the contact's own skill requirements.
  bool meets_skills(const AgentRecord& a, const QueueRecord& q, const ContactRecord& c,
                    int ring) const noexcept;
  // `static_rings`: the membership's bits (see Membership).
  bool admits(const AgentRecord& a, std::uint32_t static_rings, const QueueRecord& q,
              const ContactRecord& c, int up_to_ring) const noexcept;
  // Whether the agent passes one of the rings `settled` (their targets known
  // to pass) or `unsettled` (their dynamic parts still to evaluate).
  bool admits_rings(const AgentRecord& a, std::uint32_t settled, std::uint32_t unsettled,
                    const QueueRecord& q, const ContactRecord& c) const noexcept;
  void route_contact(ContactRecord& c, TimeMs now);
  void route_agent(AgentIndex ai, TimeMs now);
  AgentIndex pick_random(const ContactRecord& c, bool weighted, TimeMs now);
  void offer_ring_all(ContactRecord& c, TimeMs now);
  template <typename F>
  void for_each_eligible(const ContactRecord& c, TimeMs now, F take);
};

}  // namespace hotline::routing
