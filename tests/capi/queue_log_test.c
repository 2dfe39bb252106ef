/* hl_engine_set_queue_log: a scripted morning written as Asterisk's
 * queue_log agrees with hl_engine_stats; the file is appended to; a path
 * that cannot be opened is refused with the path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

#define LOG_PATH "hotline_capi_queue_log_test.log"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

static uint64_t number_after(const char *json, const char *key) {
  const char *at = json ? strstr(json, key) : NULL;
  return at ? strtoull(at + strlen(key), NULL, 10) : 0;
}

static uint64_t ring_reservation(hl_engine *e) {
  char *cmd = NULL;
  uint64_t reservation = 0;
  while (hl_engine_poll_command(e, &cmd) == HL_OK) {
    if (reservation == 0 && strstr(cmd, "\"ring_agent\"")) {
      reservation = number_after(cmd, "\"reservation\":");
    }
    hl_free(cmd);
  }
  return reservation;
}

/* Lines of the log whose fifth field is `event`, for queue `queue`. */
static int count_lines(const char *queue, const char *event) {
  FILE *f = fopen(LOG_PATH, "r");
  char line[512];
  char want[128];
  int n = 0;
  if (!f) return -1;
  sprintf(want, "|%s|", queue);
  while (fgets(line, sizeof line, f)) {
    /* epoch|call|queue|agent|EVENT|...: the queue is the third field. */
    const char *q = strchr(line, '|');
    const char *agent_end;
    q = q ? strchr(q + 1, '|') : NULL;
    if (!q || strncmp(q, want, strlen(want)) != 0) continue;
    agent_end = strchr(q + strlen(want), '|');
    if (agent_end && strncmp(agent_end + 1, event, strlen(event)) == 0 &&
        (agent_end[1 + strlen(event)] == '|' || agent_end[1 + strlen(event)] == '\n')) {
      ++n;
    }
  }
  fclose(f);
  return n;
}

static int all_lines(void) {
  FILE *f = fopen(LOG_PATH, "r");
  int c, n = 0;
  if (!f) return -1;
  while ((c = fgetc(f)) != EOF) n += c == '\n';
  fclose(f);
  return n;
}

/* c1 is answered after 5 s and talks a minute until the caller hangs up;
 * c2 hangs up after 30 s; c3 is answered at once and the agent hangs up. */
static void a_morning(hl_engine *e) {
  hl_call_info call = HL_CALL_INFO_INIT;
  uint64_t reservation;
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  (void)ring_reservation(e);
  call.call_id = "c1";
  call.caller = "+15550100";
  call.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &call, 1000, NULL) == HL_OK);
  reservation = ring_reservation(e);
  CHECK(reservation != 0);
  CHECK(hl_engine_agent_answered(e, reservation, 6000, NULL) == HL_OK);
  call.call_id = "c2";
  CHECK(hl_engine_call_arrived(e, &call, 10000, NULL) == HL_OK);
  CHECK(hl_engine_call_hung_up(e, "c2", 40000, NULL) == HL_OK);
  CHECK(hl_engine_call_hung_up(e, "c1", 66000, NULL) == HL_OK);
  (void)ring_reservation(e);
  call.call_id = "c3";
  CHECK(hl_engine_call_arrived(e, &call, 70000, NULL) == HL_OK);
  reservation = ring_reservation(e);
  CHECK(reservation != 0);
  CHECK(hl_engine_agent_answered(e, reservation, 71000, NULL) == HL_OK);
  CHECK(hl_engine_agent_hung_up(e, "c3", 90000, NULL) == HL_OK);
  (void)ring_reservation(e);
}

static void the_queue_log_agrees_with_the_statistics(void) {
  hl_engine *e = NULL;
  char *stats = NULL;
  const char *sales;
  remove(LOG_PATH);
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_set_queue_log(e, LOG_PATH, NULL) == HL_OK);
  a_morning(e);
  CHECK(hl_engine_stats(e, HL_TIME_ENGINE, &stats, NULL) == HL_OK);
  sales = stats ? strstr(stats, "\"sales\":{") : NULL;
  CHECK(sales != NULL);
  CHECK(count_lines("sales", "ENTERQUEUE") == (int)number_after(sales, "\"offered\":"));
  CHECK(count_lines("sales", "CONNECT") == (int)number_after(sales, "\"answered\":"));
  CHECK(count_lines("sales", "ABANDON") == (int)number_after(sales, "\"abandoned\":"));
  CHECK(count_lines("sales", "ENTERQUEUE") == 3);
  CHECK(count_lines("sales", "CONNECT") == 2);
  CHECK(count_lines("sales", "ABANDON") == 1);
  /* Who hung up tells the two completions apart. */
  CHECK(count_lines("sales", "COMPLETECALLER") == 1);
  CHECK(count_lines("sales", "COMPLETEAGENT") == 1);
  CHECK(count_lines("NONE", "AGENTLOGIN") == 1);
  hl_free(stats);
  /* Closing stops the writing. */
  CHECK(hl_engine_set_queue_log(e, NULL, NULL) == HL_OK);
  CHECK(hl_engine_agent_logout(e, "ann", 95000, NULL) == HL_OK);
  CHECK(count_lines("NONE", "AGENTLOGOFF") == 0);
  hl_engine_destroy(e);
}

static void a_second_engine_appends_to_the_file(void) {
  hl_engine *e = NULL;
  int before;
  before = all_lines();
  CHECK(before > 0);
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_set_queue_log(e, LOG_PATH, NULL) == HL_OK);
  a_morning(e);
  CHECK(all_lines() == 2 * before);
  CHECK(count_lines("sales", "ENTERQUEUE") == 6);
  hl_engine_destroy(e);
  remove(LOG_PATH);
}

static void a_path_that_cannot_be_opened_is_refused(void) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_set_queue_log(e, "/nonexistent-folder/queue_log", &err) == HL_EIO);
  CHECK(err && strstr(hl_error_message(err), "/nonexistent-folder/queue_log") != NULL);
  hl_error_free(err);
  CHECK(hl_engine_set_queue_log(NULL, LOG_PATH, NULL) == HL_EINVAL);
  hl_engine_destroy(e);
}

int main(void) {
  the_queue_log_agrees_with_the_statistics();
  a_second_engine_appends_to_the_file();
  a_path_that_cannot_be_opened_is_refused();
  return check_summary();
}
