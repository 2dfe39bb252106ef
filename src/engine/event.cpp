// The table of event kinds: names, fields and how each applies.
#include "hotline/engine/event.hpp"

#include <fmt/format.h>

namespace hotline::engine {

namespace {

using F = EventField;
using T = FieldType;

Status unsupported(const Event& e) {
  return make_error(Errc::kInvalidArgument,
                    fmt::format("event kind {} is not known", static_cast<int>(e.kind)));
}

Status arrive(Engine& engine, const Event& e, TimeMs now) {
  return engine.call_arrived(call_info_of(e), now);
}

}  // namespace

const char* field_type_name(FieldType type) noexcept {
  switch (type) {
    case T::kString: return "string";
    case T::kKey: return "key";
    case T::kUnsigned: return "unsigned";
    case T::kInteger: return "integer";
    case T::kBoolean: return "boolean";
    case T::kObject: return "object";
    case T::kAny: return "any";
    case T::kChannel: return "channel";
    case T::kSkills: return "skills";
  }
  return "unknown";
}

const std::vector<EventFieldInfo>& event_fields() {
  static const std::vector<EventFieldInfo> fields = {
      {F::kCallId, "call_id", T::kString},
      {F::kCaller, "caller", T::kString},
      {F::kDialled, "dialled", T::kString},
      {F::kChannel, "channel", T::kChannel},
      {F::kPriority, "priority", T::kInteger},
      {F::kSkills, "skills", T::kSkills},
      {F::kAttributes, "attributes", T::kObject},
      {F::kCustomer, "customer", T::kObject},
      {F::kPreferredAgent, "preferred_agent", T::kString},
      {F::kPreferredWaitMs, "preferred_wait_ms", T::kUnsigned},
      {F::kFlowId, "flow_id", T::kString},
      {F::kQueueId, "queue_id", T::kString},
      {F::kDigit, "digit", T::kKey},
      {F::kRecording, "recording", T::kString},
      {F::kRequestId, "request_id", T::kUnsigned},
      {F::kOk, "ok", T::kBoolean},
      {F::kResult, "result", T::kAny},
      {F::kReservation, "reservation", T::kUnsigned},
      {F::kAgentId, "agent_id", T::kString},
      {F::kReason, "reason", T::kString},
      {F::kLeg, "leg", T::kString},
      {F::kTarget, "target", T::kString},
      {F::kMode, "mode", T::kString},
      {F::kCode, "code", T::kString},
      {F::kAction, "action", T::kString},
      {F::kSupervisor, "supervisor", T::kString},
      {F::kMuted, "muted", T::kBoolean},
  };
  return fields;
}

const EventFieldInfo& event_field(EventField field) noexcept {
  return event_fields()[static_cast<std::size_t>(field)];
}

const std::vector<EventKindInfo>& event_kinds() {
  constexpr bool req = true;
  constexpr bool opt = false;
  static const std::vector<EventKindInfo> kinds = {
      {EventKind::kCallArrived, "call_arrived",
       {{F::kCallId, req}, {F::kCaller, opt}, {F::kDialled, opt}, {F::kFlowId, opt},
        {F::kQueueId, opt}, {F::kCustomer, opt}},
       arrive},
      {EventKind::kContactArrived, "contact_arrived",
       {{F::kCallId, req}, {F::kChannel, opt}, {F::kPriority, opt}, {F::kSkills, opt},
        {F::kAttributes, opt}, {F::kPreferredAgent, opt}, {F::kPreferredWaitMs, opt},
        {F::kCustomer, opt}, {F::kCaller, opt}, {F::kDialled, opt}, {F::kFlowId, opt},
        {F::kQueueId, opt}},
       arrive},
      {EventKind::kDigit, "digit", {{F::kCallId, req}, {F::kDigit, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.digit(e.call_id, e.digit, now); }},
      {EventKind::kPromptDone, "prompt_done", {{F::kCallId, req}, {F::kRequestId, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.prompt_done(e.call_id, now, e.request_id);
       }},
      {EventKind::kRecordingDone, "recording_done", {{F::kCallId, req}, {F::kRecording, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.recording_done(e.call_id, e.recording, now);
       }},
      {EventKind::kHostResult, "host_result",
       {{F::kRequestId, req}, {F::kOk, req}, {F::kResult, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.host_result(e.request_id, e.ok, e.result, now);
       }},
      {EventKind::kCallHungUp, "call_hung_up", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.call_hung_up(e.call_id, now); }},
      {EventKind::kAgentAnswered, "agent_answered", {{F::kReservation, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.agent_answered(e.reservation, now);
       }},
      {EventKind::kAgentRejected, "agent_rejected", {{F::kReservation, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.agent_rejected(e.reservation, now);
       }},
      {EventKind::kAgentNoAnswer, "agent_no_answer", {{F::kReservation, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.agent_no_answer(e.reservation, now);
       }},
      {EventKind::kAgentHungUp, "agent_hung_up", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.agent_hung_up(e.call_id, now); }},
      {EventKind::kTransfer, "transfer", {{F::kCallId, req}, {F::kQueueId, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.transfer_to_queue(e.call_id, e.queue_id, now);
       }},
      {EventKind::kWrapUpDone, "wrap_up_done", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.wrap_up_done(e.call_id, now); }},
      {EventKind::kAgentLogin, "agent_login", {{F::kAgentId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.agent_login(e.agent_id, now); }},
      {EventKind::kAgentLogout, "agent_logout", {{F::kAgentId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.agent_logout(e.agent_id, now); }},
      {EventKind::kAgentReady, "agent_ready", {{F::kAgentId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.agent_ready(e.agent_id, now); }},
      {EventKind::kAgentNotReady, "agent_not_ready", {{F::kAgentId, req}, {F::kReason, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.agent_not_ready(e.agent_id, e.reason, now);
       }},
      {EventKind::kHold, "hold", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.hold(e.call_id, now); }},
      {EventKind::kResume, "resume", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.resume(e.call_id, now); }},
      {EventKind::kConsult, "consult",
       {{F::kCallId, req}, {F::kAgentId, opt}, {F::kTarget, opt}, {F::kQueueId, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.consult(e.call_id, {e.agent_id, e.target, e.queue_id}, now);
       }},
      {EventKind::kLegAnswered, "leg_answered", {{F::kCallId, req}, {F::kLeg, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.leg_answered(e.call_id, e.leg, now);
       }},
      {EventKind::kLegEnded, "leg_ended", {{F::kCallId, req}, {F::kLeg, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.leg_ended(e.call_id, e.leg, now); }},
      {EventKind::kTransferComplete, "transfer_complete", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.transfer_complete(e.call_id, now);
       }},
      {EventKind::kConsultCancel, "consult_cancel", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.consult_cancel(e.call_id, now); }},
      {EventKind::kConference, "conference", {{F::kCallId, req}},
       [](Engine& en, const Event& e, TimeMs now) { return en.conference(e.call_id, now); }},
      {EventKind::kConferenceAdd, "conference_add",
       {{F::kCallId, req}, {F::kAgentId, opt}, {F::kTarget, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.conference_add(e.call_id, {e.agent_id, e.target}, now);
       }},
      {EventKind::kConferenceDrop, "conference_drop", {{F::kCallId, req}, {F::kLeg, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.conference_drop(e.call_id, e.leg, now);
       }},
      {EventKind::kMute, "mute", {{F::kCallId, req}, {F::kLeg, req}, {F::kMuted, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.mute(e.call_id, e.leg, e.muted, now);
       }},
      {EventKind::kBlindTransfer, "blind_transfer",
       {{F::kCallId, req}, {F::kAgentId, opt}, {F::kTarget, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.blind_transfer(e.call_id, {e.agent_id, e.target}, now);
       }},
      {EventKind::kWrapUpCode, "wrap_up_code", {{F::kCallId, req}, {F::kCode, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.wrap_up_code(e.call_id, e.code, now);
       }},
      {EventKind::kSupervise, "supervise",
       {{F::kCallId, req}, {F::kSupervisor, req}, {F::kMode, req}, {F::kLeg, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.supervise(e.call_id, e.supervisor, e.mode, e.leg, now);
       }},
      {EventKind::kForceRelease, "force_release", {{F::kCallId, req}, {F::kSupervisor, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.force_release(e.call_id, e.supervisor, now);
       }},
      {EventKind::kForceNotReady, "force_not_ready",
       {{F::kAgentId, req}, {F::kSupervisor, req}, {F::kReason, opt}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.force_not_ready(e.agent_id, e.supervisor, e.reason, now);
       }},
      {EventKind::kForceLogout, "force_logout", {{F::kAgentId, req}, {F::kSupervisor, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.force_logout(e.agent_id, e.supervisor, now);
       }},
      {EventKind::kRecordingControl, "recording_control", {{F::kCallId, req}, {F::kAction, req}},
       [](Engine& en, const Event& e, TimeMs now) {
         return en.recording_control(e.call_id, e.action, now);
       }},
  };
  return kinds;
}

const EventKindInfo* find_event_kind(std::string_view name) noexcept {
  for (const EventKindInfo& k : event_kinds()) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

const EventKindInfo* find_event_kind(EventKind kind) noexcept {
  const auto& kinds = event_kinds();
  const auto index = static_cast<std::size_t>(kind) - 1;
  return index < kinds.size() ? &kinds[index] : nullptr;
}

Status apply_event(Engine& engine, const Event& event, TimeMs now) {
  const EventKindInfo* info = find_event_kind(event.kind);
  if (!info) return unsupported(event);
  return info->apply(engine, event, now);
}

CallInfo call_info_of(const Event& e) {
  CallInfo info;
  info.call_id = e.call_id;
  info.caller = e.caller;
  info.dialled = e.dialled;
  info.channel = e.channel;
  info.flow_id = e.flow_id;
  info.queue_id = e.queue_id;
  info.priority = e.priority;
  info.skills = e.skills;
  info.preferred_agent = e.preferred_agent;
  info.preferred_wait_ms = e.preferred_wait_ms;
  // The customer is what the IVR and routing see; explicit attributes add
  // to it and win on a shared key.
  // Built whole in one block: a copy of the customer changed key by key
  // would keep the customer's block as well as its own.
  if (e.attributes.empty()) {
    info.attributes = e.customer;
  } else {
    std::vector<std::pair<std::string_view, expr::Value>> over;
    over.reserve(e.attributes.size());
    for (std::size_t i = 0; i < e.attributes.size(); ++i) {
      over.emplace_back(e.attributes.key_at(i), e.attributes.value_at(i));
    }
    info.attributes = expr::Attributes::merged(e.customer, over.data(), over.size());
  }
  return info;
}

}  // namespace hotline::engine
