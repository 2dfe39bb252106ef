/* A whole call through the C ABI, and its error paths, from C99. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"wrap_up_seconds\": 10}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:Press 1 for sales\"],"
    "              \"options\": {\"1\": \"q\"}, \"fail\": \"bye\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\", \"hold\": [\"moh.wav\"]},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

/* Polls commands until one of `kind` arrives; returns it (caller frees) or NULL. */
static char *next_command(hl_engine *e, const char *kind) {
  char *json = NULL;
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"kind\":\"%s\"", kind);
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    if (strstr(json, pattern)) return json;
    hl_free(json);
  }
  return NULL;
}

static uint64_t number_after(const char *json, const char *key) {
  const char *at = strstr(json, key);
  return at ? strtoull(at + strlen(key), NULL, 10) : 0;
}

static void whole_call(void) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  int64_t now = 1000000;
  CHECK(hl_engine_create(&e, kConfig, now, &err) == HL_OK);
  CHECK(err == NULL);
  CHECK(hl_engine_agent_login(e, "ann", now, NULL) == HL_OK);

  hl_call_info call = HL_CALL_INFO_INIT;
  call.call_id = "call-1";
  call.caller = "+15550100";
  call.flow_id = "front";
  call.customer_json = "{\"tier\": \"gold\"}";
  CHECK(hl_engine_call_arrived(e, &call, now, &err) == HL_OK);
  char *cmd = next_command(e, "answer");
  CHECK(cmd != NULL);
  hl_free(cmd);
  cmd = next_command(e, "play");
  CHECK(cmd != NULL && strstr(cmd, "Press 1 for sales") != NULL);
  hl_free(cmd);

  now += 3000;
  CHECK(hl_engine_prompt_done(e, "call-1", now, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, "call-1", '1', now, NULL) == HL_OK);
  cmd = next_command(e, "ring_agent");
  CHECK(cmd != NULL && strstr(cmd, "\"agent_id\":\"ann\"") != NULL);
  uint64_t reservation = cmd ? number_after(cmd, "\"reservation\":") : 0;
  hl_free(cmd);
  CHECK(reservation != 0);

  now += 2000;
  CHECK(hl_engine_agent_answered(e, reservation, now, NULL) == HL_OK);
  cmd = next_command(e, "bridge");
  CHECK(cmd != NULL);
  hl_free(cmd);
  now += 60000;
  CHECK(hl_engine_agent_hung_up(e, "call-1", now, NULL) == HL_OK);
  cmd = next_command(e, "hangup");
  CHECK(cmd != NULL);
  hl_free(cmd);

  /* Wrap-up ends on the queue's timer. */
  int64_t deadline = 0;
  CHECK(hl_engine_next_deadline(e, &deadline) == HL_OK);
  CHECK(deadline == now + 10000);
  CHECK(hl_engine_advance(e, deadline, NULL) == HL_OK);
  int saw_wrap_up_end = 0;
  char *note = NULL;
  while (hl_engine_poll_notification(e, &note) == HL_OK) {
    if (strstr(note, "\"event\":\"wrap_up_ended\"")) saw_wrap_up_end = 1;
    hl_free(note);
  }
  CHECK(saw_wrap_up_end);
  CHECK(note == NULL);
  CHECK(hl_engine_poll_command(e, &cmd) == HL_ENOTFOUND);
  hl_engine_destroy(e);
}

static void error_paths(void) {
  hl_engine *e = NULL;
  hl_error *err = NULL;

  /* Bad JSON: a clear message, no engine, nothing leaked. */
  CHECK(hl_engine_create(&e, "{\"queues\": [", 0, &err) == HL_EINVAL);
  CHECK(e == NULL);
  CHECK(err != NULL &&
        strncmp(hl_error_message(err), "config_json: not valid JSON: parse error at line 1, column 13",
                strlen("config_json: not valid JSON: parse error at line 1, column 13")) == 0);
  CHECK(hl_error_status(err) == HL_EINVAL);
  hl_error_free(err);

  /* A configuration error names its JSON path. */
  CHECK(hl_engine_create(&e, "{\"queues\": [{\"id\": \"q\", \"strategy\": \"fastest\"}]}", 0,
                         &err) == HL_EINVAL);
  CHECK(err != NULL && strstr(hl_error_message(err), "$.queues[0].strategy") != NULL);
  hl_error_free(err);

  /* NULL and stale handles are errors, not crashes. */
  CHECK(hl_engine_agent_login(NULL, "ann", 0, &err) == HL_EINVAL);
  hl_error_free(err);
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  hl_engine *stale = e;
  hl_engine_destroy(e);
  CHECK(hl_engine_digit(stale, "call-1", '1', 0, NULL) == HL_EINVAL);
  hl_engine_destroy(stale); /* a second destroy does nothing */
  hl_engine_destroy(NULL);

  /* Unknown ids and illegal transitions. */
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, "nope", '1', 0, &err) == HL_ENOTFOUND);
  CHECK(err != NULL && strcmp(hl_error_message(err), "unknown call 'nope'") == 0);
  hl_error_free(err);
  CHECK(hl_engine_agent_ready(e, "ann", 0, NULL) == HL_ESTATE);
  CHECK(hl_engine_agent_login(e, "nobody", 0, NULL) == HL_ENOTFOUND);
  CHECK(hl_engine_agent_answered(e, 12345, 0, NULL) == HL_ENOTFOUND);
  hl_call_info bad = HL_CALL_INFO_INIT;
  CHECK(hl_engine_call_arrived(e, &bad, 0, NULL) == HL_EINVAL); /* no call id */
  bad.call_id = "x";
  bad.flow_id = "front";
  bad.customer_json = "{oops";
  CHECK(hl_engine_call_arrived(e, &bad, 0, NULL) == HL_EINVAL);
  CHECK(hl_engine_digit(e, NULL, '1', 0, NULL) == HL_EINVAL);
  CHECK(hl_engine_poll_command(e, NULL) == HL_EINVAL);
  hl_engine_destroy(e);
}

