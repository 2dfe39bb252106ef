/* The task channel through the C ABI: a contact with HL_CHANNEL_TASK joins
 * a queue configured with "channel": "task" and takes the agent's task
 * capacity ("capacity": {"task": N}), leaving voice capacity for a call. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"backlog\", \"channel\": \"task\"}, {\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"backlog\", \"sales\"],"
    "               \"capacity\": {\"voice\": 1, \"task\": 1}}]}";

/* Drains commands and counts ring_agent commands for `call`. */
static int rings_for(hl_engine *e, const char *call) {
  hl_command *c = NULL;
  int n = 0;
  while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
    if (c->kind == HL_COMMAND_RING_AGENT && strcmp(c->call_id, call) == 0) ++n;
    hl_free(c);
  }
  return n;
}

static void a_task_takes_task_capacity_and_not_voice(void) {
  hl_engine *e = NULL;
  hl_contact contact = HL_CONTACT_INIT;
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, &err) == HL_OK);
  hl_error_free(err);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  contact.channel = HL_CHANNEL_TASK;
  contact.queue_id = "backlog";
  contact.id = "task-1";
  CHECK(hl_engine_contact_arrived(e, &contact, 1000, NULL) == HL_OK);
  CHECK(rings_for(e, "task-1") == 1);
  /* Task capacity 1 is taken: a second task waits... */
  contact.id = "task-2";
  CHECK(hl_engine_contact_arrived(e, &contact, 2000, NULL) == HL_OK);
  CHECK(rings_for(e, "task-2") == 0);
  /* ...while a call still reaches her: the task took no voice capacity. */
  contact.channel = HL_CHANNEL_VOICE;
  contact.queue_id = "sales";
  contact.id = "call-1";
  CHECK(hl_engine_contact_arrived(e, &contact, 3000, NULL) == HL_OK);
  CHECK(rings_for(e, "call-1") == 1);
  hl_engine_destroy(e);
}

static void a_task_sent_to_a_voice_queue_is_not_rung_as_a_call(void) {
  hl_engine *e = NULL;
  hl_contact contact = HL_CONTACT_INIT;
  char *json = NULL;
  int refused = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  contact.channel = HL_CHANNEL_TASK;
  contact.queue_id = "sales";
  contact.id = "misfiled";
  (void)hl_engine_contact_arrived(e, &contact, 1000, NULL);
  CHECK(rings_for(e, "misfiled") == 0);
  while (hl_engine_poll_notification(e, &json) == HL_OK) {
    if (strstr(json, "contact_refused") && strstr(json, "misfiled")) ++refused;
    hl_free(json);
  }
  CHECK(refused == 1);
  hl_engine_destroy(e);
}

static void an_unknown_channel_value_is_refused(void) {
  hl_engine *e = NULL;
  hl_contact contact = HL_CONTACT_INIT;
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  contact.channel = (hl_channel)(HL_CHANNEL_TASK + 1);
  contact.queue_id = "backlog";
  contact.id = "x";
  CHECK(hl_engine_contact_arrived(e, &contact, 1000, &err) == HL_EINVAL);
  CHECK(err != NULL && strstr(hl_error_message(err), "_EMAIL or _TASK") != NULL);
  hl_error_free(err);
  hl_engine_destroy(e);
}

int main(void) {
  a_task_takes_task_capacity_and_not_voice();
  a_task_sent_to_a_voice_queue_is_not_rung_as_a_call();
  an_unknown_channel_value_is_refused();
  return check_summary();
}
