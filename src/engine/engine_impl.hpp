// The engine's private state, shared by the files that implement Engine:
// engine.cpp (calls, IVR sessions, routing) and call_control.cpp (live call
// control). Every public event runs to quiescence: the router's outputs and
// the sessions' directives are handled until neither produces anything new.
#pragma once

#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "conversation.hpp"
#include "screen_pop.hpp"
#include "hotline/engine/engine.hpp"
#include "hotline/ivr/session.hpp"
#include "hotline/util/calendar.hpp"
#include "hotline/util/id_map.hpp"
#include "hotline/util/keyed_map.hpp"
#include "hotline/util/timer_heap.hpp"

namespace hotline::engine {

using routing::ContactId;
using routing::Output;

// A queue refused a call; handled once the directives being applied are done.
struct Refusal {
  std::uint64_t slot = 0;  // the call's
  std::string queue_id;
  std::string reason;
};

// The conversation a post-call survey rates.
struct SurveyOf {
  std::string queue_id;
  std::string agent_id;
};

struct Call {
  Call() = default;
  // Takes the host's description whole: moved in once, not assigned over a
  // default.
  explicit Call(CallInfo&& arriving) : info(std::move(arriving)) {}

  CallInfo info;
  std::optional<ivr::Session> session;  // held in place: one allocation and one pointer fewer
  ContactId contact = 0;
  std::string node;  // the IVR node listeners were last told of
  TimerHeap::TimerId timer = 0;
  std::uint64_t slot = 0;
  bool ended = false;     // the caller is gone (or the call left the engine)
  bool callback = false;  // a callback request standing in the queue for its caller
  // Who ended the conversation with a hang-up ("caller" or "agent"), told with
  // contact_completed so a queue_log tells COMPLETECALLER from COMPLETEAGENT;
  // null when it ended otherwise (a transfer, a take-over).
  const char* hung_up_by = nullptr;
  // From the agent's answer until the conversation ends (call_control.cpp).
  // Out of line, as the survey below: most calls spend most of their life
  // waiting in a queue without either, and every waiting call would carry
  // their bytes in place.
  std::unique_ptr<Conversation> conversation;
  // Contacts the call left behind in wrap-up when it moved on (transfers);
  // by_contact maps them here until the call is forgotten. Out of line:
  // few calls move on, and a list in place is 24 bytes in every call.
  std::unique_ptr<std::vector<ContactId>> earlier_contacts;
  // Set while the caller is in the queue's post-call survey: who is rated.
  std::unique_ptr<SurveyOf> survey;

  void leave_behind(ContactId earlier) {
    if (!earlier_contacts) earlier_contacts = std::make_unique<std::vector<ContactId>>();
    earlier_contacts->push_back(earlier);
  }
};

// The key of a call in Engine::Impl::calls.
struct CallIdOf {
  std::string_view operator()(const std::unique_ptr<Call>& call) const noexcept {
    return call->info.call_id;
  }
};

inline Error not_found(std::string_view what, std::string_view id) {
  return make_error(Errc::kNotFound, fmt::format("unknown {} '{}'", what, id));
}

struct Engine::Impl : ivr::Environment {
  explicit Impl(EngineOptions o) : options(o), router(o.routing) {}

