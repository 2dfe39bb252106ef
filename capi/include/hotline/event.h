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
  HL_EVENT_PROMPT_DONE,       /* call_id */
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
  HL_EVENT_AGENT_NOT_READY    /* agent_id, reason */
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
} hl_event;

#define HL_EVENT_INIT \
  { sizeof(hl_event), (hl_event_kind)0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }

/* The event kind's name as in JSON ("digit"); static, NULL for an unknown kind. */
HL_API const char *hl_event_kind_name(hl_event_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_EVENT_H */
