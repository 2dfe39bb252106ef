// The live call control kinds as one function each (docs/call-control.md):
// every one fills an hl_event and goes through the one event table, so the
// typed, JSON and one-call forms check the same fields the same way.
#include "engine_event.hpp"
#include "hotline/engine.h"
#include "hotline/event.h"

namespace {

hl_event call_event(hl_event_kind kind, const char* call_id) {
  hl_event e = HL_EVENT_INIT;
  e.kind = kind;
  e.call_id = call_id;
  return e;
}

hl_status apply(hl_engine* engine, const hl_event& event, int64_t now, hl_error** err) {
  return hotline::capi::apply_event(engine, &event, now, err);
}

hl_status on_call(hl_engine* engine, hl_event_kind kind, const char* call_id, int64_t now,
                  hl_error** err) {
  return apply(engine, call_event(kind, call_id), now, err);
}

hl_status on_leg(hl_engine* engine, hl_event_kind kind, const char* call_id, const char* leg,
                 int64_t now, hl_error** err) {
  hl_event e = call_event(kind, call_id);
  e.leg = leg;
  return apply(engine, e, now, err);
}

hl_status to_party(hl_engine* engine, hl_event_kind kind, const char* call_id,
                   const char* agent_id, const char* target, int64_t now, hl_error** err) {
  hl_event e = call_event(kind, call_id);
  e.agent_id = agent_id;
  e.target = target;
  return apply(engine, e, now, err);
}

}  // namespace

extern "C" {

hl_status hl_engine_hold(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return on_call(h, HL_EVENT_HOLD, call, now, err);
}

hl_status hl_engine_resume(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return on_call(h, HL_EVENT_RESUME, call, now, err);
}

hl_status hl_engine_consult(hl_engine* h, const char* call, const char* agent,
                            const char* target, int64_t now, hl_error** err) {
  return to_party(h, HL_EVENT_CONSULT, call, agent, target, now, err);
}

hl_status hl_engine_consult_queue(hl_engine* h, const char* call, const char* queue,
                                  int64_t now, hl_error** err) {
  hl_event e = call_event(HL_EVENT_CONSULT, call);
  e.queue_id = queue;
  return apply(h, e, now, err);
}

hl_status hl_engine_leg_answered(hl_engine* h, const char* call, const char* leg, int64_t now,
                                 hl_error** err) {
  return on_leg(h, HL_EVENT_LEG_ANSWERED, call, leg, now, err);
}

hl_status hl_engine_leg_ended(hl_engine* h, const char* call, const char* leg, int64_t now,
                              hl_error** err) {
  return on_leg(h, HL_EVENT_LEG_ENDED, call, leg, now, err);
}

hl_status hl_engine_transfer_complete(hl_engine* h, const char* call, int64_t now,
                                      hl_error** err) {
  return on_call(h, HL_EVENT_TRANSFER_COMPLETE, call, now, err);
}

hl_status hl_engine_consult_cancel(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return on_call(h, HL_EVENT_CONSULT_CANCEL, call, now, err);
}

hl_status hl_engine_conference(hl_engine* h, const char* call, int64_t now, hl_error** err) {
  return on_call(h, HL_EVENT_CONFERENCE, call, now, err);
}

hl_status hl_engine_conference_add(hl_engine* h, const char* call, const char* agent,
                                   const char* target, int64_t now, hl_error** err) {
  return to_party(h, HL_EVENT_CONFERENCE_ADD, call, agent, target, now, err);
}

hl_status hl_engine_conference_drop(hl_engine* h, const char* call, const char* leg,
                                    int64_t now, hl_error** err) {
  return on_leg(h, HL_EVENT_CONFERENCE_DROP, call, leg, now, err);
}

hl_status hl_engine_mute(hl_engine* h, const char* call, const char* leg, int muted,
                         int64_t now, hl_error** err) {
  hl_event e = call_event(HL_EVENT_MUTE, call);
  e.leg = leg;
  e.muted = muted;
  return apply(h, e, now, err);
}

hl_status hl_engine_blind_transfer(hl_engine* h, const char* call, const char* agent,
                                   const char* target, int64_t now, hl_error** err) {
  return to_party(h, HL_EVENT_BLIND_TRANSFER, call, agent, target, now, err);
}

hl_status hl_engine_wrap_up_code(hl_engine* h, const char* call, const char* code, int64_t now,
                                 hl_error** err) {
  hl_event e = call_event(HL_EVENT_WRAP_UP_CODE, call);
  e.code = code;
  return apply(h, e, now, err);
}

hl_status hl_engine_supervise(hl_engine* h, const char* call, const char* supervisor,
                              const char* mode, const char* leg, int64_t now, hl_error** err) {
  hl_event e = call_event(HL_EVENT_SUPERVISE, call);
  e.supervisor = supervisor;
  e.mode = mode;
  e.leg = leg;
  return apply(h, e, now, err);
}

hl_status hl_engine_force_release(hl_engine* h, const char* call, const char* supervisor,
                                  int64_t now, hl_error** err) {
  hl_event e = call_event(HL_EVENT_FORCE_RELEASE, call);
  e.supervisor = supervisor;
  return apply(h, e, now, err);
}

hl_status hl_engine_force_not_ready(hl_engine* h, const char* agent, const char* supervisor,
                                    const char* reason, int64_t now, hl_error** err) {
  hl_event e = HL_EVENT_INIT;
  e.kind = HL_EVENT_FORCE_NOT_READY;
  e.agent_id = agent;
  e.supervisor = supervisor;
  e.reason = reason;
  return apply(h, e, now, err);
}

hl_status hl_engine_force_logout(hl_engine* h, const char* agent, const char* supervisor,
                                 int64_t now, hl_error** err) {
  hl_event e = HL_EVENT_INIT;
  e.kind = HL_EVENT_FORCE_LOGOUT;
  e.agent_id = agent;
  e.supervisor = supervisor;
  return apply(h, e, now, err);
}

hl_status hl_engine_recording_control(hl_engine* h, const char* call, const char* action,
                                      int64_t now, hl_error** err) {
  hl_event e = call_event(HL_EVENT_RECORDING_CONTROL, call);
  e.action = action;
  return apply(h, e, now, err);
}

}  // extern "C"