  EngineOptions options;
  routing::Router router;
  ivr::FlowRegistry flows;
  std::map<std::string, Calendar, std::less<>> calendars;
  TimerHeap timers;  // session timers; subject = call slot
  // Keyed by the call's own info.call_id, which never changes.
  KeyedMap<std::unique_ptr<Call>, CallIdOf> calls;
  IdMap<Call*> by_contact;
  IdMap<Call*> by_slot;
  // Engine-wide request id → (call slot, the session's own request id).
  IdMap<std::pair<std::uint64_t, std::uint64_t>> requests;
  std::vector<Command> commands;
  std::vector<Notification> notes;
  std::vector<std::uint64_t> touched_calls;  // slots, to check for the end after this event
  std::vector<Refusal> refusals;  // queue refusals waiting for pump()
  // Buffers kept between events so that the steady state allocates nothing
  // for them: directive lists (nested while a session's outcome is applied)
  // and the router's outputs.
  std::vector<std::vector<ivr::Directive>> spare_directives;
  std::vector<Output> output_batch;
  std::vector<std::uint64_t> touched_batch;
  std::uint64_t next_slot = 1;
  std::uint64_t next_request = 1;
  // Numbers each play command (its request_id), so a host's prompt_done can
  // say which play ended.
  std::uint64_t next_play = 1;
  TimeMs now = 0;
  // The ring the host itself reported unanswered (agent_no_answer), while the
  // router ends it: that phone has stopped, so its end needs no stop_ringing.
  routing::ReservationId ring_ended_by_host = 0;
  // Agents a supervisor logged out while they were busy: agent → supervisor.
  // Applied when the agent is free; meanwhile they are not ready.
  std::map<std::string, std::string, std::less<>> pending_logouts;

  // ----------------------------------------------------------- call control
  // (call_control.cpp)

  // The agent answered: the announcement, if the queue has one, then the bridge.
  void start_conversation(Call* call, const std::string& agent_id, const std::string& queue_id);
  void bridge(Call* call);
  // The conversation is over (hang-up, transfer): listeners are told, the
  // other legs dropped, consulted agents released. The call no longer has
  // it; it is handed back for a caller that still reads its queue and agent
  // (null if there was none).
  std::unique_ptr<Conversation> end_conversation(Call* call);
  void on_agent_state(const Output& o);
  // The agent hung up on a caller still there: the queue's survey flow, if
  // it has one, takes the call (in place of its own flow). False if not.
  // `agent_id` is the agent who handled the call, whom the score rates.
  bool start_survey(Call* call, std::string_view queue_id, std::string_view agent_id);
  // The survey's session is over: listeners learn the score (kSurvey).
  void end_survey(Call* call);
  // The conversation enters `state`: listeners learn it and how long the
  // state it leaves lasted.
  void enter(Call& call, ConversationState state);

  // ----------------------------------------------------------- queue consultations
  // (queue_consultation.cpp)

  // Router contacts of queue consultations → their call's slot: from the
  // consult until the contact leaves the queue, or, once an agent took it,
  // until that agent's leg ends or the transfer completes. Their routing
  // outputs are the consultation's own: no queue counts them.
  IdMap<std::uint64_t> consultations;
  // The consultation of `queue_id` begins (the call's state was checked):
  // the consultation waits in the queue, or fails at once when nobody but
  // the consulting agent is logged in to it. Refused (full queue): nothing
  // changed.
  Status consult_queue(Call& call, std::string_view queue_id);
  void on_consultation_output(Call& call, const Output& o);
  // One of the queue's agents answered their ring: they are the consulted party.
  Status consultation_answered(Call& call, Leg& leg);
  // The host reports the ring of `leg` ended unanswered: the queue tries the next agent.
  void consultation_ring_failed(Call& call, const std::string& leg);
  // Takes a waiting consultation out of its queue and hangs up its rings.
  void stop_queue_consultation(Call& call);
  // The waiting consultation found nobody: back to held, listeners told why.
  void consultation_failed(Call& call, std::string_view why);
  // Forgets a contact that leaves the consultations (taken on, or released).
  void forget_consultation(routing::ContactId contact) { consultations.erase(contact); }

  // ----------------------------------------------------------- Environment

  ivr::QueueStatus queue_status(std::string_view queue, std::string_view call_id) const override {
    ivr::QueueStatus qs;
    auto load = router.queue_load(queue);
    if (!load) return qs;
    qs.waiting = load->waiting;
    qs.agents_available = load->agents_available;
    qs.agents_logged_in = load->agents_logged_in;
    qs.expected_wait_ms = load->expected_wait_ms == kNever ? 0 : load->expected_wait_ms;
    const std::unique_ptr<Call>* call = calls.find(call_id);
    if (call && (*call)->contact) {
      auto c = router.contact_snapshot((*call)->contact);
      if (c) qs.position = c->position;
    }
    return qs;
  }

