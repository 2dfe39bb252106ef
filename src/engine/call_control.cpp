// Live call control (docs/call-control.md): the conversation of a call that
// reached an agent, its legs and who hears whom, the supervisor's actions
// and the recording policy. Every action checks everything first and
// changes nothing when it refuses.
#include <algorithm>
#include <fmt/format.h>

#include "engine_impl.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::engine {

namespace {

constexpr std::string_view kSuperviseModes = "monitor, whisper, barge, take_over";

Error illegal(std::string message) { return make_error(Errc::kIllegalState, std::move(message)); }

// What the call's state is called in refusals.
std::string state_of(const Call& call) {
  if (call.ended) return "ended";
  if (!call.conversation) return "not with an agent";
  if (!call.conversation->bridged) return "hearing the agent-number announcement";
  return conversation_state_name(call.conversation->state);
}

Error refuse(const Call& call, std::string_view why) {
  return illegal(fmt::format("call '{}' is {}: {}", call.info.call_id, state_of(call), why));
}

// ${agent.number} in a text prompt becomes the agent's number.
std::vector<Prompt> with_agent_number(std::vector<Prompt> prompts, std::string_view number) {
  static constexpr std::string_view kPlaceholder = "${agent.number}";
  for (Prompt& p : prompts) {
    if (p.kind != Prompt::Kind::kTts) continue;
    for (std::size_t at = p.value.find(kPlaceholder); at != std::string::npos;
         at = p.value.find(kPlaceholder, at + number.size())) {
      p.value.replace(at, kPlaceholder.size(), number);
    }
  }
  return prompts;
}

// `queue_allowed`: a consultation may reach a queue; other actions reach an
// agent or a number only.
Status check_party(const Engine::Party& party, bool queue_allowed = false) {
  const int named = !party.agent_id.empty() + !party.target.empty() + !party.queue_id.empty();
  if (queue_allowed && named != 1) {
    return make_error(Errc::kInvalidArgument,
                      "a consultation reaches exactly one of agent_id (an agent), queue_id (a "
                      "queue) or target (a number)");
  }
  if (!queue_allowed && (named != 1 || !party.queue_id.empty())) {
    return make_error(Errc::kInvalidArgument,
                      "a party is exactly one of agent_id (an agent) or target (a number)");
  }
  if (Status st = require_utf8(party.agent_id, "agent_id"); !st) return st;
  if (Status st = require_utf8(party.queue_id, "queue_id"); !st) return st;
  return require_utf8(party.target, "target");
}

}  // namespace

// ------------------------------------------------------------------ Impl hooks

void Engine::Impl::start_conversation(Call* call, const std::string& agent_id,
                                      const std::string& queue_id) {
  // Replaced in place when the call still has one: references to it stay valid.
  if (call->conversation) {
    *call->conversation = Conversation{};
  } else {
    call->conversation = std::make_unique<Conversation>();
  }
  Conversation& conv = *call->conversation;
  conv.agent_id = agent_id;
  conv.agent_leg = agent_id;
  conv.queue_id = queue_id;
  conv.since = now;
  const routing::QueueConfig* queue = router.queue_config(queue_id);
  if (queue && !queue->announce_agent.empty() && !call->callback) {
    // Looked up only here: most queues announce nobody.
    const std::optional<routing::AgentConfig> agent = router.agent_config(agent_id);
    // The session stops its queue music first; then the announcement plays
    // and its prompt_done brings the bridge.
    to_session(call, [](ivr::Session& s, Impl& e, std::vector<ivr::Directive>& out) {
      s.queue_outcome(ivr::QueueOutcome::kAnswered, e.now, out);
    });
    Command& c = command(Command::Kind::kPlay, *call);
    c.request_id = next_play++;
    c.prompts = with_agent_number(queue->announce_agent, agent ? agent->number : "");
    c.agent_id = agent_id;
    conv.announcement_play = c.request_id;
    return;
  }
  bridge(call);
  to_session(call, [](ivr::Session& s, Impl& e, std::vector<ivr::Directive>& out) {
    s.queue_outcome(ivr::QueueOutcome::kAnswered, e.now, out);
  });
}

