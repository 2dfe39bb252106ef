// The glue of the sans-IO core: IVR sessions ask for queues, the router
// decides, and both speak to the world through the two outboxes. Every
// public event runs to quiescence: the router's outputs and the sessions'
// directives are handled until neither produces anything new.
#include "hotline/engine/engine.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "hotline/ivr/session.hpp"
#include "hotline/routing/config_json.hpp"
#include "hotline/util/calendar.hpp"
#include "hotline/util/id_map.hpp"
#include "hotline/util/timer_heap.hpp"
#include "hotline/util/utf8.hpp"
#include "hotline/util/view_map.hpp"

namespace hotline::engine {

using routing::ContactId;
using routing::Output;

const char* command_kind_name(Command::Kind kind) noexcept {
  static const char* names[] = {"answer",     "play",         "stop_playback", "collect_digits",
                                "record",     "transfer",     "hangup",        "ring_agent",
                                "stop_ringing", "bridge",     "lookup",        "create_ticket",
                                "register_callback", "hold",   "resume",        "dial",
                                "hangup_leg", "mix",          "record_control"};
  return names[static_cast<int>(kind)];
}

namespace {

// A queue refused a call; handled once the directives being applied are done.
struct Refusal {
  std::uint64_t slot = 0;  // the call's
  std::string queue_id;
  std::string reason;
};

struct Call {
  CallInfo info;
  std::optional<ivr::Session> session;  // held in place: one allocation and one pointer fewer
  ContactId contact = 0;
  std::string node;  // the IVR node listeners were last told of
  TimerHeap::TimerId timer = 0;
  std::uint64_t slot = 0;
  bool ended = false;     // the caller is gone (or the call left the engine)
  bool callback = false;  // a callback request standing in the queue for its caller
};

Error not_found(std::string_view what, std::string_view id) {
  return make_error(Errc::kNotFound, fmt::format("unknown {} '{}'", what, id));
}

}  // namespace

struct Engine::Impl : ivr::Environment {
  explicit Impl(EngineOptions o) : options(o), router(o.routing) {}

  EngineOptions options;
  routing::Router router;
  ivr::FlowRegistry flows;
  std::map<std::string, Calendar, std::less<>> calendars;
  TimerHeap timers;  // session timers; subject = call slot
  // Keyed by a view of the call's own info.call_id, which never changes.
  ViewMap<std::unique_ptr<Call>> calls;
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
  TimeMs now = 0;
  // The ring the host itself reported unanswered (agent_no_answer), while the
  // router ends it: that phone has stopped, so its end needs no stop_ringing.
  routing::ReservationId ring_ended_by_host = 0;

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
    if (touched_calls.empty() || touched_calls.back() != slot) touched_calls.push_back(slot);
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
    if (!call->node.empty()) {
      Notification& left = note(Notification::Kind::kIvrNode, call->info.call_id);
      left.text = call->node;
      left.value = 0;
    }
    if (!node.empty()) {
      Notification& entered = note(Notification::Kind::kIvrNode, call->info.call_id);
      entered.text = node;
      entered.value = 1;
    }
    call->node.assign(node);
  }