  const Calendar* calendar(std::string_view id) const override {
    auto it = calendars.find(id);
    return it == calendars.end() ? nullptr : &it->second;
  }

  std::shared_ptr<const ivr::Flow> flow(std::string_view id) const override {
    return flows.get(id);
  }

  DurationMs host_timeout_ms() const override { return options.host_timeout_ms; }

  // ----------------------------------------------------------- outputs

  // Marks a call to check for its end after this event. A call's directives
  // and commands touch it several times in a row; it is checked once.
  void touch(std::uint64_t slot) {
    if (touched_calls.empty() || touched_calls.back() != slot) {
      touched_calls.push_back(slot);
      // pump() looks the call up again by its slot when the outputs are
      // done: with a million calls that slot is a miss, which then overlaps
      // the work in between rather than following it.
      by_slot.prefetch(slot);
    }
  }

  Command& command(Command::Kind kind, const Call& call) {
    touch(call.slot);
    Command& c = commands.emplace_back();
    c.kind = kind;
    c.time = now;
    c.call_id = call.info.call_id;
    return c;
  }

  Notification& note(Notification::Kind kind, std::string_view call_id) {
    Notification& n = notes.emplace_back();
    n.kind = kind;
    n.time = now;
    n.call_id = call_id;
    return n;
  }

  Call* call_of(std::string_view id) {
    std::unique_ptr<Call>* call = calls.find(id);
    return call ? call->get() : nullptr;
  }

  std::vector<ivr::Directive> take_directives() {
    if (spare_directives.empty()) return {};
    std::vector<ivr::Directive> v = std::move(spare_directives.back());
    spare_directives.pop_back();
    return v;
  }

  // Applies what a session asked for and keeps the emptied buffer.
  void apply_and_recycle(Call* call, std::vector<ivr::Directive>& directives) {
    apply(call, directives);
    spare_directives.push_back(std::move(directives));
    note_node_change(call);
  }

  // Tells listeners when the call's session has moved to another node
  // since the last time it acted: the node it left, then the one it is in.
  void note_node_change(Call* call) {
    if (!call->session) return;
    // A finished session has left its last node, wherever it stopped.
    const std::string_view node =
        call->session->finished() ? std::string_view() : call->session->current_node();
    if (node == call->node) return;
    if (!call->node.empty() && options.ivr_node_notes) {
      Notification& left = note(Notification::Kind::kIvrNode, call->info.call_id);
      left.text = call->node;
      left.value = 0;
    }
    if (!node.empty() && options.ivr_node_notes) {
      Notification& entered = note(Notification::Kind::kIvrNode, call->info.call_id);
      entered.text = node;
      entered.value = 1;
    }
    // Followed even when nobody is told: the end of a survey is seen here.
    call->node.assign(node);
    // The survey is over when its session is, though the call may stay
    // (its agent's contact in wrap-up) until the host ends it.
    if (call->survey && call->session->finished()) end_survey(call);
  }

  // Forgets a call once nothing refers to it any more.
  void maybe_forget(Call* call) {
    if (!call->ended || call->contact != 0) return;
    if (call->session && !call->session->finished()) return;
    timers.cancel(call->timer);
    by_slot.erase(call->slot);
    // A wrap-up the call left behind may outlive it: its end finds no call.
    if (call->earlier_contacts) {
      for (const ContactId earlier : *call->earlier_contacts) {
        Call** mapped = by_contact.find(earlier);
        if (mapped && *mapped == call) by_contact.erase(earlier);
      }
    }
    if (call->survey) end_survey(call);
    note(Notification::Kind::kCallEnded, call->info.call_id).text = "ended";
    calls.erase(call->info.call_id);
  }

  // ----------------------------------------------------------- sessions