void Engine::Impl::bridge(Call* call) {
  Conversation& conv = *call->conversation;
  Command& c = command(Command::Kind::kBridge, *call);
  c.agent_id = conv.agent_id;
  if (call->callback) c.target = call->info.caller;  // the host dials the caller back
  conv.bridged = true;
  conv.since = now;
  if (options.conversation_notes) {
    Notification& n = note(Notification::Kind::kConversation, call->info.call_id);
    n.agent_id = conv.agent_id;
    n.queue_id = conv.queue_id;
    n.text = "connected";
  }
  const routing::QueueConfig* queue = router.queue_config(conv.queue_id);
  if (queue && queue->recording == routing::RecordingPolicy::kAll) {
    command(Command::Kind::kRecordControl, *call).action = "start";
    conv.recording = RecordingState::kRecording;
    Notification& r = note(Notification::Kind::kRecording, call->info.call_id);
    r.agent_id = conv.agent_id;
    r.queue_id = conv.queue_id;
    r.text = "start";
  }
}

std::unique_ptr<Conversation> Engine::Impl::end_conversation(Call* call) {
  if (!call->conversation) return nullptr;
  Conversation& conv = *call->conversation;
  if (conv.consult_contact) stop_queue_consultation(*call);
  for (const Leg& leg : conv.legs) {
    command(Command::Kind::kHangupLeg, *call).leg = leg.name;
    if (leg.contact) (void)router.release(leg.contact, now);
    if (leg.from_queue) forget_consultation(leg.contact);
  }
  if (conv.bridged && options.conversation_notes) {
    Notification& n = note(Notification::Kind::kConversation, call->info.call_id);
    n.agent_id = conv.agent_id;
    n.queue_id = conv.queue_id;
    n.text = "ended";
    n.value = now - conv.since;
  }
  return std::move(call->conversation);
}

void Engine::Impl::enter(Call& call, ConversationState state) {
  Conversation& conv = *call.conversation;
  // Told whatever EngineOptions::conversation_notes says: the KPI feed
  // builds hold times and the held, consulted and conferenced counts from
  // these states.
  Notification& n = note(Notification::Kind::kConversation, call.info.call_id);
  n.agent_id = conv.agent_id;
  n.queue_id = conv.queue_id;
  n.text = conversation_state_name(state);
  n.value = now - conv.since;
  conv.state = state;
  conv.since = now;
}

void Engine::Impl::on_agent_state(const Output& o) {
  if (pending_logouts.empty()) return;
  if (o.to != routing::AgentState::kAvailable && o.to != routing::AgentState::kNotReady) return;
  auto it = pending_logouts.find(router.agent_id(o.agent));
  if (it == pending_logouts.end()) return;
  const std::string agent = it->first;
  pending_logouts.erase(it);
  (void)router.logout(agent, now);
}

bool Engine::Impl::start_survey(Call* call, std::string_view queue_id,
                                std::string_view agent_id) {
  const routing::QueueConfig* queue = router.queue_config(queue_id);
  if (!queue || queue->survey_flow.empty() || call->callback) return false;
  std::shared_ptr<const ivr::Flow> flow = flows.get(queue->survey_flow);
  if (!flow) {
    note(Notification::Kind::kIvrError, call->info.call_id).text =
        fmt::format("queue '{}': survey flow '{}' is not loaded", queue_id, queue->survey_flow);
    return false;
  }
  timers.cancel(call->timer);
  call->timer = 0;
  call->session.reset();
  call->survey =
      std::make_unique<SurveyOf>(SurveyOf{std::string(queue_id), std::string(agent_id)});
  call->session.emplace(
      flow, *this,
      ivr::CallFacts{call->info.call_id, call->info.caller, call->info.dialled,
                     std::string(routing::channel_name(call->info.channel)), now},
      &call->info.attributes);
  std::vector<ivr::Directive> out = take_directives();
  call->session->start(now, out);
  // The caller was answered long ago.
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const ivr::Directive& d) {
                             return d.kind == ivr::Directive::Kind::kAnswer;
                           }),
            out.end());
  apply_and_recycle(call, out);
  return true;
}

namespace {

// A survey's score: the flow's variable `score` (what a collect node stores,
// digits as text, or a number a set node gave it), 1 to 5; else 0, not rated.
std::int64_t survey_score(const ivr::Session& session) {
  const expr::Value* v = session.variables().find_path("vars.score");
  if (!v) return 0;
  if (v->kind() == expr::Value::Kind::kNumber) {
    const double n = v->as_number();
    return n >= 1 && n <= 5 && n == static_cast<double>(static_cast<int>(n))
               ? static_cast<std::int64_t>(n)
               : 0;
  }
  const std::string_view text = v->as_string();
  if (text.size() == 1 && text[0] >= '1' && text[0] <= '5') return text[0] - '0';
  return 0;
}

}  // namespace