  // Forgets a call once nothing refers to it any more.
  void maybe_forget(Call* call) {
    if (!call->ended || call->contact != 0) return;
    if (call->session && !call->session->finished()) return;
    timers.cancel(call->timer);
    by_slot.erase(call->slot);
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
            by_contact.erase(id);
            call->contact = 0;
            (void)(d.abandoned ? router.abandon(id, now) : router.remove(id, now));
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

  // Queues the call; false if the queue refused it. Unless `quiet` (the
  // caller decides what follows), a refusal is queued for pump(), which sends
  // the call to the flow's no-agents exit once the directives being applied
  // are done: the session is never re-entered from inside apply().
  bool enqueue(Call* call, const ivr::Directive& d, bool quiet = false) {
    routing::ContactSpec spec;
    spec.external_id = call->info.call_id;
    spec.queue_id = d.queue;
    spec.channel = call->info.channel;
    spec.priority = call->info.priority + d.priority;
    spec.caller = call->info.caller;
    spec.attributes = call->info.attributes;
    for (const auto& [key, value] : d.data.items()) {
      if (value.is_string()) spec.attributes.set(key, std::string_view(value.get_ref<const std::string&>()));
    }
    spec.skills = d.skills;
    for (const auto& skill : call->info.skills) spec.skills.push_back(skill);
    spec.preferred_agent = call->info.preferred_agent;
    spec.preferred_wait_ms = call->info.preferred_wait_ms;
    // The call's attributes are the customer's data (the IVR's customer.*):
    // the agent who served them last reaches the router as customer.last_agent.
    if (const expr::Value* last = call->info.attributes.find("last_agent")) {
      if (!last->as_string().empty()) {
        spec.attributes.object_at("customer").set("last_agent", last->as_string());
      }
    }
    auto id = router.enqueue(std::move(spec), now);
    if (!id) {
      if (quiet) return false;
      refusals.push_back(Refusal{call->slot, d.queue, std::move(id).error().message});
      return false;
    }
    call->contact = *id;
    by_contact[*id] = call;
    Notification& n = note(Notification::Kind::kContactQueued, call->info.call_id);
    n.contact = *id;
    n.queue_id = d.queue;
    return true;
  }

  void register_callback(Call* call, const ivr::Directive& d) {
    TimeMs place = now;
    if (d.keep_place && call->contact) {
      auto snap = router.contact_snapshot(call->contact);
      if (snap) place = snap->enqueued_at;
      by_contact.erase(call->contact);
      (void)router.remove(call->contact, now);
      call->contact = 0;
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
    spec.attributes = call->info.attributes;
    spec.attributes.set("callback", true);
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
      Call* old = found->get();
      if (old->contact) {
        by_contact.erase(old->contact);
        (void)router.remove(old->contact, now);
      }
      by_slot.erase(old->slot);
    }
    // The key views the new call's own id (replacing the old entry's view).
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

  void pump() {
    std::vector<Output>& batch = output_batch;
    for (;;) {
      while (!router.outputs().empty()) {
        batch.clear();
        batch.swap(router.outputs());
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

  void on_output(const Output& o) {
    static const std::string kNone;
    const std::string& agent_id = o.agent != routing::kNoIndex ? router.agent_id(o.agent) : kNone;
    const std::string& queue_id = o.queue != routing::kNoIndex ? router.queue_id(o.queue) : kNone;
    // A refusal has no contact yet; the engine reports it with the call and
    // the reason once the enqueue that caused it has returned (on_refusal).
    if (o.kind == Output::Kind::kContactRefused) return;
    Call** found = by_contact.find(o.contact);
    Call* call = found ? *found : nullptr;
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
      case Output::Kind::kOfferAccepted: {
        Command& c = command(Command::Kind::kBridge, *call);
        c.agent_id = agent_id;
        if (call->callback) c.target = call->info.caller;  // the host dials the caller back
        to_session(call, [](ivr::Session& s, Impl& e, std::vector<ivr::Directive>& out) {
          s.queue_outcome(ivr::QueueOutcome::kAnswered, e.now, out);
        });
        break;
      }
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

// ------------------------------------------------------------------ Engine

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(options)) {}
Engine::~Engine() = default;

Status Engine::load_config(const nlohmann::json& config, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  auto invalid = [](std::string message) {
    return make_error(Errc::kInvalidArgument, std::move(message));
  };
  if (!config.is_object()) return invalid("$: expected a configuration object");
  static constexpr std::string_view kKeys[] = {"options", "calendars", "flows", "queues",
                                               "agents"};
  for (const auto& [key, value] : config.items()) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
      return invalid(fmt::format("$.{}: unknown field (expected one of: {})", key,
                                 fmt::join(kKeys, ", ")));
    }
  }
  // Everything is read and checked before anything is applied: a refused
  // configuration leaves the engine as it was.
  EngineOptions options = e.options;
  options.routing = e.router.options();
  if (auto it = config.find("options"); it != config.end()) {
    auto o = engine_options_from_json(*it, "$.options", options);
    if (!o) return std::move(o).error();
    options = *o;
  }
  std::vector<std::pair<std::string, Calendar>> calendars;
  if (auto it = config.find("calendars"); it != config.end()) {
    if (!it->is_object()) return invalid("$.calendars: expected an object");
    for (const auto& [id, cal] : it->items()) {
      auto c = Calendar::from_json(cal, "$.calendars." + id);
      if (!c) return std::move(c).error();
      calendars.emplace_back(id, std::move(c).value());
    }
  }
  std::vector<std::shared_ptr<const ivr::Flow>> flows;
  if (auto it = config.find("flows"); it != config.end()) {
    if (!it->is_array()) return invalid("$.flows: expected an array");
    // Every flow is checked, ids included, before any is registered: two
    // flows with one id would otherwise leave whichever came last.
    std::map<std::string, std::size_t, std::less<>> first_with_id;
    for (std::size_t i = 0; i < it->size(); ++i) {
      ivr::LoadResult r = ivr::FlowLoader::load((*it)[i]);
      if (!r.ok()) {
        // The loader's paths start at the flow: rebase them on the document.
        std::string text;
        for (const ivr::Diagnostic& d : r.diagnostics) {
          if (d.severity != ivr::Diagnostic::Severity::kError) continue;
          const std::string_view rest = std::string_view(d.path).substr(d.path.empty() ? 0 : 1);
          text += fmt::format("{}$.flows[{}]{}: {}", text.empty() ? "" : "\n", i, rest, d.message);
        }
        return invalid(std::move(text));
      }
      auto [seen, fresh] = first_with_id.emplace(r.flow->id(), i);
      if (!fresh) {
        return make_error(Errc::kExists,
                          fmt::format("$.flows[{}].id: duplicate flow id '{}' (also $.flows[{}])",
                                      i, r.flow->id(), seen->second));
      }
      flows.push_back(std::move(r.flow));
    }
  }
  auto routing = routing::routing_config_from_json(config, e.router, "$");
  if (!routing) return std::move(routing).error();
  // Before the queues: those added by this configuration take its default
  // service level.
  if (config.contains("options")) {
    if (Status st = e.router.set_options(options.routing); !st) return st;
    e.options = options;
  }
  for (auto& [id, calendar] : calendars) e.calendars.insert_or_assign(id, std::move(calendar));
  for (auto& flow : flows) e.flows.put(std::move(flow));
  Status st = routing::apply_routing_config(e.router, std::move(routing).value());
  e.pump();
  return st;
}

Status Engine::load_flow(const nlohmann::json& flow) { return impl_->flows.put(flow); }

Status Engine::load_calendar(std::string_view id, const nlohmann::json& calendar) {
  auto c = Calendar::from_json(calendar, "$");
  if (!c) return std::move(c).error();
  impl_->calendars.insert_or_assign(std::string(id), std::move(c).value());
  return {};
}

#define HL_ROUTER_CALL(expr)  \
  do {                        \
    Status st_ = (expr);      \
    impl_->pump();            \
    return st_;               \
  } while (0)

Status Engine::add_queue(routing::QueueConfig config) {
  auto r = impl_->router.add_queue(std::move(config));
  impl_->pump();
  if (!r) return std::move(r).error();
  return {};
}
Status Engine::update_queue(routing::QueueConfig config) {
  HL_ROUTER_CALL(impl_->router.update_queue(std::move(config)));
}
Status Engine::remove_queue(std::string_view id) { HL_ROUTER_CALL(impl_->router.remove_queue(id)); }
Status Engine::add_agent(routing::AgentConfig config) {
  auto r = impl_->router.add_agent(std::move(config));
  impl_->pump();
  if (!r) return std::move(r).error();
  return {};
}
Status Engine::update_agent(routing::AgentConfig config, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.update_agent(std::move(config), now));
}
Status Engine::remove_agent(std::string_view id) { HL_ROUTER_CALL(impl_->router.remove_agent(id)); }

Status Engine::agent_login(std::string_view id, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.login(id, now));
}
Status Engine::agent_logout(std::string_view id, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.logout(id, now));
}
Status Engine::agent_not_ready(std::string_view id, std::string_view reason, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.set_not_ready(id, reason, now));
}
Status Engine::agent_ready(std::string_view id, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.set_available(id, now));
}