  void apply(Call* call, std::vector<ivr::Directive>& directives) {
    using D = ivr::Directive::Kind;
    touch(call->slot);
    for (std::size_t i = 0; i < directives.size(); ++i) {
      ivr::Directive& d = directives[i];
      switch (d.kind) {
        case D::kAnswer: command(Command::Kind::kAnswer, *call); break;
        case D::kPlay: {
          Command& c = command(Command::Kind::kPlay, *call);
          c.request_id = next_play++;
          c.prompts = std::move(d.prompts);
          c.barge_in = d.barge_in;
          c.loop = d.loop;
          break;
        }
        case D::kStopPlayback: command(Command::Kind::kStopPlayback, *call); break;
        case D::kCollect: {
          Command& c = command(Command::Kind::kCollectDigits, *call);
          c.min_digits = d.min_digits;
          c.max_digits = d.max_digits;
          c.terminator = d.terminator;
          break;
        }
        case D::kRecord: {
          Command& c = command(Command::Kind::kRecord, *call);
          c.max_ms = d.max_ms;
          c.finish_key = d.finish_key;
          break;
        }
        case D::kTransfer:
          command(Command::Kind::kTransfer, *call).target = d.target;
          call->ended = true;
          break;
        case D::kHangup:
          command(Command::Kind::kHangup, *call);
          call->ended = true;
          break;
        case D::kEnqueue: enqueue(call, d); break;
        case D::kLeaveQueue:
          if (call->contact) {
            const ContactId id = call->contact;
            call->contact = 0;
            leave_queue(id, call, d.abandoned);
          }
          break;
        case D::kLookup:
        case D::kCreateTicket: {
          const std::uint64_t id = next_request++;
          requests[id] = {call->slot, d.request_id};
          Command& c = command(d.kind == D::kLookup ? Command::Kind::kLookup
                                                    : Command::Kind::kCreateTicket,
                               *call);
          c.request_id = id;
          c.function = d.target;
          c.args_json = d.data.dump();
          break;
        }
        case D::kRegisterCallback: register_callback(call, d); break;
        case D::kStartTimer:
          timers.cancel(call->timer);
          call->timer = timers.schedule(d.deadline, 0, call->slot);
          break;
        case D::kCancelTimer:
          timers.cancel(call->timer);
          call->timer = 0;
          break;
        case D::kError:
          note(Notification::Kind::kIvrError, call->info.call_id).text = d.target;
          break;
      }
    }
    directives.clear();
  }

  // What a call brings to the queue it joins beyond its own facts: a flow's
  // enqueue node adds a priority, skills and data; a call arriving without a
  // flow, or sent on by an agent, adds nothing, and builds no directive.
  struct QueueRequest {
    std::string_view queue;
    int priority = 0;
    const std::vector<std::pair<std::string, int>>* skills = nullptr;  // null: none
    const nlohmann::json* data = nullptr;                               // null: none
  };

  // Queues the call; false if the queue refused it. Unless `quiet` (the
  // caller decides what follows), a refusal is queued for pump(), which sends
  // the call to the flow's no-agents exit once the directives being applied
  // are done: the session is never re-entered from inside apply().
  bool enqueue(Call* call, const ivr::Directive& d, bool quiet = false) {
    return enqueue(call, QueueRequest{d.queue, d.priority, &d.skills, &d.data}, quiet);
  }