void Engine::Impl::end_survey(Call* call) {
  Notification& n = note(Notification::Kind::kSurvey, call->info.call_id);
  n.queue_id = call->survey->queue_id;
  n.agent_id = call->survey->agent_id;
  n.value = call->session ? survey_score(*call->session) : 0;
  call->survey.reset();
}

// ------------------------------------------------------------------ helpers

namespace {

// Over the engine's private state (a template: Engine::Impl is not to be
// named outside Engine's members, which instantiate it).
template <typename Impl>
struct Ctl {
  Impl& e;

  // The conversation's state changed: listeners learn the new state and how
  // long the old one lasted.
  void enter(Call& call, ConversationState state) { e.enter(call, state); }

  void mix(Call& call) {
    call.conversation->mixed = true;
    e.command(Command::Kind::kMix, call).mix_json = mix_json(*call.conversation, call.info.call_id);
  }

  void hold_command(Call& call) {
    Command& c = e.command(Command::Kind::kHold, call);
    if (const routing::QueueConfig* q = e.router.queue_config(call.conversation->queue_id)) {
      c.prompts = q->music_on_hold;
    }
  }

  // `who` is the agent or supervisor on the leg (empty for a number): a
  // listener then knows whose leg it is even when a phone number names it.
  void leg_note(Call& call, std::string_view leg, std::string_view who, bool joined) {
    Notification& n = e.note(Notification::Kind::kLeg, call.info.call_id);
    n.agent_id = call.conversation->agent_id;
    n.queue_id = call.conversation->queue_id;
    n.actor = who;
    n.text = leg;
    n.value = joined ? 1 : 0;
  }

  void supervision(std::string_view call_id, std::string_view supervisor, std::string_view action,
                   std::string_view agent) {
    Notification& n = e.note(Notification::Kind::kSupervision, call_id);
    n.actor = supervisor;
    n.text = action;
    n.agent_id = agent;
  }

  // The call with a conversation past its announcement, or why not.
  Result<Call*> conversation_call(std::string_view call_id, std::string_view action) {
    Call* c = e.call_of(call_id);
    if (!c) return not_found("call", call_id);
    if (c->ended || !c->conversation || !c->conversation->bridged) {
      return refuse(*c, fmt::format("{} needs a call with an agent", action));
    }
    return c;
  }

  Status check_supervisor(std::string_view supervisor) {
    const std::optional<routing::AgentConfig> a = e.router.agent_config(supervisor);
    if (!a) return not_found("agent", supervisor);
    if (a->role != routing::AgentRole::kSupervisor) {
      return make_error(Errc::kPermission,
                        fmt::format("agent '{}' is not a supervisor (role agent)", supervisor));
    }
    return {};
  }

  // Dials a party for the call: an agent is reserved in the router (nothing
  // else is offered to them) until the leg ends; a number gets the next
  // <call_id>:<n>. Returns the leg's name.
  Result<std::string> dial_party(Call& call, const Engine::Party& party) {
    Conversation& conv = *call.conversation;
    Leg leg;
    if (!party.agent_id.empty()) {
      if (!e.router.find_agent(party.agent_id)) return not_found("agent", party.agent_id);
      if (party.agent_id == conv.agent_id || conv.leg(party.agent_id)) {
        return refuse(call, fmt::format("agent '{}' is already on it", party.agent_id));
      }
      routing::ContactSpec spec;
      spec.external_id = call.info.call_id;
      spec.queue_id = conv.queue_id;
      spec.caller = call.info.caller;
      auto contact = e.router.connect_direct(party.agent_id, std::move(spec), e.now);
      if (!contact) return std::move(contact).error();
      leg.name = party.agent_id;
      leg.agent_id = party.agent_id;
      leg.contact = *contact;
    } else {
      leg.name = fmt::format("{}:{}", call.info.call_id, conv.next_number++);
      leg.target = party.target;
    }
    Command& c = e.command(Command::Kind::kDial, call);
    c.leg = leg.name;
    c.agent_id = leg.agent_id;
    c.target = leg.target;
    std::string name = leg.name;
    conv.legs.push_back(std::move(leg));
    return name;
  }

  // Drops a leg the engine knows: the host hangs it up, a reserved agent is free.
  void drop_leg(Call& call, const std::string& name, bool hang_up) {
    Conversation& conv = *call.conversation;
    Leg* leg = conv.leg(name);
    if (!leg) return;
    if (hang_up) e.command(Command::Kind::kHangupLeg, call).leg = name;
    if (leg->contact) (void)e.router.release(leg->contact, e.now);
    if (leg->from_queue) e.forget_consultation(leg->contact);
    const bool answered = leg->answered;
    const std::string who = leg->agent_id;
    conv.drop_leg(name);
    if (answered) leg_note(call, name, who, false);
  }

