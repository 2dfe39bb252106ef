/*
 * Hotline C ABI for hosts: the telephony interface.
 *
 * The host's switch (a PBX, a SIP stack, a test double) implements these
 * functions; the engine calls them, on the thread that drives it, whenever
 * it needs something done to a call or an agent's phone. Each returns
 * HL_OK when the switch took the request on, or an error (HL_EUSER, ...)
 * when it could not; the engine then takes the safe path and reports a
 * "host_error" notification: a failed ring counts as the agent rejecting
 * the offer, a failed host request as a failed result, and a call that can
 * no longer be played to, recorded or bridged is treated as hung up.
 *
 * Results come back as events: hl_engine_prompt_done, hl_engine_digit,
 * hl_engine_agent_answered, hl_engine_host_result, ... (or hl_engine_post
 * from other threads). Calling them from inside a callback is allowed;
 * what they cause is delivered once the callback returns. The one call a
 * callback may not make is hl_engine_destroy on its own engine (refused and
 * reported as a "host_error": the engine is still delivering).
 *
 * A NULL function leaves that command in the queue read by
 * hl_engine_poll_command. The vtable is copied; `user` is passed back
 * untouched.
 *
 * Versions. The table only grows at the end, and `version` says which
 * slots the host's table has: version 1 ends at host_request, version 2
 * adds destroy, version 3 the live call control slots (hold to
 * record_control), version 4 play_request. The library accepts every version from 1 to
 * HL_TELEPHONY_VERSION and reads only the slots of the version it is given,
 * so a host built against an older header keeps working unchanged; a slot
 * the host's version lacks is treated as NULL. Start from HL_TELEPHONY_INIT
 * so a rebuilt host gets the current version with every slot NULL.
 */
#ifndef HOTLINE_SYS_TELEPHONY_H
#define HOTLINE_SYS_TELEPHONY_H

#include "hotline/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The current version of hl_telephony: 4 (version 1 had no destroy,
 * version 2 no live call control, version 3 no play_request). */
#define HL_TELEPHONY_VERSION 4

typedef struct hl_telephony {
  int version; /* 1..HL_TELEPHONY_VERSION: the slots this table has */
  void *user;
  int (*answer)(void *user, const char *call_id);
  /* `prompts_json`: [{"audio": "uri"} or {"tts": "text"}, ...]. Report
   * hl_engine_prompt_done when they end (not for `loop`, music on hold). */
  int (*play)(void *user, const char *call_id, const char *prompts_json, int barge_in, int loop);
  int (*stop_playback)(void *user, const char *call_id);
  /* Start DTMF detection; each key comes back through hl_engine_digit. */
  int (*collect_digits)(void *user, const char *call_id, int min_digits, int max_digits,
                        char terminator);
  int (*record)(void *user, const char *call_id, int64_t max_ms, char finish_key);
  int (*transfer)(void *user, const char *call_id, const char *target);
  int (*hangup)(void *user, const char *call_id);
  /* Offer the call to an agent's phone; answer with hl_engine_agent_answered
   * (or _rejected, _no_answer) and the same reservation. */
  int (*ring_agent)(void *user, const char *call_id, const char *agent_id, uint64_t reservation);
  int (*stop_ringing)(void *user, const char *call_id, const char *agent_id, uint64_t reservation);
  int (*bridge)(void *user, const char *call_id, const char *agent_id);
  /* The host's own functions: `kind` is "lookup", "create_ticket" or
   * "register_callback"; answer with hl_engine_host_result(request_id). */
  int (*host_request)(void *user, uint64_t request_id, const char *kind, const char *function,
                      const char *args_json);
  /* Version 2. Optional: called once with `user` when the engine drops this
   * table (replaced, removed, or the engine destroyed); no slot of it is
   * called after that. Installing a table hands `user` over even when the
   * new table carries the same `user` as the one it replaces. */
  void (*destroy)(void *user);
  /* Version 3: live call control (docs/call-control.md). A leg is the
   * caller's (named by call_id), an agent's (the agent id) or a dialled
   * number's ("<call_id>:<n>"). */
  /* Take the caller out of the conversation and loop `prompts_json` to them. */
  int (*hold)(void *user, const char *call_id, const char *prompts_json);
  /* Put the caller back into the conversation as the last mix says. */
  int (*resume)(void *user, const char *call_id);
  /* Add `leg` to the call: ring agent `agent_id`'s phone (target NULL) or call
   * `target` (agent_id NULL); report hl_engine_leg_answered or _leg_ended. */
  int (*dial)(void *user, const char *call_id, const char *leg, const char *agent_id,
              const char *target);
  int (*hangup_leg)(void *user, const char *call_id, const char *leg);
  /* `mix_json`: {"legs": {"<leg>": ["<leg it hears>", ...], ...}}, every leg
   * of the call; it replaces the call's previous mix (a bridge is the mix of
   * two legs that hear each other). */
  int (*mix)(void *user, const char *call_id, const char *mix_json);
  /* `action`: "start", "stop", "pause" or "resume". */
  int (*record_control)(void *user, const char *call_id, const char *action);
  /* Version 4. `play` with the play's request id: report it back with
   * hl_engine_prompt_done's `request_id` (the play command's, so the engine
   * tells an agent-number announcement's end from an earlier prompt's). When
   * set, the engine calls it instead of `play`; when NULL, `play`. */
  int (*play_request)(void *user, uint64_t request_id, const char *call_id,
                      const char *prompts_json, int barge_in, int loop);
} hl_telephony;

#define HL_TELEPHONY_INIT                                                                  \
  {HL_TELEPHONY_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/* Installs (copies) the table; NULL removes it. The table the engine held
 * before is dropped (its destroy called). A version below 1 or above
 * HL_TELEPHONY_VERSION is refused with HL_EINVAL and nothing changes; on
 * any failure the engine did not take the table and never calls its
 * destroy.
 *
 * May be called from inside one of the engine's callbacks, like every
 * engine call but hl_engine_destroy; the dropped table's destroy then waits
 * until its callback is off the stack: it runs at the next
 * hl_engine_set_telephony made outside a callback, or when the engine is
 * destroyed. */
HL_API hl_status hl_engine_set_telephony(hl_engine *engine, const hl_telephony *telephony,
                                         hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SYS_TELEPHONY_H */