Status Engine::call_arrived(CallInfo info, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  if (info.call_id.empty()) return make_error(Errc::kInvalidArgument, "a call needs an id");
  // Checked before anything changes: a refused call leaves no trace.
  for (const auto& [text, what] : {std::pair{&info.call_id, "call_id"}, {&info.caller, "caller"},
                                   {&info.dialled, "dialled"}, {&info.flow_id, "flow_id"},
                                   {&info.queue_id, "queue_id"},
                                   {&info.preferred_agent, "preferred_agent"}}) {
    if (Status st = require_utf8(*text, what); !st) return st;
  }
  if (e.calls.contains(info.call_id)) {
    return make_error(Errc::kExists, fmt::format("call '{}' already exists", info.call_id));
  }
  std::shared_ptr<const ivr::Flow> flow;
  if (!info.flow_id.empty()) {
    flow = e.flows.get(info.flow_id);
    if (!flow) return not_found("flow", info.flow_id);
  } else if (!e.router.find_queue(info.queue_id)) {
    return not_found("queue", info.queue_id);
  }
  auto call = std::make_unique<Call>();
  call->info = std::move(info);
  call->slot = e.next_slot++;
  Call* c = call.get();
  e.by_slot[c->slot] = c;
  const std::string_view key = c->info.call_id;
  e.calls.insert(key, std::move(call));
  e.note(Notification::Kind::kCallStarted, c->info.call_id).text = c->info.caller;
  if (flow) {
    c->session.emplace(
        flow, e, ivr::CallFacts{c->info.call_id, c->info.caller, c->info.dialled,
                                std::string(routing::channel_name(c->info.channel)), now},
        &c->info.attributes);
    std::vector<ivr::Directive> out = e.take_directives();
    c->session->start(now, out);
    e.apply_and_recycle(c, out);
  } else {
    ivr::Directive d;
    d.kind = ivr::Directive::Kind::kEnqueue;
    d.queue = c->info.queue_id;
    e.enqueue(c, d);
  }
  e.pump();
  return {};
}