  // The owning agent leaves the call (a transfer, a take-over): their leg is
  // dropped and their contact completes, so they go to wrap-up.
  void owner_leaves(Call& call) {
    Conversation& conv = *call.conversation;
    if (!conv.agent_id.empty()) e.command(Command::Kind::kHangupLeg, call).leg = conv.agent_leg;
    if (!conv.outside_router && call.contact) {
      auto snap = e.router.contact_snapshot(call.contact);
      if (snap && snap->state == routing::ContactState::kConnected) {
        (void)e.router.complete(call.contact, e.now);
      }
    }
  }

  void transferred(Call& call, std::string_view from_agent, std::string_view to) {
    Notification& n = e.note(Notification::Kind::kTransferred, call.info.call_id);
    n.queue_id = call.conversation ? call.conversation->queue_id : std::string();
    n.agent_id = from_agent;
    n.text = to;
  }

  void take_over(Call& call, Leg& leg) {
    Conversation& conv = *call.conversation;
    const std::string leg_name = leg.name;
    owner_leaves(call);
    conv.agent_id = leg.agent_id;
    conv.agent_leg = leg_name;
    conv.agent_muted = leg.muted;
    conv.outside_router = true;
    conv.drop_leg(leg_name);
    // The supervisor answers for the call from now on, as if it were offered.
    (void)e.router.count_taken_call(conv.agent_id);
    if (conv.state == ConversationState::kHeld) e.command(Command::Kind::kResume, call);
    if (conv.state != ConversationState::kConnected) enter(call, ConversationState::kConnected);
    mix(call);
  }
};

}  // namespace

// ------------------------------------------------------------------ agent actions

Status Engine::hold(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "hold");
  if (!c) return std::move(c).error();
  Call& call = **c;
  if (call.conversation->state != ConversationState::kConnected) {
    return refuse(call, "only a connected call can be held");
  }
  if (call.conversation->agent_id.empty()) return refuse(call, "no agent has the call");
  ctl.hold_command(call);
  ctl.enter(call, ConversationState::kHeld);
  e.pump();
  return {};
}

Status Engine::resume(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "resume");
  if (!c) return std::move(c).error();
  Call& call = **c;
  if (call.conversation->state != ConversationState::kHeld) {
    return refuse(call, "only a held call can be resumed");
  }
  e.command(Command::Kind::kResume, call);
  ctl.enter(call, ConversationState::kConnected);
  if (call.conversation->mixed) ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::wrap_up_code(std::string_view call_id, std::string_view code, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  if (code.empty()) return make_error(Errc::kInvalidArgument, "a wrap-up code cannot be empty");
  if (Status st = require_utf8(code, "code"); !st) return st;
  Call* c = e.call_of(call_id);
  if (!c) return not_found("call", call_id);
  std::string agent;
  std::string queue;
  if (c->contact) {
    auto snap = e.router.contact_snapshot(c->contact);
    if (snap && (snap->state == routing::ContactState::kConnected ||
                 snap->state == routing::ContactState::kWrapUp)) {
      agent = snap->agent_id;
      // In wrap-up the conversation is gone; the contact still names its queue.
      queue = snap->queue_id;
    }
  }
  if (agent.empty() && c->conversation && !c->conversation->agent_id.empty()) {
    agent = c->conversation->agent_id;
  }
  if (c->conversation) queue = c->conversation->queue_id;
  if (agent.empty()) {
    return illegal(fmt::format("call '{}' is {}: a wrap-up code needs a call with an agent or "
                               "in its wrap-up",
                               call_id, state_of(*c)));
  }
  // Told, not kept: nothing in the engine reads a call's code afterwards.
  Notification& n = e.note(Notification::Kind::kWrapUpCode, call_id);
  n.agent_id = agent;
  n.queue_id = queue;
  n.text = code;
  e.pump();
  return {};
}

