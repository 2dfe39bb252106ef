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
 * what they cause is delivered once the callback returns.
 *
 * A NULL function leaves that command in the queue read by
 * hl_engine_poll_command. The vtable is copied; `user` is passed back
 * untouched.
 */
#ifndef HOTLINE_SYS_TELEPHONY_H
#define HOTLINE_SYS_TELEPHONY_H

#include "hotline/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HL_TELEPHONY_VERSION 1

typedef struct hl_telephony {
  int version; /* HL_TELEPHONY_VERSION */
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
} hl_telephony;

/* Installs (copies) the vtable; NULL removes it. HL_EINVAL for another version. */
HL_API hl_status hl_engine_set_telephony(hl_engine *engine, const hl_telephony *telephony,
                                         hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SYS_TELEPHONY_H */