  // What the router's contact reads as contact.*: the call's attributes,
  // the flow's data (its text values) set over them, and the agent who last
  // served the customer as customer.last_agent. With nothing over them (every
  // call without a flow or a known last agent) the contact shares the call's
  // block; otherwise they are built whole, as setting each in turn on a copy
  // would give them, without the copy keeping the call's block too.
  static expr::Attributes contact_attributes(const Call& call, const QueueRequest& r) {
    std::vector<std::pair<std::string_view, expr::Value>> over;
    // Most enqueues carry no data: a null document has no items, and
    // walking them costs a proxy and iterators.
    if (r.data && !r.data->is_null()) {
      for (const auto& [key, value] : r.data->items()) {
        if (value.is_string()) {
          over.emplace_back(key, expr::Value::string(value.get_ref<const std::string&>()));
        }
      }
    }
    // The call's attributes are the customer's data (the IVR's customer.*).
    expr::Attributes customer;
    const expr::Value* last = call.info.attributes.find("last_agent");
    if (last && !last->as_string().empty()) {
      // Added to the customer object the attributes hold, or to a new one
      // where they hold none (the flow's data may have set text there).
      const expr::Value* held = nullptr;
      for (const auto& [key, value] : over) {
        if (key == "customer") held = &value;
      }
      if (!held) held = call.info.attributes.find("customer");
      const expr::Attributes* base = held ? held->as_object() : nullptr;
      const std::pair<std::string_view, expr::Value> agent[] = {
          {"last_agent", expr::Value::string(last->as_string())}};
      customer = expr::Attributes::merged(base ? *base : expr::Attributes(), agent);
      over.emplace_back("customer", expr::Value::object(&customer));
    }
    if (over.empty()) return call.info.attributes;
    return expr::Attributes::merged(call.info.attributes, over.data(), over.size());
  }

  bool enqueue(Call* call, const QueueRequest& r, bool quiet = false) {
    routing::ContactSpec spec;
    spec.external_id = call->info.call_id;
    spec.queue_id = r.queue;
    spec.channel = call->info.channel;
    spec.priority = call->info.priority + r.priority;
    spec.caller = call->info.caller;
    spec.attributes = contact_attributes(*call, r);
    if (r.skills) spec.skills = *r.skills;
    for (const auto& skill : call->info.skills) spec.skills.push_back(skill);
    spec.preferred_agent = call->info.preferred_agent;
    spec.preferred_wait_ms = call->info.preferred_wait_ms;
    auto id = router.enqueue(std::move(spec), now);
    if (!id) {
      if (quiet) return false;
      refusals.push_back(Refusal{call->slot, std::string(r.queue), std::move(id).error().message});
      return false;
    }
    call->contact = *id;
    by_contact[*id] = call;
    Notification& n = note(Notification::Kind::kContactQueued, call->info.call_id);
    n.contact = *id;
    n.queue_id = r.queue;
    return true;
  }

  // Takes a contact out of its queue. Until the router reports the
  // contact's end (on_output), the contact stays mapped to `reported_to`: an
  // offer withdrawn on the way stops the agent's phone, and every report
  // about the contact names that call. When the router refuses (the contact
  // is unknown, or already with an agent and so reported on later), the
  // mapping goes at once: those later reports must not find a call that may
  // have been forgotten by then.
  void leave_queue(ContactId id, Call* reported_to, bool abandoned) {
    by_contact[id] = reported_to;
    const Status left = abandoned ? router.abandon(id, now) : router.remove(id, now);
    if (!left.ok()) by_contact.erase(id);
  }

  void register_callback(Call* call, const ivr::Directive& d) {
    TimeMs place = now;
    if (d.keep_place && call->contact) {
      auto snap = router.contact_snapshot(call->contact);
      if (snap) place = snap->enqueued_at;
      const ContactId left = call->contact;
      call->contact = 0;
      leave_queue(left, call, /*abandoned=*/false);
    }
    // The request waits in the queue as a contact of its own; the caller's
    // leg can end meanwhile.
    auto cb = std::make_unique<Call>();
    cb->info.call_id = "callback:" + call->info.call_id;
    cb->info.caller = d.target;
    cb->info.channel = call->info.channel;
    cb->callback = true;
    cb->ended = true;
    cb->slot = next_slot++;
    routing::ContactSpec spec;
    spec.external_id = cb->info.call_id;
    spec.queue_id = d.queue;
    spec.caller = d.target;
    const std::pair<std::string_view, expr::Value> callback[] = {
        {"callback", expr::Value::boolean(true)}};
    spec.attributes = expr::Attributes::merged(call->info.attributes, callback);
    spec.is_callback = true;
    spec.original_enqueue = place;
    auto id = router.enqueue(std::move(spec), now);
    if (!id) {
      note(Notification::Kind::kIvrError, call->info.call_id).text =
          "callback not registered: " + id.error().message;
      return;
    }
    cb->contact = *id;
    Command& c = command(Command::Kind::kRegisterCallback, *call);
    c.target = d.target;
    c.queue_id = d.queue;
    by_contact[*id] = cb.get();
    by_slot[cb->slot] = cb.get();
    if (std::unique_ptr<Call>* found = calls.find(cb->info.call_id)) {
      // A second request for the same caller replaces the first.
      // Its contact's reports go to the new call, which has its id: the old
      // one is destroyed below.
      Call* old = found->get();
      if (old->contact) leave_queue(old->contact, cb.get(), /*abandoned=*/false);
      by_slot.erase(old->slot);
    }
    // The new call replaces the old one under the same id.
    const std::string_view key = cb->info.call_id;
    calls.insert(key, std::move(cb));
  }