Status Engine::consult(std::string_view call_id, const Party& party, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  if (Status st = check_party(party, /*queue_allowed=*/true); !st) return st;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "a consultation");
  if (!c) return std::move(c).error();
  Call& call = **c;
  const ConversationState state = call.conversation->state;
  if (state != ConversationState::kConnected && state != ConversationState::kHeld) {
    return refuse(call, "a consultation starts from a connected or held call");
  }
  if (call.conversation->agent_id.empty()) return refuse(call, "no agent has the call");
  if (!party.queue_id.empty()) {
    if (Status st = e.consult_queue(call, party.queue_id); !st) return st;
    e.pump();
    return {};
  }
  // The dial is checked (and the agent reserved) before anything is sent.
  const std::size_t mark = e.commands.size();
  auto leg = ctl.dial_party(call, party);
  if (!leg) return std::move(leg).error();
  if (state == ConversationState::kConnected) {
    // The hold goes before the dial.
    Command dial = std::move(e.commands.back());
    e.commands.resize(mark);
    ctl.hold_command(call);
    e.commands.push_back(std::move(dial));
  }
  call.conversation->consulted = *leg;
  ctl.enter(call, ConversationState::kConsulting);
  e.pump();
  return {};
}

Status Engine::leg_answered(std::string_view call_id, std::string_view leg_name, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "a leg");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  Leg* leg = conv.leg(leg_name);
  if (!leg || leg->answered) {
    return make_error(Errc::kNotFound,
                      fmt::format("call '{}' has no leg '{}' being dialled", call_id, leg_name));
  }
  if (leg->reservation != 0) {
    // A queue's agent answered the consultation's ring.
    if (Status st = e.consultation_answered(call, *leg); !st) return st;
    e.pump();
    return {};
  }
  leg->answered = true;
  ctl.leg_note(call, leg_name, leg->agent_id, true);
  if (leg->supervisor && leg->take_over) {
    ctl.take_over(call, *leg);
  } else {
    if (!leg->supervisor && conv.state == ConversationState::kConnected) {
      ctl.enter(call, ConversationState::kConference);  // a conference_add answered
    }
    ctl.mix(call);
  }
  e.pump();
  return {};
}

Status Engine::leg_ended(std::string_view call_id, std::string_view leg_name, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "a leg");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (leg_name == call_id || (!conv.agent_id.empty() && leg_name == conv.agent_leg)) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("leg '{}' of call '{}' is the {}: its end is call_hung_up or "
                                  "agent_hung_up",
                                  leg_name, call_id, leg_name == call_id ? "caller's" : "agent's"));
  }
  Leg* leg = conv.leg(leg_name);
  if (!leg) {
    return make_error(Errc::kNotFound, fmt::format("call '{}' has no leg '{}'", call_id, leg_name));
  }
  const bool was_answered = leg->answered;
  const std::string name(leg_name);
  if (leg->reservation != 0) {
    // A queue consultation's ring that failed: the queue goes on.
    e.consultation_ring_failed(call, name);
    e.pump();
    return {};
  }
  ctl.drop_leg(call, name, /*hang_up=*/false);
  if (conv.state == ConversationState::kConsulting && conv.consulted == name) {
    conv.consulted.clear();
    ctl.enter(call, ConversationState::kHeld);
  } else if (conv.state == ConversationState::kConference && conv.answered_parties() == 0) {
    ctl.enter(call, ConversationState::kConnected);
  }
  if (was_answered) ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::transfer_complete(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "completing a transfer");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.state != ConversationState::kConsulting) {
    return refuse(call, "only a consultation can be completed as a transfer");
  }
  if (conv.consult_contact) {
    return refuse(call, fmt::format("the consultation still waits in queue '{}' for an agent",
                                    conv.consult_queue));
  }
  Leg* party = conv.leg(conv.consulted);
  if (!party || !party->answered) {
    return refuse(call, fmt::format("the consulted party '{}' has not answered", conv.consulted));
  }
  const std::string from = conv.agent_id;
  const Leg taken = *party;
  ctl.owner_leaves(call);
  conv.consulted.clear();
  if (!taken.agent_id.empty()) {
    // The consulted agent owns the call now: their contact is the call's.
    conv.drop_leg(taken.name);
    conv.agent_id = taken.agent_id;
    conv.agent_leg = taken.name;
    conv.agent_muted = taken.muted;
    conv.outside_router = false;
    if (call.contact) call.leave_behind(call.contact);
    call.contact = taken.contact;
    e.by_contact[taken.contact] = &call;
    if (taken.from_queue) {
      // The queue's offer was accepted (and counted) when the agent answered;
      // from now on the contact is the call's.
      e.forget_consultation(taken.contact);
    } else {
      // Taken as a queue-delivered call is: it counts for the routing strategies.
      (void)e.router.count_taken_call(taken.agent_id);
    }
    ctl.transferred(call, from, taken.agent_id);
  } else {
    // To a number: the call stays up, with no agent, until a hang-up.
    conv.agent_id.clear();
    conv.agent_leg.clear();
    conv.agent_muted = false;
    conv.outside_router = true;
    ctl.transferred(call, from, taken.target);
  }
  e.command(Command::Kind::kResume, call);
  ctl.enter(call, ConversationState::kConnected);
  ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::consult_cancel(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "cancelling a consultation");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.state != ConversationState::kConsulting) return refuse(call, "there is no consultation");
  if (conv.consult_contact) {
    // Still waiting in the queue: it leaves it, and no agent is rung.
    e.stop_queue_consultation(call);
    ctl.enter(call, ConversationState::kHeld);
    e.pump();
    return {};
  }
  const std::string party = conv.consulted;
  const bool answered = conv.leg(party) && conv.leg(party)->answered;
  ctl.drop_leg(call, party, /*hang_up=*/true);
  conv.consulted.clear();
  ctl.enter(call, ConversationState::kHeld);
  if (answered) ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::conference(std::string_view call_id, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "a conference");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.state == ConversationState::kHeld) {
    return refuse(call, "resume it or consult a party before a conference");
  }
  if (conv.state != ConversationState::kConsulting) {
    return refuse(call, "a conference starts from a consultation");
  }
  if (conv.consult_contact) {
    return refuse(call, fmt::format("the consultation still waits in queue '{}' for an agent",
                                    conv.consult_queue));
  }
  const Leg* party = conv.leg(conv.consulted);
  if (!party || !party->answered) {
    return refuse(call, fmt::format("the consulted party '{}' has not answered", conv.consulted));
  }
  conv.consulted.clear();
  e.command(Command::Kind::kResume, call);
  ctl.enter(call, ConversationState::kConference);
  ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::conference_add(std::string_view call_id, const Party& party, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  if (Status st = check_party(party); !st) return st;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "adding a party");
  if (!c) return std::move(c).error();
  Call& call = **c;
  const ConversationState state = call.conversation->state;
  if (state != ConversationState::kConnected && state != ConversationState::kConference) {
    return refuse(call, "parties join a connected call or a conference");
  }
  auto leg = ctl.dial_party(call, party);
  if (!leg) return std::move(leg).error();
  e.pump();
  return {};
}

