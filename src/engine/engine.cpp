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

#include "engine_impl.hpp"
#include "hotline/routing/config_json.hpp"
#include "hotline/routing/config_text.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::engine {

const char* command_kind_name(Command::Kind kind) noexcept {
  static const char* names[] = {"answer",     "play",         "stop_playback", "collect_digits",
                                "record",     "transfer",     "hangup",        "ring_agent",
                                "stop_ringing", "bridge",     "lookup",        "create_ticket",
                                "register_callback", "hold",   "resume",        "dial",
                                "hangup_leg", "mix",          "record_control"};
  return names[static_cast<int>(kind)];
}

// ------------------------------------------------------------------ Engine

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(options)) {
  impl_->reserve_calls(options.expected_calls);
}
Engine::~Engine() = default;

Status Engine::load_config(const nlohmann::json& config, TimeMs now) {
  routing::PreparsedAgents none;
  return load_config(config, none, now);
}

Status Engine::load_config(const nlohmann::json& config, routing::PreparsedAgents& agents,
                           TimeMs now) {
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
  auto routing = routing::routing_config_from_json(config, e.router, "$", &agents);
  if (!routing) return std::move(routing).error();
  // Sized before anything is applied: should memory run out, the engine is
  // as it was, only with roomier tables.
  e.reserve_calls(options.expected_calls);
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
  Status st = impl_->router.logout(id, now);
  if (st) {
    if (auto it = impl_->pending_logouts.find(id); it != impl_->pending_logouts.end()) {
      impl_->pending_logouts.erase(it);
    }
  }
  impl_->pump();
  return st;
}
Status Engine::agent_not_ready(std::string_view id, std::string_view reason, TimeMs now) {
  impl_->now = now;
  HL_ROUTER_CALL(impl_->router.set_not_ready(id, reason, now));
}
Status Engine::agent_ready(std::string_view id, TimeMs now) {
  impl_->now = now;
  // A supervisor's logout waiting for the agent's call to end wins over the
  // agent's own ready.
  if (auto it = impl_->pending_logouts.find(id); it != impl_->pending_logouts.end()) {
    return make_error(Errc::kIllegalState,
                      fmt::format("agent '{}' is to be logged out by supervisor '{}' when the "
                                  "current contact ends",
                                  id, it->second));
  }
  HL_ROUTER_CALL(impl_->router.set_available(id, now));
}

Status Engine::call_arrived(CallInfo&& info, TimeMs now) {
  Impl& e = *impl_;
  e.now = now;
  if (info.call_id.empty()) return make_error(Errc::kInvalidArgument, "a call needs an id");
  // Checked before anything changes: a refused call leaves no trace.
  for (const auto& [text, what] : {std::pair{&info.call_id, "call_id"}, {&info.caller, "caller"},
                                   {&info.dialled, "dialled"}, {&info.flow_id, "flow_id"},
                                   {&info.queue_id, "queue_id"},
                                   {&info.preferred_agent, "preferred_agent"}}) {
    // The check alone first: a Status per valid field costs more than the scan,
    // and a call names only a few of these fields.
    if (!text->empty() && first_invalid_utf8(*text)) return require_utf8(*text, what);
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
  auto call = std::make_unique<Call>(std::move(info));
  // A call going straight to a queue keeps its attributes unchanged while it
  // waits, however long: a copy lays them out in a block of just their size,
  // without the room a first write reserves for more, and the contact the
  // router keeps for the call then shares that block instead of copying it.
  if (!flow && !call->info.attributes.empty()) {
    call->info.attributes = expr::Attributes(call->info.attributes);
  }
  call->slot = e.next_slot++;
  Call* c = call.get();
  e.by_slot[c->slot] = c;
  const std::string_view key = c->info.call_id;
  e.calls.insert_absent(key, std::move(call));  // looked for above, not found
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
    e.enqueue(c, Impl::QueueRequest{c->info.queue_id});
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

Status Engine::prompt_done(std::string_view call_id, TimeMs now, std::uint64_t play) {
  if (Call* c = impl_->call_of(call_id); c && c->conversation && !c->conversation->bridged) {
    impl_->now = now;
    // The end of another play (the queue's prompt still playing when the
    // agent answered) is not the announcement's: no bridge yet.
    if (play != 0 && play != c->conversation->announcement_play) return {};
    // The agent-number announcement has ended: the bridge follows.
    impl_->bridge(c);
    impl_->pump();
    return {};
  }
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
      c->hung_up_by = "caller";
      (void)e.router.complete(c->contact, now);  // the conversation is over
    }
  }
  e.end_conversation(c);
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
  // After a take-over the supervisor owns the call outside the router: the
  // agent's contact is already complete.
  const bool owned_outside_router = c->conversation && !c->conversation->agent_id.empty() &&
                                    c->conversation->outside_router;
  if (!c->contact && !owned_outside_router) {
    return make_error(Errc::kIllegalState, fmt::format("call '{}' is not with an agent", call_id));
  }
  if (!owned_outside_router) {
    c->hung_up_by = "agent";
    Status st = e.router.complete(c->contact, now);
    if (!st) {
      c->hung_up_by = nullptr;
      return st;
    }
  }
  // The survey rates the conversation's agent in its queue: the ended
  // conversation is kept until then rather than its ids copied.
  const std::unique_ptr<Conversation> ended = e.end_conversation(c);
  const std::string_view queue = ended ? std::string_view(ended->queue_id) : std::string_view();
  const std::string_view agent = ended ? std::string_view(ended->agent_id) : std::string_view();
  if (!c->ended && e.start_survey(c, queue, agent)) {
    // The caller stays on for the queue's survey flow.
  } else if (c->session) {
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
  if (!e.enqueue(c, Impl::QueueRequest{queue_id}, /*quiet=*/true)) {
    c->contact = old;
    return make_error(Errc::kFull, fmt::format("queue '{}' refused the transfer", queue_id));
  }
  Notification& n = e.note(Notification::Kind::kTransferred, call_id);
  n.queue_id = from_queue;
  n.agent_id = agent;
  n.text = std::string(queue_id);
  // The old contact stays known until its wrap-up ends; the call moves on.
  c->leave_behind(old);
  if (Status st = e.router.complete(old, now); !st) return st;
  e.end_conversation(c);
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
        } else if (found && (*found)->conversation &&
                   (*found)->conversation->consult_timer == due.id) {
          (*found)->conversation->consult_timer = 0;
          e.consultation_failed(**found, "timeout");
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
const EngineOptions& Engine::options() const noexcept { return impl_->options; }
std::size_t Engine::live_calls() const noexcept { return impl_->calls.size(); }

Result<std::string> Engine::call_context(std::string_view call_id) const {
  const Call* call = impl_->call_of(call_id);
  if (!call) return not_found("call", call_id);
  // The queue the call is in (or was offered or answered from) as the router
  // knows it, which follows transfers; else the one the flow or host named.
  std::string queue_id;
  if (call->contact) {
    if (auto snap = impl_->router.contact_snapshot(call->contact)) queue_id = snap->queue_id;
  }
  if (queue_id.empty() && call->session) queue_id = call->session->queue();
  if (queue_id.empty()) queue_id = call->info.queue_id;
  return screen_pop_json(call->info, call->session ? &*call->session : nullptr, queue_id);
}

}  // namespace hotline::engine