  void to_session(Call* call, void (*fn)(ivr::Session&, Impl&, std::vector<ivr::Directive>&)) {
    if (!call->session) return;
    std::vector<ivr::Directive> out = take_directives();
    fn(*call->session, *this, out);
    apply_and_recycle(call, out);
  }

  // ----------------------------------------------------------- routing

  // Refused (full, unknown queue): the flow's no-agents exit decides; a call
  // without a flow has nowhere else to go and is hung up.
  void on_refusal(const Refusal& r) {
    Call** found = by_slot.find(r.slot);
    if (!found) return;
    Call* call = *found;
    Notification& refused = note(Notification::Kind::kContactRefused, call->info.call_id);
    refused.queue_id = r.queue_id;
    refused.text = r.reason;
    if (call->session) {
      std::vector<ivr::Directive> more = take_directives();
      call->session->queue_outcome(ivr::QueueOutcome::kNoAgents, now, more);
      apply_and_recycle(call, more);
    } else if (!call->ended) {
      command(Command::Kind::kHangup, *call);
      call->ended = true;
    }
  }

  // Sizes the tables every call and contact has an entry in for `count`
  // at once (EngineOptions::expected_calls); 0 leaves them as they are.
  void reserve_calls(std::size_t count) {
    if (count == 0) return;
    calls.reserve(count);
    by_slot.reserve(count);
    by_contact.reserve(count);
    router.reserve_contacts(count);
  }

  void pump() {
    std::vector<Output>& batch = output_batch;
    for (;;) {
      while (!router.outputs().empty()) {
        batch.clear();
        batch.swap(router.outputs());
        // Each output's call is found by its contact: the slots of the batch
        // start loading together instead of one miss after another.
        for (const Output& o : batch) {
          if (o.contact != 0) by_contact.prefetch(o.contact);
        }
        for (const Output& o : batch) on_output(o);
      }
      if (refusals.empty()) break;
      // Each refusal may lead to more directives, outputs and refusals.
      std::vector<Refusal> due;
      due.swap(refusals);
      for (const Refusal& r : due) on_refusal(r);
    }
    batch.clear();
    // Only calls touched since the last pump can have finished.
    std::vector<std::uint64_t>& touched = touched_batch;
    touched.clear();
    touched.swap(touched_calls);
    for (const std::uint64_t slot : touched) {
      if (Call** c = by_slot.find(slot)) maybe_forget(*c);
    }
    touched.clear();
  }

  // Starts loading every line of a call's record. An output about a call
  // (an offer above all: its command, notification and screen pop) reads
  // most of them; with a million calls waiting each line is a miss, and
  // asked for together they overlap instead of following one another.
  // Always inlined: GCC 12 deletes calls to a function that only prefetches.
  [[gnu::always_inline]] static void prefetch_call(const Call& call) {
    const char* const first = reinterpret_cast<const char*>(&call);
    for (std::size_t at = 0; at < sizeof(Call); at += 64) __builtin_prefetch(first + at);
    __builtin_prefetch(first + sizeof(Call) - 1);
  }

