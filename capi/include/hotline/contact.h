/*
 * Hotline C ABI: a contact as the host describes it when it arrives.
 *
 * hl_contact is size-first: set `size` with HL_CONTACT_INIT and fill what you
 * know; the struct only grows at the end. Every string is copied and must be
 * UTF-8. The contact runs the IVR flow `flow_id`, or without one joins
 * `queue_id` directly.
 */
#ifndef HOTLINE_CONTACT_H
#define HOTLINE_CONTACT_H

#include "hotline/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The media of a contact: agents have a capacity per channel (one voice
 * call, several chats). A task is back-office work (a form, a case, a
 * follow-up) routed like a contact. New channels are appended. */
typedef enum hl_channel {
  HL_CHANNEL_VOICE = 0,
  HL_CHANNEL_CHAT = 1,
  HL_CHANNEL_EMAIL = 2,
  HL_CHANNEL_TASK = 3
} hl_channel;

/* A skill the contact needs, and the least level (0 to 1000) an agent must
 * have in it. */
typedef struct hl_skill_requirement {
  const char *skill;
  int level;
} hl_skill_requirement;

typedef struct hl_contact {
  uint32_t size;       /* sizeof(hl_contact) */
  const char *id;      /* required: the host's id of the call or session */
  hl_channel channel;  /* HL_CHANNEL_VOICE unless set */
  int priority;        /* -1000000 to 1000000; higher is served first */
  const hl_skill_requirement *skills; /* `skill_count` entries, or NULL */
  size_t skill_count;
  const char *attributes_json;  /* a JSON object: contact attributes for routing, or NULL */
  const char *preferred_agent;  /* offered to this agent alone first, or NULL */
  int64_t preferred_wait_ms;    /* how long the preferred agent has, then the queue */
  const char *customer_json;    /* a JSON object: the customer the host resolved, or NULL */
  const char *caller;           /* calling number (ANI), or NULL */
  const char *dialled;          /* called number (DNIS), or NULL */
  const char *flow_id;          /* the IVR flow to run, or NULL */
  const char *queue_id;         /* without a flow, the queue to join */
} hl_contact;

#define HL_CONTACT_INIT                                                                     \
  {                                                                                         \
    sizeof(hl_contact), NULL, HL_CHANNEL_VOICE, 0, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, \
        NULL, NULL                                                                          \
  }

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_CONTACT_H */