Status Engine::digit(std::string_view call_id, char d, TimeMs now) {
  if (std::string_view("0123456789*#").find(d) == std::string_view::npos) {
    return make_error(Errc::kInvalidArgument, fmt::format("'{}' is not a DTMF key", d));
  }
  return impl_->session_event(call_id, now, [&](ivr::Session& s, auto& out) { s.digit(d, now, out); });
}

Status Engine::prompt_done(std::string_view call_id, TimeMs now) {
  return impl_->session_event(call_id, now, [&](ivr::Session& s, auto& out) { s.prompt_done(now, out); });
}

Status Engine::recording_done(std::string_view call_id, std::string_view recording, TimeMs now) {
  return impl_->session_event(call_id, now, [&](ivr::Session& s, auto& out) {
    s.recording_done(recording, now, out);
  });
}

Status Engine::host_result(std::uint64_t request_id, bool ok, const nlohmann::json& result,
                           TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  const auto* request = e.requests.find(request_id);
  if (!request) return not_found("request", std::to_string(request_id));
  const auto [slot, session_request] = *request;
  e.requests.erase(request_id);
  Call** found = e.by_slot.find(slot);
  if (!found) return {};  // the call ended meanwhile: nothing to do
  Call* c = *found;
  if (c->session) {
    std::vector<ivr::Directive> out = e.take_directives();
    c->session->host_result(session_request, ok, result, now, out);
    e.apply_and_recycle(c, out);
  }
  e.pump();
  return {};
}