/* Queues, agents and flows change while the engine runs; a transfer moves a
 * caller between queues. */
static void configuration_and_transfer(void) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  char *json = NULL;
  uint64_t reservation = 0;
  CHECK(hl_engine_create(&e, "{\"queues\": [{\"id\": \"sales\"}], \"agents\": []}", 0, &err) ==
        HL_OK);
  CHECK(hl_engine_set_queue(e, "{\"id\": \"billing\", \"wrap_up_seconds\": 5}", &err) == HL_OK);
  CHECK(hl_engine_set_queue(e, "{\"id\": \"billing\", \"strategy\": \"fastest\"}", &err) ==
        HL_EINVAL);
  CHECK(err != NULL && strstr(hl_error_message(err), "$.strategy") != NULL);
  hl_error_free(err);
  CHECK(hl_engine_set_agent(e, "{\"id\": \"sam\", \"queues\": [\"sales\"]}", 0, &err) == HL_OK);
  CHECK(hl_engine_set_agent(e, "{\"id\": \"bea\", \"queues\": [\"billing\"]}", 0, &err) == HL_OK);
  CHECK(hl_engine_load_flow(e, "{\"id\": \"f\", \"start\": \"nowhere\", \"nodes\": {}}", &err) ==
        HL_EINVAL);
  hl_error_free(err);
  CHECK(hl_engine_agent_login(e, "sam", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bea", 0, NULL) == HL_OK);
  call.call_id = "c1";
  call.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &call, 1000, NULL) == HL_OK);
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    if (strstr(json, "ring_agent")) reservation = number_after(json, "\"reservation\":");
    hl_free(json);
  }
  CHECK(hl_engine_agent_answered(e, reservation, 2000, NULL) == HL_OK);
  CHECK(hl_engine_transfer(e, "c1", "billing", 3000, NULL) == HL_OK);
  reservation = 0;
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    if (strstr(json, "ring_agent") && strstr(json, "\"bea\"")) reservation = number_after(json, "\"reservation\":");
    hl_free(json);
  }
  CHECK(reservation != 0); /* bea's phone rings for the transferred caller */
  CHECK(hl_engine_remove_agent(e, "sam", &err) == HL_ESTATE); /* still logged in */
  hl_error_free(err);
  CHECK(hl_engine_remove_queue(e, "nope", NULL) == HL_ENOTFOUND);
  hl_engine_destroy(e);
}

/* A configuration nested 100,000 deep once overflowed the stack in
   hl_engine_create; it is refused with where, as every other JSON input. */
static void deep_configuration(void) {
  const char* head = "{\"options\": {\"seed\": ";
  const size_t levels = 100000;
  char* text = malloc(strlen(head) + 2 * levels + 3);
  char* at = text;
  hl_engine* e = NULL;
  hl_error* err = NULL;
  CHECK(text != NULL);
  if (!text) return;
  memcpy(at, head, strlen(head));
  at += strlen(head);
  memset(at, '[', levels);
  at += levels;
  memset(at, ']', levels);
  at += levels;
  strcpy(at, "}}");
  CHECK(hl_engine_create(&e, text, 0, &err) == HL_EINVAL);
  CHECK(e == NULL);
  CHECK(err != NULL && strstr(hl_error_message(err), "$.options: nested deeper than 64 levels") != NULL);
  hl_error_free(err);
  free(text);
}

int main(void) {
  deep_configuration();
  whole_call();
  error_paths();
  configuration_and_transfer();
  return check_summary();
}
