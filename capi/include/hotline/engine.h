/*
 * Hotline C ABI: the engine.
 *
 * An hl_engine is the sans-IO core: the host feeds it events stamped with its
 * own clock (milliseconds) and takes out commands (for telephony and the
 * host's functions) and notifications (for listeners), as JSON text or typed
 * structs, by polling. hl_engine_next_deadline() says when to call
 * hl_engine_advance() next. An engine is used from one thread at a time.
 * docs/events.md lists every event, command and notification.
 *
 * Every string is checked for UTF-8 and every event field for its type and
 * range before anything changes; a refusal names the argument or field.
 *
 * Every call that can fail returns an hl_status and, when `err` is not NULL
 * and the call failed, stores there an error object with a message that says
 * what and where (free it with hl_error_free). Strings passed in are copied.
 */
#ifndef HOTLINE_ENGINE_H
#define HOTLINE_ENGINE_H

#include "hotline/command.h"
#include "hotline/common.h"
#include "hotline/contact.h"
#include "hotline/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hl_engine hl_engine;

/* Creates an engine from a configuration ({"queues", "agents", "flows",
 * "calendars"}). On failure *out is NULL. */
HL_API hl_status hl_engine_create(hl_engine **out, const char *config_json, int64_t now_ms,
                                  hl_error **err);
HL_API void hl_engine_destroy(hl_engine *engine); /* accepts NULL */

/* Configuration while running. A queue or agent as in the configuration
 * ({"id": ..., ...}); set adds it or replaces the one with that id. An
 * agent must be logged out to be removed; a flow replaces the flow with its
 * id for new calls (calls in progress finish on their version). */
HL_API hl_status hl_engine_set_queue(hl_engine *engine, const char *queue_json, hl_error **err);
HL_API hl_status hl_engine_remove_queue(hl_engine *engine, const char *queue_id, hl_error **err);
HL_API hl_status hl_engine_set_agent(hl_engine *engine, const char *agent_json, int64_t now_ms,
                                     hl_error **err);
HL_API hl_status hl_engine_remove_agent(hl_engine *engine, const char *agent_id, hl_error **err);
HL_API hl_status hl_engine_load_flow(hl_engine *engine, const char *flow_json, hl_error **err);

/* Agents. */
HL_API hl_status hl_engine_agent_login(hl_engine *engine, const char *agent_id, int64_t now_ms,
                                       hl_error **err);
HL_API hl_status hl_engine_agent_logout(hl_engine *engine, const char *agent_id, int64_t now_ms,
                                        hl_error **err);
HL_API hl_status hl_engine_agent_ready(hl_engine *engine, const char *agent_id, int64_t now_ms,
                                       hl_error **err);
HL_API hl_status hl_engine_agent_not_ready(hl_engine *engine, const char *agent_id,
                                           const char *reason, int64_t now_ms, hl_error **err);

/* Contacts of every channel (hotline/contact.h): channel, priority, skills,
 * attributes, a preferred agent with a wait, the customer. Every string is
 * checked for UTF-8 and a refusal changes nothing. */
HL_API hl_status hl_engine_contact_arrived(hl_engine *engine, const hl_contact *contact,
                                           int64_t now_ms, hl_error **err);

/* Any event (hotline/event.h), applied at once on the calling thread; the
 * functions below are this with one kind each. */
HL_API hl_status hl_engine_apply_event(hl_engine *engine, const hl_event *event, int64_t now_ms,
                                       hl_error **err);

/* Calls: a voice contact. `flow_id` runs an IVR flow; without one the call
 * joins `queue_id`. `customer_json` (may be NULL) is the customer the host
 * resolved. */
typedef struct hl_call_info {
  uint32_t size; /* sizeof(hl_call_info): the struct only grows at the end */
  const char *call_id;
  const char *caller;
  const char *dialled;
  const char *flow_id;
  const char *queue_id;
  const char *customer_json;
} hl_call_info;
#define HL_CALL_INFO_INIT {sizeof(hl_call_info), NULL, NULL, NULL, NULL, NULL, NULL}