Status Engine::call_hung_up(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Call* c = e.call_of(call_id);
  if (!c) return not_found("call", call_id);
  if (c->ended && !c->callback) return {};
  c->ended = true;
  if (c->contact) {
    auto snap = e.router.contact_snapshot(c->contact);
    if (snap && snap->state == routing::ContactState::kConnected) {
      (void)e.router.complete(c->contact, now);  // the conversation is over
    }
  }
  if (c->session) {
    std::vector<ivr::Directive> out = e.take_directives();
    c->session->hangup(now, out);
    e.apply_and_recycle(c, out);
  } else if (c->contact) {
    auto snap = e.router.contact_snapshot(c->contact);
    if (snap && (snap->state == routing::ContactState::kWaiting ||
                 snap->state == routing::ContactState::kOffered)) {
      (void)e.router.abandon(c->contact, now);
    }
  }
  e.pump();
  return {};
}

Status Engine::agent_answered(std::uint64_t reservation, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.accept(reservation, now));
}
Status Engine::agent_rejected(std::uint64_t reservation, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.reject(reservation, now));
}
Status Engine::agent_no_answer(std::uint64_t reservation, TimeMs now) {
  impl_->now = now;
  impl_->ring_ended_by_host = reservation;
  Status st = impl_->router.no_answer(reservation, now);
  impl_->pump();
  impl_->ring_ended_by_host = 0;
  return st;
}

Status Engine::agent_hung_up(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Call* c = e.call_of(call_id);
  if (!c) return not_found("call", call_id);
  if (!c->contact) return make_error(Errc::kIllegalState, fmt::format("call '{}' is not with an agent", call_id));
  Status st = e.router.complete(c->contact, now);
  if (!st) return st;
  if (c->session) {
    std::vector<ivr::Directive> out = e.take_directives();
    c->session->queue_outcome(ivr::QueueOutcome::kAgentDone, now, out);
    e.apply_and_recycle(c, out);
  } else if (!c->ended) {
    e.command(Command::Kind::kHangup, *c);
    c->ended = true;
  }
  e.pump();
  return {};
}

Status Engine::transfer_to_queue(std::string_view call_id, std::string_view queue_id,
                                 TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Call* c = e.call_of(call_id);
  if (!c) return not_found("call", call_id);
  if (!c->contact || c->ended) {
    return make_error(Errc::kIllegalState, fmt::format("call '{}' is not with an agent", call_id));
  }
  if (!e.router.find_queue(queue_id)) return not_found("queue", queue_id);
  auto snap = e.router.contact_snapshot(c->contact);
  const std::string from_queue = snap ? snap->queue_id : std::string();
  const std::string agent = snap ? snap->agent_id : std::string();
  if (!snap || snap->state != routing::ContactState::kConnected) {
    return make_error(Errc::kIllegalState, fmt::format("call '{}' is not with an agent", call_id));
  }
  const ContactId old = c->contact;
  // Queue first: if the target refuses the call, it stays with the agent.
  ivr::Directive d;
  d.kind = ivr::Directive::Kind::kEnqueue;
  d.queue = std::string(queue_id);
  if (!e.enqueue(c, d, /*quiet=*/true)) {
    c->contact = old;
    return make_error(Errc::kFull, fmt::format("queue '{}' refused the transfer", queue_id));
  }
  Notification& n = e.note(Notification::Kind::kTransferred, call_id);
  n.queue_id = from_queue;
  n.agent_id = agent;
  n.text = std::string(queue_id);
  // The old contact stays known until its wrap-up ends; the call moves on.
  if (Status st = e.router.complete(old, now); !st) return st;
  e.pump();
  return {};
}

