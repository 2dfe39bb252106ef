/*
 * Hotline C ABI: commands, what the engine asks the host to do.
 *
 * Commands reach the host through the telephony vtable, or wait in a queue
 * it polls: as JSON text (hl_engine_poll_command) or as a typed hl_command
 * (hl_engine_poll_command_typed). docs/events.md lists every kind and field.
 */
#ifndef HOTLINE_COMMAND_H
#define HOTLINE_COMMAND_H

#include "hotline/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Append only. */
typedef enum hl_command_kind {
  HL_COMMAND_ANSWER = 1,
  HL_COMMAND_PLAY,            /* prompts_json, barge_in, loop, request_id; report prompt_done */
  HL_COMMAND_STOP_PLAYBACK,
  HL_COMMAND_COLLECT_DIGITS,  /* min_digits, max_digits, terminator */
  HL_COMMAND_RECORD,          /* max_ms, finish_key; report recording_done */
  HL_COMMAND_TRANSFER,        /* target: a number or URI */
  HL_COMMAND_HANGUP,
  HL_COMMAND_RING_AGENT,      /* agent_id, queue_id, reservation (target: a callback's number) */
  HL_COMMAND_STOP_RINGING,    /* agent_id, reservation */
  HL_COMMAND_BRIDGE,          /* agent_id (target: a callback's number) */
  HL_COMMAND_LOOKUP,          /* request_id, function, args_json; report host_result */
  HL_COMMAND_CREATE_TICKET,   /* request_id, args_json; report host_result */
  HL_COMMAND_REGISTER_CALLBACK, /* target, queue_id */
  /* Live call control (docs/call-control.md). Legs: the caller's is named by
   * call_id, an agent's by the agent id, a dialled number's by "<call_id>:<n>". */
  HL_COMMAND_HOLD,           /* prompts_json: music for the caller, looped */
  HL_COMMAND_RESUME,         /* the caller rejoins; the last mix stands */
  HL_COMMAND_DIAL,           /* leg, agent_id or target; report leg_answered / leg_ended */
  HL_COMMAND_HANGUP_LEG,     /* leg */
  HL_COMMAND_MIX,            /* mix_json: {"legs": {"<leg>": ["<leg it hears>", ...]}} */
  HL_COMMAND_RECORD_CONTROL  /* action: "start", "stop", "pause" or "resume" */
} hl_command_kind;

/* A command handed out by the library: one allocation with its strings,
 * freed with hl_free(). Strings are never NULL ("" when unset). */
typedef struct hl_command {
  uint32_t size; /* sizeof(hl_command) as the library knows it */
  hl_command_kind kind;
  int64_t time;
  const char *call_id;
  const char *agent_id;
  const char *queue_id;
  uint64_t reservation;
  uint64_t request_id;
  const char *prompts_json; /* play: [{"tts": "..."} | {"audio": "..."}, ...] */
  int barge_in;
  int loop; /* play: repeat until stopped (music on hold) */
  int min_digits;
  int max_digits;
  char terminator; /* 0 when none */
  char finish_key; /* 0 when none */
  int64_t max_ms;
  const char *target;
  const char *function;
  const char *args_json; /* a JSON object, "{}" when none */
  /* Since the live call control kinds (size says whether they are there). */
  const char *leg;      /* dial, hangup_leg */
  const char *mix_json; /* mix; "{}" when none */
  const char *action;   /* record_control */
} hl_command;

/* The command kind's name as in JSON ("ring_agent"); static, NULL when unknown. */
HL_API const char *hl_command_kind_name(hl_command_kind kind);

/* The command as the JSON object hl_engine_poll_command hands out, owned by
 * the caller (hl_free). */
HL_API hl_status hl_command_to_json(const hl_command *command, char **json_out, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_COMMAND_H */
