/*
 * Hotline C ABI: events, the one vocabulary in which the host tells the
 * engine what happened. docs/events.md lists every kind and its fields.
 *
 * An hl_event is size-first (HL_EVENT_INIT) with a kind; each kind reads
 * only its own fields and ignores the rest. The same events exist as JSON
 * objects ({"event": "digit", "call_id": "c1", "digit": "5"}, for
 * hl_engine_post) and as one function per kind (hl_engine_digit, ...): all
 * three are read through one table in the library.
 */
#ifndef HOTLINE_EVENT_H
#define HOTLINE_EVENT_H

#include "hotline/common.h"
#include "hotline/contact.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Append only. */
typedef enum hl_event_kind {
  HL_EVENT_CALL_ARRIVED = 1,  /* contact (a voice call) */
  HL_EVENT_CONTACT_ARRIVED,   /* contact */
  HL_EVENT_DIGIT,             /* call_id, digit */
  HL_EVENT_PROMPT_DONE,       /* call_id, request_id (the play's; 0: not known) */
  HL_EVENT_RECORDING_DONE,    /* call_id, recording */
  HL_EVENT_HOST_RESULT,       /* request_id, ok, result_json */
  HL_EVENT_CALL_HUNG_UP,      /* call_id: the caller left */
  HL_EVENT_AGENT_ANSWERED,    /* reservation */
  HL_EVENT_AGENT_REJECTED,    /* reservation */
  HL_EVENT_AGENT_NO_ANSWER,   /* reservation */
  HL_EVENT_AGENT_HUNG_UP,     /* call_id: the conversation ended */
  HL_EVENT_TRANSFER,          /* call_id, queue_id */
  HL_EVENT_WRAP_UP_DONE,      /* call_id */
  HL_EVENT_AGENT_LOGIN,       /* agent_id */
  HL_EVENT_AGENT_LOGOUT,      /* agent_id */
  HL_EVENT_AGENT_READY,       /* agent_id */
  HL_EVENT_AGENT_NOT_READY,   /* agent_id, reason */
  /* Live call control (docs/call-control.md). A party is one of agent_id
   * or target (an outside number). */
  HL_EVENT_HOLD,               /* call_id */
  HL_EVENT_RESUME,             /* call_id */
  HL_EVENT_CONSULT,            /* call_id, agent_id, queue_id or target */
  HL_EVENT_LEG_ANSWERED,       /* call_id, leg: a dialled leg answered */
  HL_EVENT_LEG_ENDED,          /* call_id, leg: a dialled leg failed or hung up */
  HL_EVENT_TRANSFER_COMPLETE,  /* call_id: the caller goes to the consulted party */
  HL_EVENT_CONSULT_CANCEL,     /* call_id: back to the caller */
  HL_EVENT_CONFERENCE,         /* call_id: caller, agent and consulted party together */
  HL_EVENT_CONFERENCE_ADD,     /* call_id, agent_id or target */
  HL_EVENT_CONFERENCE_DROP,    /* call_id, leg */
  HL_EVENT_MUTE,               /* call_id, leg, muted */
  HL_EVENT_BLIND_TRANSFER,     /* call_id, agent_id or target */
  HL_EVENT_WRAP_UP_CODE,       /* call_id, code */
  HL_EVENT_SUPERVISE,          /* call_id, supervisor, mode */
  HL_EVENT_FORCE_RELEASE,      /* call_id, supervisor */
  HL_EVENT_FORCE_NOT_READY,    /* agent_id, supervisor, reason */
  HL_EVENT_FORCE_LOGOUT,       /* agent_id, supervisor */
  HL_EVENT_RECORDING_CONTROL   /* call_id, action */
} hl_event_kind;

typedef struct hl_event {
  uint32_t size; /* sizeof(hl_event) */
  hl_event_kind kind;
  const char *call_id;
  const char *agent_id;
  const char *queue_id; /* transfer: the queue the caller moves to */
  const char *reason;   /* agent_not_ready, or NULL */
  const char *recording;
  char digit; /* one DTMF key: 0-9, * or # */
  uint64_t reservation;
  uint64_t request_id;
  int ok;                      /* host_result: nonzero when the request succeeded */
  const char *result_json;     /* host_result: any JSON value, or NULL */
  const hl_contact *contact;   /* call_arrived, contact_arrived: its id is the call id */
  /* Since the live call control kinds (size says whether they are there). */
  const char *leg;
  const char *target;     /* an outside number or URI */
  const char *mode;       /* supervise: "monitor", "whisper", "barge" or "take_over" */
  const char *code;       /* wrap_up_code: the disposition */
  const char *action;     /* recording_control: "start", "stop", "pause" or "resume" */
  const char *supervisor; /* the supervisor acting */
  int muted;              /* mute: nonzero to mute, 0 to unmute */
} hl_event;

#define HL_EVENT_INIT                                                                     \
  {                                                                                        \
    sizeof(hl_event), (hl_event_kind)0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, \
        NULL, NULL, NULL, NULL, NULL, NULL, 0                                              \
  }

/* The event kind's name as in JSON ("digit"); static, NULL for an unknown kind. */
HL_API const char *hl_event_kind_name(hl_event_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_EVENT_H */