HL_API hl_status hl_engine_call_arrived(hl_engine *engine, const hl_call_info *call,
                                        int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_digit(hl_engine *engine, const char *call_id, char digit,
                                 int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_prompt_done(hl_engine *engine, const char *call_id, int64_t now_ms,
                                       hl_error **err);
HL_API hl_status hl_engine_recording_done(hl_engine *engine, const char *call_id,
                                          const char *recording, int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_host_result(hl_engine *engine, uint64_t request_id, int ok,
                                       const char *result_json, int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_call_hung_up(hl_engine *engine, const char *call_id, int64_t now_ms,
                                        hl_error **err);
HL_API hl_status hl_engine_agent_answered(hl_engine *engine, uint64_t reservation,
                                          int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_agent_rejected(hl_engine *engine, uint64_t reservation,
                                          int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_agent_no_answer(hl_engine *engine, uint64_t reservation,
                                           int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_agent_hung_up(hl_engine *engine, const char *call_id, int64_t now_ms,
                                         hl_error **err);
/* The agent hands the caller to another queue; the agent goes to wrap-up. */
HL_API hl_status hl_engine_transfer(hl_engine *engine, const char *call_id, const char *queue_id,
                                    int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_wrap_up_done(hl_engine *engine, const char *call_id, int64_t now_ms,
                                        hl_error **err);

/* Live call control (docs/call-control.md): one function per event kind, like
 * the ones above. A party is an agent (`agent_id`, `target` NULL) or an
 * outside number or URI (`target`, `agent_id` NULL). An action the
 * conversation's state does not allow is refused with HL_ESTATE and changes
 * nothing; a supervisor action by an agent whose role is not "supervisor"
 * with HL_EPERM. */
HL_API hl_status hl_engine_hold(hl_engine *engine, const char *call_id, int64_t now_ms,
                                hl_error **err);
HL_API hl_status hl_engine_resume(hl_engine *engine, const char *call_id, int64_t now_ms,
                                  hl_error **err);
/* The agent reaches another party while the caller holds. */
HL_API hl_status hl_engine_consult(hl_engine *engine, const char *call_id, const char *agent_id,
                                   const char *target, int64_t now_ms, hl_error **err);
/* The agent consults the next agent of queue `queue_id` while the caller holds:
 * the consultation waits in the queue and rings its agents as dial legs;
 * nobody there, or a wait past the queue's bound, sends the call back to
 * held with a consult_failed notification (docs/call-control.md). */
HL_API hl_status hl_engine_consult_queue(hl_engine *engine, const char *call_id,
                                         const char *queue_id, int64_t now_ms, hl_error **err);
/* A leg the engine dialled (a dial command) answered, or failed or hung up. */
HL_API hl_status hl_engine_leg_answered(hl_engine *engine, const char *call_id, const char *leg,
                                        int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_leg_ended(hl_engine *engine, const char *call_id, const char *leg,
                                     int64_t now_ms, hl_error **err);
/* The caller goes to the consulted party; the agent goes to wrap-up. */
HL_API hl_status hl_engine_transfer_complete(hl_engine *engine, const char *call_id,
                                             int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_consult_cancel(hl_engine *engine, const char *call_id, int64_t now_ms,
                                          hl_error **err);
/* Caller, agent and consulted party together. */
HL_API hl_status hl_engine_conference(hl_engine *engine, const char *call_id, int64_t now_ms,
                                      hl_error **err);
HL_API hl_status hl_engine_conference_add(hl_engine *engine, const char *call_id,
                                          const char *agent_id, const char *target,
                                          int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_conference_drop(hl_engine *engine, const char *call_id,
                                           const char *leg, int64_t now_ms, hl_error **err);
/* `muted` nonzero: nobody hears the leg; 0: heard again. */
HL_API hl_status hl_engine_mute(hl_engine *engine, const char *call_id, const char *leg,
                                int muted, int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_blind_transfer(hl_engine *engine, const char *call_id,
                                          const char *agent_id, const char *target,
                                          int64_t now_ms, hl_error **err);
/* The disposition of the call, kept with it and its ticket. */
HL_API hl_status hl_engine_wrap_up_code(hl_engine *engine, const char *call_id, const char *code,
                                        int64_t now_ms, hl_error **err);
/* `mode`: "monitor", "whisper", "barge" or "take_over". `leg` (may be NULL)
 * names the leg the supervisor already called in on; without it the engine
 * dials the supervisor the first time. */
HL_API hl_status hl_engine_supervise(hl_engine *engine, const char *call_id,
                                     const char *supervisor, const char *mode, const char *leg,
                                     int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_force_release(hl_engine *engine, const char *call_id,
                                         const char *supervisor, int64_t now_ms, hl_error **err);
/* `reason` may be NULL. */
HL_API hl_status hl_engine_force_not_ready(hl_engine *engine, const char *agent_id,
                                           const char *supervisor, const char *reason,
                                           int64_t now_ms, hl_error **err);
HL_API hl_status hl_engine_force_logout(hl_engine *engine, const char *agent_id,
                                        const char *supervisor, int64_t now_ms, hl_error **err);
/* `action`: "start", "stop", "pause" or "resume". */
HL_API hl_status hl_engine_recording_control(hl_engine *engine, const char *call_id,
                                             const char *action, int64_t now_ms,
                                             hl_error **err);

/* Time. The next deadline is INT64_MAX when there is none. hl_engine_advance
 * fires every deadline up to `now_ms`, each at its own time; INT64_MAX fires
 * all that are pending. */
HL_API hl_status hl_engine_next_deadline(const hl_engine *engine, int64_t *out);
HL_API hl_status hl_engine_advance(hl_engine *engine, int64_t now_ms, hl_error **err);

/* The oldest pending command or notification as JSON text, owned by the
 * caller (free with hl_free). HL_ENOTFOUND, with *json_out NULL, when none
 * is pending. */
HL_API hl_status hl_engine_poll_command(hl_engine *engine, char **json_out);
HL_API hl_status hl_engine_poll_notification(hl_engine *engine, char **json_out);
/* The oldest pending command, typed (hotline/command.h): one allocation
 * with its strings, owned by the caller (hl_free). The same queue as
 * hl_engine_poll_command. HL_ENOTFOUND, with *out NULL, when none is pending. */
HL_API hl_status hl_engine_poll_command_typed(hl_engine *engine, hl_command **out);

/* The screen pop of a live call as JSON text, owned by the caller (free with
 * hl_free): the object a ring_agent command carries in its args
 * (docs/call-control.md, "Screen pop"), with the customer's open tickets
 * when a store is attached. For hosts whose telephony vtable's ring_agent
 * slot has no room for it; callable from inside a callback. HL_ENOTFOUND,
 * with *json_out NULL, for a call the engine does not hold. */
HL_API hl_status hl_engine_call_context(hl_engine *engine, const char *call_id,
                                        char **json_out, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_ENGINE_H */
