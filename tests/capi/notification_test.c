/* Every notification the reference promises is sent: IVR nodes entered and
 * left, a queue at its max length refusing a contact (with or without a
 * flow) as a refusal with its reason, counted in the statistics; and an
 * engine stepped by hand never sees the wall clock in its notifications or
 * statistics. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"max_length\": 1}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:Press 1\"],"
    "              \"options\": {\"1\": \"q\"}, \"fail\": \"bye\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\", \"no_agents\": \"sorry\"},"
    "   \"sorry\": {\"type\": \"play\", \"prompts\": [\"tts:Sorry\"], \"next\": \"bye\"},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

/* Drains the notifications into `log` (one per line); returns how many. */
static int drain(hl_engine *e, char *log, size_t size) {
  char *json = NULL;
  int n = 0;
  log[0] = '\0';
  while (hl_engine_poll_notification(e, &json) == HL_OK) {
    strncat(log, json, size - strlen(log) - 2);
    strncat(log, "\n", size - strlen(log) - 1);
    hl_free(json);
    ++n;
  }
  return n;
}

static void drain_commands(hl_engine *e) {
  char *json = NULL;
  while (hl_engine_poll_command(e, &json) == HL_OK) hl_free(json);
}

static void ivr_nodes_entered_and_left_are_notified(void) {
  hl_engine *e = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  static char log[8192];
  const char *entered_menu;
  const char *left_menu;
  const char *entered_q;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  call.call_id = "c1";
  call.flow_id = "front";
  CHECK(hl_engine_call_arrived(e, &call, 1000, NULL) == HL_OK);
  drain(e, log, sizeof log);
  CHECK(strstr(log, "\"call_id\":\"c1\",\"event\":\"entered\",\"kind\":\"ivr_node\","
                    "\"node\":\"menu\"") != NULL);
  CHECK(hl_engine_prompt_done(e, "c1", 2000, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, "c1", '1', 2500, NULL) == HL_OK);
  drain(e, log, sizeof log);
  left_menu = strstr(log, "\"event\":\"left\",\"kind\":\"ivr_node\",\"node\":\"menu\"");
  entered_q = strstr(log, "\"event\":\"entered\",\"kind\":\"ivr_node\",\"node\":\"q\"");
  entered_menu = strstr(log, "\"node\":\"menu\",\"time\":2500");
  CHECK(left_menu != NULL);
  CHECK(entered_q != NULL);
  CHECK(left_menu != NULL && entered_q != NULL && left_menu < entered_q);
  CHECK(entered_menu != NULL); /* stamped with the event's time */
  drain_commands(e);
  hl_engine_destroy(e);
}

static void a_full_queue_refuses_with_a_reason_and_counts_it(void) {
  hl_engine *e = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  static char log[8192];
  char *stats = NULL;
  char *json = NULL;
  int hangups = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  /* The agent is logged in but not ready: the first caller waits and fills
   * the queue (with nobody logged in a flow would not even try it). */
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_not_ready(e, "ann", "lunch", 0, NULL) == HL_OK);
  call.call_id = "first";
  call.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &call, 1000, NULL) == HL_OK);
  /* A call with no flow is refused and hung up. */
  call.call_id = "second";
  CHECK(hl_engine_call_arrived(e, &call, 2000, NULL) == HL_OK);
  drain(e, log, sizeof log);
  CHECK(strstr(log, "\"call_id\":\"second\",\"kind\":\"contact_refused\",\"queue_id\":\"sales\","
                    "\"reason\":\"queue 'sales' is full") != NULL);
  CHECK(strstr(log, "ivr_error") == NULL);
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    if (strstr(json, "\"call_id\":\"second\"") && strstr(json, "\"kind\":\"hangup\"")) ++hangups;
    hl_free(json);
  }
  CHECK(hangups == 1);
  /* A call in a flow is refused the same way and takes the no-agents exit. */
  call.call_id = "third";
  call.queue_id = NULL;
  call.flow_id = "front";
  CHECK(hl_engine_call_arrived(e, &call, 3000, NULL) == HL_OK);
  CHECK(hl_engine_prompt_done(e, "third", 3500, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, "third", '1', 4000, NULL) == HL_OK);
  drain(e, log, sizeof log);
  CHECK(strstr(log, "\"call_id\":\"third\",\"kind\":\"contact_refused\"") != NULL);
  CHECK(strstr(log, "\"node\":\"sorry\"") != NULL);
  CHECK(strstr(log, "ivr_error") == NULL);
  CHECK(hl_engine_stats(e, HL_TIME_ENGINE, &stats, NULL) == HL_OK);
  CHECK(stats != NULL && strstr(stats, "\"refused\":2") != NULL);
  CHECK(stats != NULL && strstr(stats, "\"time\":4000") != NULL); /* the engine's time */
  hl_free(stats);
  drain_commands(e);
  hl_engine_destroy(e);
}

static int refuse_answer(void *user, const char *call_id) {
  (void)user;
  (void)call_id;
  return HL_EUSER;
}

static void host_errors_of_a_hand_stepped_engine_carry_its_time(void) {
  hl_engine *e = NULL;
  hl_telephony t;
  hl_call_info call = HL_CALL_INFO_INIT;
  static char log[8192];
  memset(&t, 0, sizeof t);
  t.version = HL_TELEPHONY_VERSION;
  t.answer = refuse_answer;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  call.call_id = "c1";
  call.flow_id = "front";
  CHECK(hl_engine_call_arrived(e, &call, 7000, NULL) == HL_OK);
  drain(e, log, sizeof log);
  CHECK(strstr(log, "\"kind\":\"host_error\"") != NULL);
  CHECK(strstr(log, "\"time\":7000,\"what\":\"answer\"") != NULL);
  drain_commands(e);
  hl_engine_destroy(e);
}

int main(void) {
  ivr_nodes_entered_and_left_are_notified();
  a_full_queue_refuses_with_a_reason_and_counts_it();
  host_errors_of_a_hand_stepped_engine_carry_its_time();
  return check_summary();
}
