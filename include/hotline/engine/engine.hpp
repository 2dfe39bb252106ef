// The sans-IO core in one object: the router, the IVR sessions of live calls,
// and the timers of both. Events go in through the methods below, each
// stamped with the host's time; commands (for telephony and the host) and
// notifications (for listeners) come out through the two outboxes, which
// the caller drains. Nothing here blocks, reads a clock or does I/O.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hotline/engine/command.hpp"
#include "hotline/engine/notification.hpp"
#include "hotline/expr/attributes.hpp"
#include "hotline/ivr/flow.hpp"
#include "hotline/routing/config_text.hpp"
#include "hotline/routing/router.hpp"
#include "hotline/util/result.hpp"

namespace hotline::engine {

// Set at creation; a configuration's "options" object changes the routing
// part later (docs/configuration.md).
struct EngineOptions {
  routing::RouterOptions routing;
  // How long the engine waits for a host result (a ticket; a lookup whose
  // node sets no timeout_seconds) before the IVR takes the node's timeout
  // exit: "host_timeout_seconds" in the options.
  DurationMs host_timeout_ms = ivr::kDefaultHostTimeoutMs;
  // First-contact resolution (docs/metrics.md): a resolved call's ticket is
  // not a first contact when its customer raised another ticket of the same
  // category within this long of it: "first_contact_window_hours".
  DurationMs first_contact_window_ms = 7 * 24 * 3'600'000LL;
  // How long a stopping runtime may take to finish the store writes still
  // queued (tickets, survey scores, audit records): "store_drain_seconds".
  DurationMs store_drain_timeout_ms = 5000;
  // How many calls the host expects the engine to hold at once:
  // "expected_calls". The tables of calls, contacts and offers and the
  // router's timers are sized for that many when the options are applied,
  // instead of doubling as calls come in:
  // each doubling rehashes every call there is on the engine's thread (about
  // a millisecond at 6,000 calls, growing with them), a pause in the middle
  // of a busy hour. 0: grow as needed. Tables only grow; a smaller figure
  // later gives nothing back.
  std::size_t expected_calls = 0;
  // Whether each ring_agent command carries the call's screen pop in
  // args_json. A host that never shows one (a batch simulation) turns it
  // off and saves building a JSON document per offer; call_context() gives
  // the same document on demand either way. Not a configuration key.
  bool screen_pop_in_rings = true;
  // Whether listeners are told of every IVR node a call enters and leaves
  // (Notification::kIvrNode). A host that never reads them (a batch
  // simulation) turns them off and saves two notifications per node; the
  // sessions run the same either way. Not a configuration key.
  bool ivr_node_notes = true;
  // Whether listeners are told when a call's conversation begins and ends
  // (Notification::kConversation "connected" on the bridge, "ended"). A
  // host that follows no conversation (a batch simulation whose agents
  // never hold, consult or transfer) turns them off and saves two
  // notifications per answered call; the conversations run the same either
  // way. The states call control moves a conversation through (held,
  // consulting, conference, connected again) are told either way: the KPI
  // feed's hold times are built from them. Not a configuration key.
  bool conversation_notes = true;
};

// The configuration's "options" object over `base`: the keys it has replace
// base's values; an unknown key, or a value out of range, is refused with
// its JSON path under `path`.
Result<EngineOptions> engine_options_from_json(const nlohmann::json& j, std::string_view path,
                                               EngineOptions base);

struct CallInfo {
  std::string call_id;  // the host's id for the call leg; unique while the call lives
  std::string caller;   // calling number (ANI)
  std::string dialled;  // called number (DNIS)
  routing::Channel channel = routing::Channel::kVoice;
  std::string flow_id;   // the IVR flow to run; empty: straight to queue_id
  std::string queue_id;  // without a flow, the queue to join
  int priority = 0;
  expr::Attributes attributes;  // contact.* for routing; customer.* when resolved
  std::vector<std::pair<std::string, int>> skills;  // skill → least level, for routing
  std::string preferred_agent;       // offered to this agent alone first
  DurationMs preferred_wait_ms = 0;  // for this long, then to the queue
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Configuration: {"options": {...}, "calendars": {...}, "flows": [...],
  // "queues": [...], "agents": [...]} (docs/configuration.md). The whole
  // document is checked before any of it is applied: on an error nothing
  // changes. Options present replace the current ones. Flows replace earlier
  // versions; calls already running keep the version they started with.
  Status load_config(const nlohmann::json& config, TimeMs now);
  // The same for a configuration read by routing::read_config_text, its
  // agents read aside into `agents` (taken from it).
  Status load_config(const nlohmann::json& config, routing::PreparsedAgents& agents, TimeMs now);
  Status load_flow(const nlohmann::json& flow);
  Status load_calendar(std::string_view id, const nlohmann::json& calendar);

  Status add_queue(routing::QueueConfig config);
  Status update_queue(routing::QueueConfig config);
  Status remove_queue(std::string_view queue_id);
  Status add_agent(routing::AgentConfig config);
  Status update_agent(routing::AgentConfig config, TimeMs now);
  Status remove_agent(std::string_view agent_id);

  Status agent_login(std::string_view agent_id, TimeMs now);
  Status agent_logout(std::string_view agent_id, TimeMs now);
  Status agent_not_ready(std::string_view agent_id, std::string_view reason, TimeMs now);
  Status agent_ready(std::string_view agent_id, TimeMs now);

  // Calls and other contacts.
  // The call's description is moved into the engine whole when it is taken
  // (a refused call leaves `call` as it was); an lvalue is copied first.
  Status call_arrived(CallInfo&& call, TimeMs now);
  Status call_arrived(const CallInfo& call, TimeMs now) {
    return call_arrived(CallInfo(call), now);
  }
  Status digit(std::string_view call_id, char digit, TimeMs now);
  // The prompts of a play ended. `play` is the play command's request_id
  // when the host echoes it (0 when not): while the agent-number
  // announcement plays, only its own end (or one without an id) brings the
  // bridge; the end of any other play is stray and changes nothing.
  Status prompt_done(std::string_view call_id, TimeMs now, std::uint64_t play = 0);
  Status recording_done(std::string_view call_id, std::string_view recording, TimeMs now);
  Status host_result(std::uint64_t request_id, bool ok, const nlohmann::json& result, TimeMs now);
  Status call_hung_up(std::string_view call_id, TimeMs now);  // the caller left
  Status agent_answered(std::uint64_t reservation, TimeMs now);
  Status agent_rejected(std::uint64_t reservation, TimeMs now);
  Status agent_no_answer(std::uint64_t reservation, TimeMs now);
  Status agent_hung_up(std::string_view call_id, TimeMs now);  // the conversation ended
  // The agent hands the caller to another queue: the agent goes to wrap-up
  // and the caller waits in `queue_id` as a new contact with the same data.
  Status transfer_to_queue(std::string_view call_id, std::string_view queue_id, TimeMs now);
  Status wrap_up_done(std::string_view call_id, TimeMs now);

  // Live call control (docs/call-control.md). Each refuses, with
  // Errc::kIllegalState and a message naming the call and its state, an
  // action its conversation's state does not allow, and changes nothing.
  //
  // A consultation, conference party or blind transfer goes to exactly one
  // of an agent (`agent_id`) or an outside number (`target`): a Party. A
  // consultation may instead reach a queue (`queue_id`): the queue's next
  // agent, routed as any offer, becomes the consulted party.
  struct Party {
    std::string agent_id;
    std::string target;
    std::string queue_id = {};  // a default: parties named {agent, number} stay valid
  };
  Status hold(std::string_view call_id, TimeMs now);
  Status resume(std::string_view call_id, TimeMs now);
  Status consult(std::string_view call_id, const Party& party, TimeMs now);
  Status leg_answered(std::string_view call_id, std::string_view leg, TimeMs now);
  Status leg_ended(std::string_view call_id, std::string_view leg, TimeMs now);
  Status transfer_complete(std::string_view call_id, TimeMs now);
  Status consult_cancel(std::string_view call_id, TimeMs now);
  Status conference(std::string_view call_id, TimeMs now);
  Status conference_add(std::string_view call_id, const Party& party, TimeMs now);
  Status conference_drop(std::string_view call_id, std::string_view leg, TimeMs now);
  Status mute(std::string_view call_id, std::string_view leg, bool muted, TimeMs now);
  Status blind_transfer(std::string_view call_id, const Party& party, TimeMs now);
  Status wrap_up_code(std::string_view call_id, std::string_view code, TimeMs now);
  // Supervisor actions: `supervisor` must be an agent whose role is
  // "supervisor"; each one is reported as a kSupervision notification.
  // supervise: `leg` names a leg the host already has up for the supervisor
  // (who called in, say with a feature code); empty, the engine dials the
  // supervisor's phone. A later supervise by the same supervisor changes
  // the mode.
  Status supervise(std::string_view call_id, std::string_view supervisor, std::string_view mode,
                   std::string_view leg, TimeMs now);
  Status force_release(std::string_view call_id, std::string_view supervisor, TimeMs now);
  Status force_not_ready(std::string_view agent_id, std::string_view supervisor,
                         std::string_view reason, TimeMs now);
  Status force_logout(std::string_view agent_id, std::string_view supervisor, TimeMs now);
  Status recording_control(std::string_view call_id, std::string_view action, TimeMs now);

  // Time. advance() fires every deadline up to `now`, each at its own time;
  // kNever (INT64_MAX) fires all that are pending and returns.
  TimeMs next_deadline() const noexcept;
  void advance(TimeMs now);
  // The time of the latest event or advance: the engine's own clock, which
  // a host on a virtual clock keeps apart from the wall clock.
  TimeMs now() const noexcept;

  // Outboxes, oldest first; the caller clears them after acting.
  std::vector<Command>& commands() noexcept;
  std::vector<Notification>& notifications() noexcept;

  const routing::Router& router() const noexcept;
  // The options in force (those given at creation, changed by configurations).
  const EngineOptions& options() const noexcept;
  std::size_t live_calls() const noexcept;
  // The screen pop of a live call, as its ring_agent command carries it
  // (docs/call-control.md); Errc::kNotFound for a call the engine does not hold.
  Result<std::string> call_context(std::string_view call_id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotline::engine
