// The ACD: agents, queues, waiting contacts, offers. Sans-IO: every call
// carries the time, deadlines are read with next_deadline() and fired with
// advance(), and what the router decides comes out as Outputs to drain.
//
// Cost model: free agents are indexed per (queue, ring) in the order of the
// queue's strategy, and waiting contacts per (queue, ring) by priority and
// age, so routing a contact or serving a newly free agent looks at the head
// of a few ordered sets instead of scanning agents or contacts.
#pragma once

#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/routing/agent_config.hpp"
#include "hotline/routing/contact_spec.hpp"
#include "hotline/routing/output.hpp"
#include "hotline/routing/queue_config.hpp"
#include "hotline/util/result.hpp"

namespace hotline::routing {

struct RouterOptions {
  std::uint64_t seed = 1;  // random strategies are reproducible per seed
  // Serve the longest-waiting contact across all of an agent's queues,
  // ignoring queue and contact priority.
  bool strict_fairness = false;
  // After an agent declines or misses a contact, the contact is not offered
  // to that agent again for this long (Asterisk's "retry").
  DurationMs reoffer_delay_ms = 5000;
  // The service-level threshold of queues that do not set their own
  // (QueueConfig::service_level_ms left at kRouterDefault).
  DurationMs default_service_level_ms = 20000;
};

struct AgentSnapshot {
  std::string id;
  std::string name;
  AgentState state = AgentState::kLoggedOut;
  TimeMs state_since = 0;
  std::string not_ready_reason;
  std::array<int, kChannelCount> active{};  // contacts held per channel
  int consecutive_no_answer = 0;
  std::int64_t offered = 0;
  std::int64_t answered = 0;
  std::int64_t missed = 0;  // rejected or timed out
  std::int64_t contacts_today = 0;
  DurationMs talk_ms_today = 0;
};

struct QueueSnapshot {
  std::string id;
  int waiting = 0;
  DurationMs longest_wait_ms = 0;
  int agents_logged_in = 0;
  int agents_available = 0;  // free capacity on the queue's channel now
  int agents_busy = 0;       // handling a contact of any channel
  DurationMs expected_wait_ms = 0;  // for a contact joining now
};

// The staffing questions an IVR asks on every call, answered in O(1).
struct QueueLoad {
  int waiting = 0;
  int agents_logged_in = 0;
  int agents_available = 0;
  DurationMs expected_wait_ms = 0;
};

enum class ContactState : std::uint8_t { kWaiting, kOffered, kConnected, kWrapUp };

struct ContactSnapshot {
  ContactId id = 0;
  std::string external_id;
  std::string queue_id;
  ContactState state = ContactState::kWaiting;
  int ring = 0;
  int position = 0;  // 1-based among waiting contacts of the queue; 0 if not waiting
  TimeMs enqueued_at = 0;
  std::string agent_id;  // when connected or in wrap-up
};

class Router {
 public:
  explicit Router(RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Replaces the options; the random strategies restart from the new seed.
  // The default service level applies to queues added from now on.
  Status set_options(RouterOptions options);
  const RouterOptions& options() const noexcept;
  // Sizes the tables of contacts and offers for `contacts` at once, so that
  // they do not grow (rehashing every entry) until there are more.
  void reserve_contacts(std::size_t contacts);

  // Configuration. Queues must exist before agents or members name them.
  Result<QueueIndex> add_queue(QueueConfig config);
  Status update_queue(QueueConfig config);       // keeps waiting contacts
  Status remove_queue(std::string_view queue_id);  // refused while contacts wait
  Result<AgentIndex> add_agent(AgentConfig config);
  // Room for `count` more agents: a configuration of a million agents would
  // otherwise move every agent record some twenty times as the table grows.
  void reserve_agents(std::size_t count);
  // Starts loading the id table's slot for an agent about to be added: a
  // caller adding many agents names the one a few places ahead, and the
  // slot's cache miss overlaps the agents added meanwhile.
  void prefetch_agent_slot(std::string_view agent_id) const noexcept;
  // For tests of allocation failure only: the ordered sets of queues added
  // from now on take their nodes from `nodes` rather than from the router's
  // pool, which serves most of them from chunks it already holds, so that a
  // test failing the Nth allocation reaches every node's. Call it before
  // adding the first queue; `nodes` must outlive the router.
  void set_node_resource_for_testing(std::pmr::memory_resource* nodes) noexcept;
  // For tests only: whether every queue's copies of its waiting sets' first
  // keys, which an agent becoming ready judges in place of the sets, are
  // those keys, all their fields.
  bool waiting_heads_match_for_testing() const noexcept;
  // For tests only: whether every queue's copies of its configuration, kept
  // beside the fields a new contact reads and in its staffing counts, equal
  // the configuration they copy.
  bool queue_copies_match_for_testing() const noexcept;
  Status update_agent(AgentConfig config, TimeMs now);  // skills, attributes, capacity, queues
  Status remove_agent(std::string_view agent_id);  // must be logged out

  // Agent presence. Illegal transitions return Errc::kIllegalState.
  Status login(std::string_view agent_id, TimeMs now);
  Status logout(std::string_view agent_id, TimeMs now);
  Status set_not_ready(std::string_view agent_id, std::string_view reason, TimeMs now);
  Status set_available(std::string_view agent_id, TimeMs now);

  // Contacts. enqueue refuses with Errc::kFull at the queue's max length.
  // The contact keeps `spec`, moved in once (an lvalue is copied first).
  Result<ContactId> enqueue(ContactSpec&& spec, TimeMs now);
  Result<ContactId> enqueue(const ContactSpec& spec, TimeMs now) {
    return enqueue(ContactSpec(spec), now);
  }
  Status accept(ReservationId reservation, TimeMs now);
  Status reject(ReservationId reservation, TimeMs now);
  Status no_answer(ReservationId reservation, TimeMs now);
  Status complete(ContactId contact, TimeMs now);      // the conversation ended
  Status wrap_up_done(ContactId contact, TimeMs now);  // before the wrap-up timer
  Status abandon(ContactId contact, TimeMs now);       // caller left while waiting/ringing
  Status remove(ContactId contact, TimeMs now);        // host took it out of the queue
  // A contact connected at once to `agent_id`, who must be logged in, ready
  // and free on the channel of `spec.queue_id`: a consultation, a conference
  // party. Nothing else is offered to the agent while it lasts; it ends with
  // complete() (then wrap-up, as any contact) or release().
  Result<ContactId> connect_direct(std::string_view agent_id, ContactSpec spec, TimeMs now);
  // Ends a connected contact with no wrap-up (a consultation cancelled): the
  // agent is free at once.
  Status release(ContactId contact, TimeMs now);
  // The agent took a call that reached them outside an offer (a completed
  // consultation transfer, a supervisor's take-over): counted in their
  // answered and contacts today, as an accepted offer is, so the strategies
  // that read those counts see it.
  Status count_taken_call(std::string_view agent_id);
  void reset_daily_counters();  // at the contact center's midnight

  // Time.
  TimeMs next_deadline() const noexcept;
  void advance(TimeMs now);

  // Outputs since the last drain, oldest first. The caller clears the vector.
  std::vector<Output>& outputs() noexcept;

  // Lookups.
  std::optional<AgentIndex> find_agent(std::string_view id) const noexcept;
  std::optional<QueueIndex> find_queue(std::string_view id) const noexcept;
  const std::string& agent_id(AgentIndex agent) const;
  const std::string& queue_id(QueueIndex queue) const;
  std::string_view contact_external_id(ContactId contact) const noexcept;
  std::optional<ContactId> reservation_contact(ReservationId reservation) const noexcept;
  // The configuration as added or last updated; nullptr for an unknown id.
  const QueueConfig* queue_config(std::string_view queue_id) const noexcept;
  // The same for an agent, put back together (the router keeps no copy of
  // it as given; its attributes moved into what expressions read, and come
  // back empty); nullopt for an unknown id.
  std::optional<AgentConfig> agent_config(std::string_view agent_id) const;
  Result<AgentSnapshot> agent_snapshot(std::string_view agent_id) const;
  Result<QueueSnapshot> queue_snapshot(std::string_view queue_id, TimeMs now) const;
  Result<QueueLoad> queue_load(std::string_view queue_id) const;
  // The threshold the queue's service level is measured against (its own,
  // or the options' default when it set none); nullopt for an unknown queue.
  std::optional<DurationMs> service_level_ms(std::string_view queue_id) const noexcept;
  Result<ContactSnapshot> contact_snapshot(ContactId contact) const;
  std::vector<std::string> queue_ids() const;
  std::vector<std::string> agent_ids() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::routing
