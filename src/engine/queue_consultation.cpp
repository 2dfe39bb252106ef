// A consultation of a queue (docs/call-control.md, Consultation of a queue):
// while the caller holds, a consultation contact waits in the queue, is
// routed by the queue's strategy and rings the queue's agents as `dial`
// legs; the agent who answers becomes the consulted party, as one consulted
// by name is. The wait is bounded: nobody logged in, the bound or the
// queue's overflow send the call back to held with a kConsultFailed
// notification. The contact's routing outputs stay with the consultation:
// the queue's KPIs never see them.
#include <algorithm>
#include <fmt/format.h>

#include "engine_impl.hpp"

namespace hotline::engine {

namespace {

// How long a consultation waits for an agent of a queue that sets no
// max_wait_ms of its own.
constexpr DurationMs kDefaultConsultationWaitMs = 60'000;

bool serves(const routing::QueueConfig& queue, const routing::AgentConfig* agent) {
  if (!agent) return false;
  const bool member = std::any_of(queue.members.begin(), queue.members.end(),
                                  [&](const routing::QueueMember& m) {
                                    return m.agent_id == agent->id;
                                  });
  return member || std::find(agent->queues.begin(), agent->queues.end(), queue.id) !=
                       agent->queues.end();
}

Leg* leg_of_reservation(Conversation& conv, routing::ReservationId reservation) {
  for (Leg& leg : conv.legs) {
    if (leg.reservation == reservation) return &leg;
  }
  return nullptr;
}

}  // namespace

Status Engine::Impl::consult_queue(Call& call, std::string_view queue_id) {
  const routing::QueueConfig* queue = router.queue_config(queue_id);
  if (!queue) return not_found("queue", queue_id);
  Conversation& conv = *call.conversation;
  const bool was_connected = conv.state == ConversationState::kConnected;
  // Nobody but the consulting agent (busy with this call) could answer.
  auto load = router.queue_load(queue_id);
  const std::optional<routing::AgentConfig> agent = router.agent_config(conv.agent_id);
  const int others = (load ? load->agents_logged_in : 0) -
                     (serves(*queue, agent ? &*agent : nullptr) ? 1 : 0);
  routing::ContactId contact = 0;
  if (others > 0) {
    routing::ContactSpec spec;
    spec.external_id = call.info.call_id;
    spec.queue_id = std::string(queue_id);
    spec.caller = call.info.caller;
    spec.priority = call.info.priority;
    spec.attributes = call.info.attributes;
    auto id = router.enqueue(std::move(spec), now);
    if (!id) {
      return make_error(Errc::kFull, fmt::format("queue '{}' refused the consultation: {}",
                                                 queue_id, id.error().message));
    }
    contact = *id;
    // Its outputs (the offers among them) are the consultation's from here on.
    consultations[contact] = call.slot;
  }
  if (was_connected) {
    Command& hold = command(Command::Kind::kHold, call);
    if (const routing::QueueConfig* own = router.queue_config(conv.queue_id)) {
      hold.prompts = own->music_on_hold;
    }
  }
  enter(call, ConversationState::kConsulting);
  conv.consult_queue = std::string(queue_id);
  if (!contact) {
    consultation_failed(call, "no_agents");
    return {};
  }
  conv.consult_contact = contact;
  const DurationMs bound =
      queue->max_wait_ms != kNever ? queue->max_wait_ms : kDefaultConsultationWaitMs;
  conv.consult_timer = timers.schedule(now + bound, 0, call.slot);
  return {};
}

void Engine::Impl::on_consultation_output(Call& call, const Output& o) {
  using K = Output::Kind;
  // Outputs of a consultation contact the conversation no longer waits for
  // (an agent took it, or it left the queue) change nothing here.
  const bool waiting = call.conversation && call.conversation->consult_contact == o.contact;
  switch (o.kind) {
    case K::kOffer: {
      if (!waiting) break;
      Conversation& conv = *call.conversation;
      const std::string& agent = router.agent_id(o.agent);
      Leg leg;
      leg.name = agent;
      leg.agent_id = agent;
      leg.contact = o.contact;
      leg.reservation = o.reservation;
      leg.from_queue = true;
      Command& c = command(Command::Kind::kDial, call);
      c.leg = leg.name;
      c.agent_id = agent;
      c.queue_id = conv.consult_queue;
      conv.legs.push_back(std::move(leg));
      break;
    }
    case K::kRescind:
    case K::kOfferTimedOut:
    case K::kOfferRejected: {
      // The queue stopped ringing that agent (another answered, the offer
      // timed out): the host drops the leg, unless it reported its end.
      if (!call.conversation) break;
      Conversation& conv = *call.conversation;
      if (Leg* leg = leg_of_reservation(conv, o.reservation)) {
        command(Command::Kind::kHangupLeg, call).leg = leg->name;
        conv.drop_leg(std::string(leg->name));
      }
      break;
    }
    case K::kQueueOverflow:
      if (waiting) consultation_failed(call, "overflow");
      break;
    case K::kContactRemoved:
    case K::kContactAbandoned: forget_consultation(o.contact); break;
    default: break;
  }
}

Status Engine::Impl::consultation_answered(Call& call, Leg& leg) {
  Conversation& conv = *call.conversation;
  const std::string name = leg.name;
  // The router stops ringing the others (kRescind → hangup_leg).
  if (Status st = router.accept(leg.reservation, now); !st) return st;
  Leg* answered = conv.leg(name);
  answered->reservation = 0;
  answered->answered = true;
  timers.cancel(conv.consult_timer);
  conv.consult_timer = 0;
  conv.consult_contact = 0;
  conv.consulted = name;
  Notification& n = note(Notification::Kind::kLeg, call.info.call_id);
  n.agent_id = conv.agent_id;
  n.queue_id = conv.queue_id;
  n.actor = answered->agent_id;
  n.text = name;
  n.value = 1;
  conv.mixed = true;
  command(Command::Kind::kMix, call).mix_json = mix_json(conv, call.info.call_id);
  return {};
}

void Engine::Impl::consultation_ring_failed(Call& call, const std::string& leg_name) {
  Conversation& conv = *call.conversation;
  Leg* leg = conv.leg(leg_name);
  const routing::ReservationId reservation = leg->reservation;
  conv.drop_leg(leg_name);
  // As a ring the host reports unanswered: the agent's no-answer count
  // grows, and the queue offers the consultation to its next agent (the
  // leg is gone already, so no hangup_leg follows).
  (void)router.no_answer(reservation, now);
}

void Engine::Impl::stop_queue_consultation(Call& call) {
  Conversation& conv = *call.conversation;
  timers.cancel(conv.consult_timer);
  conv.consult_timer = 0;
  for (const Leg& leg : conv.legs) {
    if (leg.reservation != 0) command(Command::Kind::kHangupLeg, call).leg = leg.name;
  }
  conv.legs.erase(std::remove_if(conv.legs.begin(), conv.legs.end(),
                                 [](const Leg& leg) { return leg.reservation != 0; }),
                  conv.legs.end());
  // Its kContactRemoved (and the rescinds) reach on_consultation_output,
  // which then forgets the contact.
  if (conv.consult_contact) (void)router.remove(conv.consult_contact, now);
  conv.consult_contact = 0;
}

void Engine::Impl::consultation_failed(Call& call, std::string_view why) {
  if (!call.conversation) return;
  Conversation& conv = *call.conversation;
  stop_queue_consultation(call);
  Notification& n = note(Notification::Kind::kConsultFailed, call.info.call_id);
  n.agent_id = conv.agent_id;
  n.queue_id = conv.consult_queue;
  n.text = why;
  enter(call, ConversationState::kHeld);
}

}  // namespace hotline::engine