Status Engine::conference_drop(std::string_view call_id, std::string_view leg_name, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "dropping a party");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.state != ConversationState::kConference) return refuse(call, "there is no conference");
  const Leg* leg = conv.leg(leg_name);
  if (!leg || leg->supervisor) {
    return make_error(Errc::kNotFound,
                      fmt::format("call '{}' has no conference party '{}'", call_id, leg_name));
  }
  ctl.drop_leg(call, std::string(leg_name), /*hang_up=*/true);
  if (conv.answered_parties() == 0) ctl.enter(call, ConversationState::kConnected);
  ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::mute(std::string_view call_id, std::string_view leg_name, bool muted, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "mute");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.state != ConversationState::kConnected &&
      conv.state != ConversationState::kConference) {
    return refuse(call, "only a connected call or a conference mutes legs");
  }
  bool* flag = nullptr;
  if (leg_name == call_id) {
    flag = &conv.caller_muted;
  } else if (!conv.agent_id.empty() && leg_name == conv.agent_leg) {
    flag = &conv.agent_muted;
  } else if (Leg* leg = conv.leg(leg_name)) {
    flag = &leg->muted;
  }
  if (!flag) {
    return make_error(Errc::kNotFound, fmt::format("call '{}' has no leg '{}'", call_id, leg_name));
  }
  *flag = muted;
  ctl.mix(call);
  e.pump();
  return {};
}