Status Engine::wrap_up_done(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Call* c = e.call_of(call_id);
  if (!c || !c->contact) return not_found("call in wrap-up", call_id);
  HL_ROUTER_CALL(e.router.wrap_up_done(c->contact, now));
}

TimeMs Engine::next_deadline() const noexcept {
  return std::min(impl_->router.next_deadline(), impl_->timers.next_deadline());
}

void Engine::advance(TimeMs now) {
  Impl& e = *impl_;
  // Fire router and session deadlines in time order, each at its own time.
  for (;;) {
    const TimeMs r = e.router.next_deadline();
    const TimeMs s = e.timers.next_deadline();
    const TimeMs next = std::min(r, s);
    // kNever is "nothing pending", not a deadline that advance(kNever) has reached.
    if (next == kNever || next > now) break;
    e.now = next;
    if (r <= s) {
      e.router.advance(next);
    } else {
      TimerHeap::Due due;
      if (e.timers.pop_due(next, &due)) {
        Call** found = e.by_slot.find(due.subject);
        if (found && (*found)->timer == due.id) {
          Call* c = *found;
          c->timer = 0;
          std::vector<ivr::Directive> out = e.take_directives();
          c->session->timer_fired(next, out);
          e.apply_and_recycle(c, out);
        }
      }
    }
    e.pump();
  }
  e.now = now;
}

TimeMs Engine::now() const noexcept { return impl_->now; }

std::vector<Command>& Engine::commands() noexcept { return impl_->commands; }
std::vector<Notification>& Engine::notifications() noexcept { return impl_->notes; }
const routing::Router& Engine::router() const noexcept { return impl_->router; }
std::size_t Engine::live_calls() const noexcept { return impl_->calls.size(); }

// ------------------------------------------------------------------ call control
// Refused until implemented.
namespace {
Status not_yet(std::string_view what) {
  return make_error(Errc::kIllegalState, fmt::format("{} is not implemented yet", what));
}
}  // namespace
Status Engine::hold(std::string_view, TimeMs) { return not_yet("hold"); }
Status Engine::resume(std::string_view, TimeMs) { return not_yet("resume"); }
Status Engine::consult(std::string_view, const Party&, TimeMs) { return not_yet("consult"); }
Status Engine::leg_answered(std::string_view, std::string_view, TimeMs) { return not_yet("leg_answered"); }
Status Engine::leg_ended(std::string_view, std::string_view, TimeMs) { return not_yet("leg_ended"); }
Status Engine::transfer_complete(std::string_view, TimeMs) { return not_yet("transfer_complete"); }
Status Engine::consult_cancel(std::string_view, TimeMs) { return not_yet("consult_cancel"); }
Status Engine::conference(std::string_view, TimeMs) { return not_yet("conference"); }
Status Engine::conference_add(std::string_view, const Party&, TimeMs) { return not_yet("conference_add"); }
Status Engine::conference_drop(std::string_view, std::string_view, TimeMs) { return not_yet("conference_drop"); }
Status Engine::mute(std::string_view, std::string_view, bool, TimeMs) { return not_yet("mute"); }
Status Engine::blind_transfer(std::string_view, const Party&, TimeMs) { return not_yet("blind_transfer"); }
Status Engine::wrap_up_code(std::string_view, std::string_view, TimeMs) { return not_yet("wrap_up_code"); }
Status Engine::supervise(std::string_view, std::string_view, std::string_view, std::string_view, TimeMs) { return not_yet("supervise"); }
Status Engine::force_release(std::string_view, std::string_view, TimeMs) { return not_yet("force_release"); }
Status Engine::force_not_ready(std::string_view, std::string_view, std::string_view, TimeMs) { return not_yet("force_not_ready"); }
Status Engine::force_logout(std::string_view, std::string_view, TimeMs) { return not_yet("force_logout"); }
Status Engine::recording_control(std::string_view, std::string_view, TimeMs) { return not_yet("recording_control"); }

}  // namespace hotline::engine