  void on_output(const Output& o) {
    static const std::string kNone;
    const std::string& agent_id = o.agent != routing::kNoIndex ? router.agent_id(o.agent) : kNone;
    const std::string& queue_id = o.queue != routing::kNoIndex ? router.queue_id(o.queue) : kNone;
    // A refusal has no contact yet; the engine reports it with the call and
    // the reason once the enqueue that caused it has returned (on_refusal).
    if (o.kind == Output::Kind::kContactRefused) return;
    if (o.kind == Output::Kind::kAgentStateChanged) on_agent_state(o);
    if (o.contact != 0) {
      if (const std::uint64_t* slot = consultations.find(o.contact)) {
        if (Call** owner = by_slot.find(*slot)) on_consultation_output(**owner, o);
        return;
      }
    }
    Call** found = by_contact.find(o.contact);
    Call* call = found ? *found : nullptr;
    if (call) prefetch_call(*call);
    {
      Notification& n = notes.emplace_back();
      n.kind = Notification::Kind::kRouting;
      n.routing = o.kind;
      n.time = o.time;
      n.from = o.from;
      n.to = o.to;
      n.contact = o.contact;
      n.reservation = o.reservation;
      n.value = o.value;
      // Assigned only when set: copying an empty string still costs a call.
      if (!agent_id.empty()) n.agent_id = agent_id;
      if (!queue_id.empty()) n.queue_id = queue_id;
      if (call) n.call_id = call->info.call_id;
      if (call && o.kind == Output::Kind::kContactCompleted && call->hung_up_by) {
        n.text = call->hung_up_by;
      }
    }
    if (!call) return;
    touch(call->slot);
    switch (o.kind) {
      case Output::Kind::kOffer: {
        Command& c = command(Command::Kind::kRingAgent, *call);
        c.agent_id = agent_id;
        c.queue_id = queue_id;
        c.reservation = o.reservation;
        if (call->callback) c.target = call->info.caller;
        if (options.screen_pop_in_rings) {
          c.args_json = screen_pop_json(call->info, call->session ? &*call->session : nullptr,
                                        queue_id);
        }
        break;
      }
      case Output::Kind::kRescind: {
        Command& c = command(Command::Kind::kStopRinging, *call);
        c.agent_id = agent_id;
        c.reservation = o.reservation;
        break;
      }
      case Output::Kind::kOfferTimedOut: {
        // The queue's offer timeout ran out: the phone is still ringing.
        if (o.reservation == ring_ended_by_host) break;
        Command& c = command(Command::Kind::kStopRinging, *call);
        c.agent_id = agent_id;
        c.reservation = o.reservation;
        break;
      }
      case Output::Kind::kOfferAccepted:
        start_conversation(call, agent_id, queue_id);
        break;
      case Output::Kind::kQueueOverflow:
        to_session(call, [](ivr::Session& s, Impl& e, std::vector<ivr::Directive>& out) {
          s.queue_outcome(ivr::QueueOutcome::kOverflow, e.now, out);
        });
        break;
      case Output::Kind::kWrapUpEnded:
      case Output::Kind::kContactAbandoned:
      case Output::Kind::kContactRemoved:
        if (call->contact == o.contact) call->contact = 0;
        by_contact.erase(o.contact);
        break;
      default: break;
    }
  }

  // An event for a call's IVR session: find the call, run `event` on its
  // session (calls without one ignore it), act on what it asks.
  template <typename F>
  Status session_event(std::string_view call_id, TimeMs at, F event) {
    now = at;
    Call* c = call_of(call_id);
    if (!c) return not_found("call", call_id);
    if (c->session) {
      std::vector<ivr::Directive> out = take_directives();
      event(*c->session, out);
      apply_and_recycle(c, out);
    }
    pump();
    return {};
  }

  Call* contact_call(std::uint64_t reservation) {
    auto contact = router.reservation_contact(reservation);
    if (!contact) return nullptr;
    Call** found = by_contact.find(*contact);
    return found ? *found : nullptr;
  }
};

}  // namespace hotline::engine