Status Engine::blind_transfer(std::string_view call_id, const Party& party, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  if (Status st = check_party(party); !st) return st;
  Ctl<Impl> ctl{e};
  auto c = ctl.conversation_call(call_id, "a blind transfer");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.state != ConversationState::kConnected && conv.state != ConversationState::kHeld) {
    return refuse(call, "a blind transfer starts from a connected or held call");
  }
  if (conv.agent_id.empty() || conv.outside_router || !call.contact) {
    return refuse(call, "no agent has the call");
  }
  const std::string from = conv.agent_id;
  if (!party.target.empty()) {
    e.command(Command::Kind::kTransfer, call).target = party.target;
    ctl.transferred(call, from, party.target);
    ctl.owner_leaves(call);
    call.ended = true;
    e.end_conversation(&call);
    if (call.session) {
      std::vector<ivr::Directive> out = e.take_directives();
      call.session->hangup(now, out);
      e.apply_and_recycle(&call, out);
    }
    e.pump();
    return {};
  }
  // To an agent: the caller waits as a new contact offered to that agent
  // alone, in a queue the agent serves (the call's own first).
  const std::optional<routing::AgentConfig> agent = e.router.agent_config(party.agent_id);
  if (!agent) return not_found("agent", party.agent_id);
  if (party.agent_id == from) return refuse(call, "the call is with that agent already");
  auto serves = [&](const std::string& queue_id) {
    const routing::QueueConfig* q = e.router.queue_config(queue_id);
    if (!q) return false;
    for (const auto& m : q->members) {
      if (m.agent_id == party.agent_id) return true;
    }
    for (const auto& own : agent->queues) {
      if (own == queue_id) return true;
    }
    return false;
  };
  std::string queue;
  if (serves(conv.queue_id)) {
    queue = conv.queue_id;
  } else {
    for (const std::string& q : e.router.queue_ids()) {
      if (serves(q)) {
        queue = q;
        break;
      }
    }
  }
  if (queue.empty()) {
    return make_error(Errc::kNotFound,
                      fmt::format("agent '{}' serves no queue to transfer call '{}' to",
                                  party.agent_id, call_id));
  }
  const ContactId old = call.contact;
  CallInfo& info = call.info;
  std::string preferred = std::move(info.preferred_agent);
  const DurationMs preferred_wait = info.preferred_wait_ms;
  info.preferred_agent = party.agent_id;
  info.preferred_wait_ms = kNever;
  const bool queued = e.enqueue(&call, Impl::QueueRequest{queue}, /*quiet=*/true);
  info.preferred_agent = std::move(preferred);
  info.preferred_wait_ms = preferred_wait;
  if (!queued) {
    call.contact = old;
    return make_error(Errc::kFull, fmt::format("queue '{}' refused the transfer", queue));
  }
  ctl.transferred(call, from, party.agent_id);
  call.leave_behind(old);
  if (Status st = e.router.complete(old, now); !st) return st;
  e.end_conversation(&call);
  e.pump();
  return {};
}

// ------------------------------------------------------------------ supervisors

Status Engine::supervise(std::string_view call_id, std::string_view supervisor,
                         std::string_view mode_name, std::string_view leg_name, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  if (Status st = ctl.check_supervisor(supervisor); !st) return st;
  SuperviseMode mode = SuperviseMode::kMonitor;
  bool take_over = false;
  if (mode_name == "monitor") {
    mode = SuperviseMode::kMonitor;
  } else if (mode_name == "whisper") {
    mode = SuperviseMode::kWhisper;
  } else if (mode_name == "barge") {
    mode = SuperviseMode::kBarge;
  } else if (mode_name == "take_over") {
    take_over = true;
  } else {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("unknown supervision mode '{}' (expected one of: {})", mode_name,
                                  kSuperviseModes));
  }
  if (Status st = require_utf8(leg_name, "leg"); !st) return st;
  auto c = ctl.conversation_call(call_id, "supervision");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  if (conv.agent_id.empty()) return refuse(call, "supervision needs a call with an agent");
  if (conv.agent_id == supervisor) return refuse(call, "the supervisor has the call already");
  if (take_over && conv.state != ConversationState::kConnected &&
      conv.state != ConversationState::kHeld) {
    return refuse(call, "a take-over needs a connected or held call (end the consultation or "
                        "conference first)");
  }
  const std::string agent = conv.agent_id;
  Leg* leg = nullptr;
  for (Leg& l : conv.legs) {
    if (l.supervisor && l.agent_id == supervisor) leg = &l;
  }
  bool joined_now = false;  // the supervisor's own leg, already up, joins now
  if (!leg) {
    const std::string name = leg_name.empty() ? std::string(supervisor) : std::string(leg_name);
    if (name == call_id || conv.leg(name)) {
      return refuse(call, fmt::format("leg '{}' is on the call already", name));
    }
    Leg& added = conv.legs.emplace_back();
    added.name = name;
    added.agent_id = std::string(supervisor);
    added.supervisor = true;
    added.answered = !leg_name.empty();
    joined_now = added.answered;
    leg = &added;
    if (leg_name.empty()) {
      Command& d = e.command(Command::Kind::kDial, call);
      d.leg = name;
      d.agent_id = std::string(supervisor);
    }
  }
  leg->mode = mode;
  leg->take_over = take_over;
  // The supervision is told before the leg it joins on, and the leg names
  // its supervisor: listeners that keep supervision from the agent know the
  // leg for theirs even when a phone number names it.
  ctl.supervision(call_id, supervisor, mode_name, agent);
  if (joined_now) ctl.leg_note(call, leg->name, leg->agent_id, true);
  if (leg->answered) {
    if (take_over) {
      ctl.take_over(call, *leg);
    } else {
      ctl.mix(call);
    }
  }
  e.pump();
  return {};
}

Status Engine::force_release(std::string_view call_id, std::string_view supervisor, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  if (Status st = ctl.check_supervisor(supervisor); !st) return st;
  Call* c = e.call_of(call_id);
  if (!c || c->callback) return not_found("call", call_id);
  if (c->ended) return refuse(*c, "only a live call can be released");
  std::string agent;
  if (c->conversation) agent = c->conversation->agent_id;
  ctl.supervision(call_id, supervisor, "force_release", agent);
  e.command(Command::Kind::kHangup, *c);
  return call_hung_up(call_id, now);
}

Status Engine::force_not_ready(std::string_view agent_id, std::string_view supervisor,
                               std::string_view reason, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  if (Status st = ctl.check_supervisor(supervisor); !st) return st;
  if (Status st = require_utf8(reason, "reason"); !st) return st;
  // The router keeps a busy agent's not-ready for when the contact ends; the
  // agent's own ready meanwhile cancels it.
  if (Status st = e.router.set_not_ready(agent_id, reason, now); !st) return st;
  ctl.supervision("", supervisor, "force_not_ready", agent_id);
  e.pump();
  return {};
}

Status Engine::force_logout(std::string_view agent_id, std::string_view supervisor, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  if (Status st = ctl.check_supervisor(supervisor); !st) return st;
  auto snap = e.router.agent_snapshot(agent_id);
  if (!snap) return std::move(snap).error();
  using routing::AgentState;
  if (snap->state == AgentState::kLoggedOut) {
    return illegal(fmt::format("agent '{}' is not logged in", agent_id));
  }
  if (snap->state == AgentState::kAvailable || snap->state == AgentState::kNotReady) {
    if (Status st = e.router.logout(agent_id, now); !st) return st;
  } else {
    // Busy: not ready now (nothing new is offered), logged out when free.
    if (Status st = e.router.set_not_ready(agent_id, "logout", now); !st) return st;
    e.pending_logouts.insert_or_assign(std::string(agent_id), std::string(supervisor));
  }
  ctl.supervision("", supervisor, "force_logout", agent_id);
  e.pump();
  return {};
}

// ------------------------------------------------------------------ recording

Status Engine::recording_control(std::string_view call_id, std::string_view action, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  Ctl<Impl> ctl{e};
  if (action != "start" && action != "stop" && action != "pause" && action != "resume") {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("unknown recording action '{}' (expected one of: start, stop, "
                                  "pause, resume)",
                                  action));
  }
  auto c = ctl.conversation_call(call_id, "recording");
  if (!c) return std::move(c).error();
  Call& call = **c;
  Conversation& conv = *call.conversation;
  const routing::QueueConfig* queue = e.router.queue_config(conv.queue_id);
  const routing::RecordingPolicy policy =
      queue ? queue->recording : routing::RecordingPolicy::kNone;
  if (policy == routing::RecordingPolicy::kNone) {
    return make_error(Errc::kPermission,
                      fmt::format("queue '{}' records no calls (recording: none)", conv.queue_id));
  }
  if (policy == routing::RecordingPolicy::kAll && (action == "start" || action == "stop")) {
    return make_error(Errc::kPermission,
                      fmt::format("queue '{}' records every call (recording: all): it can be "
                                  "paused and resumed, not {}ed",
                                  conv.queue_id, action == "stop" ? "stopp" : "start"));
  }
  RecordingState next = conv.recording;
  const char* state_name[] = {"not recording", "recording", "paused"};
  const char* now_state = state_name[static_cast<int>(conv.recording)];
  if (action == "start" && conv.recording == RecordingState::kOff) {
    next = RecordingState::kRecording;
  } else if (action == "stop" && conv.recording != RecordingState::kOff) {
    next = RecordingState::kOff;
  } else if (action == "pause" && conv.recording == RecordingState::kRecording) {
    next = RecordingState::kPaused;
  } else if (action == "resume" && conv.recording == RecordingState::kPaused) {
    next = RecordingState::kRecording;
  } else {
    return illegal(fmt::format("call '{}' is {}: its recording cannot {}", call_id, now_state,
                               action));
  }
  conv.recording = next;
  e.command(Command::Kind::kRecordControl, call).action = std::string(action);
  Notification& n = e.note(Notification::Kind::kRecording, call_id);
  n.agent_id = conv.agent_id;
  n.queue_id = conv.queue_id;
  n.text = action;
  e.pump();
  return {};
}

}  // namespace hotline::engine
