/* hl_engine_stats counts each queue's service level against that queue's
 * own threshold: its service_level_seconds, or the configuration's
 * options.service_level_seconds; never a fixed 20 s. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static uint64_t number_after(const char *json, const char *key) {
  const char *at = strstr(json, key);
  return at ? strtoull(at + strlen(key), NULL, 10) : 0;
}

/* The reservation of the first ring_agent waiting to be polled. */
static uint64_t ring_reservation(hl_engine *e) {
  char *cmd = NULL;
  uint64_t reservation = 0;
  while (reservation == 0 && hl_engine_poll_command(e, &cmd) == HL_OK) {
    if (strstr(cmd, "\"ring_agent\"")) reservation = number_after(cmd, "\"reservation\":");
    hl_free(cmd);
  }
  return reservation;
}

/* The "service_level" of queue `queue` in the stats at `now`, or -1. */
static double service_level(hl_engine *e, const char *queue, int64_t now) {
  char *stats = NULL;
  char key[64];
  double sl = -1;
  if (hl_engine_stats(e, now, &stats, NULL) != HL_OK) return -1;
  strcpy(key, "\"");
  strcat(key, queue);
  strcat(key, "\":{");
  {
    const char *q = strstr(stats, key);
    const char *at = q ? strstr(q, "\"service_level\":") : NULL;
    if (at) sl = strtod(at + strlen("\"service_level\":"), NULL);
  }
  hl_free(stats);
  return sl;
}

/* One call to `queue`, answered by `agent` `wait_ms` after it arrived. */
static void answered_after(hl_engine *e, const char *call_id, const char *queue,
                           const char *agent, int64_t wait_ms) {
  hl_call_info call = HL_CALL_INFO_INIT;
  uint64_t reservation;
  call.call_id = call_id;
  call.queue_id = queue;
  CHECK(hl_engine_call_arrived(e, &call, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, agent, wait_ms, NULL) == HL_OK);
  reservation = ring_reservation(e);
  CHECK(reservation != 0);
  CHECK(hl_engine_agent_answered(e, reservation, wait_ms, NULL) == HL_OK);
}

static void answered_after_ten_seconds(hl_engine *e, const char *call_id, const char *queue,
                                       const char *agent) {
  answered_after(e, call_id, queue, agent, 10000);
}

static void a_queue_of_five_seconds_does_not_count_an_answer_after_ten(void) {
  hl_engine *e = NULL;
  CHECK(hl_engine_create(&e,
                         "{\"queues\": [{\"id\": \"fast\", \"service_level_seconds\": 5},"
                         " {\"id\": \"plain\"}],"
                         " \"agents\": [{\"id\": \"ann\", \"queues\": [\"fast\"]},"
                         " {\"id\": \"bob\", \"queues\": [\"plain\"]}]}",
                         0, NULL) == HL_OK);
  answered_after_ten_seconds(e, "c1", "fast", "ann");
  answered_after_ten_seconds(e, "c2", "plain", "bob");
  CHECK(service_level(e, "fast", 11000) == 0.0);
  CHECK(service_level(e, "plain", 11000) == 1.0); /* 10 s within the default 20 s */
  hl_engine_destroy(e);
}

static void options_service_level_seconds_is_the_threshold_of_queues_without_one(void) {
  hl_engine *e = NULL;
  CHECK(hl_engine_create(&e,
                         "{\"options\": {\"service_level_seconds\": 5},"
                         " \"queues\": [{\"id\": \"q\"}],"
                         " \"agents\": [{\"id\": \"ann\", \"queues\": [\"q\"]}]}",
                         0, NULL) == HL_OK);
  answered_after_ten_seconds(e, "c1", "q", "ann");
  CHECK(service_level(e, "q", 11000) == 0.0);
  hl_engine_destroy(e);
}

static void an_answer_after_fifteen_seconds_is_within_thirty_and_not_within_ten(void) {
  hl_engine *e = NULL;
  char *stats = NULL;
  CHECK(hl_engine_create(&e,
                         "{\"queues\": [{\"id\": \"ten\", \"service_level_seconds\": 10},"
                         " {\"id\": \"thirty\", \"service_level_seconds\": 30}],"
                         " \"agents\": [{\"id\": \"ann\", \"queues\": [\"ten\"]},"
                         " {\"id\": \"bob\", \"queues\": [\"thirty\"]}]}",
                         0, NULL) == HL_OK);
  answered_after(e, "c1", "ten", "ann", 15000);
  answered_after(e, "c2", "thirty", "bob", 15000);
  CHECK(service_level(e, "ten", 16000) == 0.0);
  CHECK(service_level(e, "thirty", 16000) == 1.0);
  /* Both answers are counted, whichever threshold they met. */
  CHECK(hl_engine_stats(e, 16000, &stats, NULL) == HL_OK);
  CHECK(strstr(stats, "\"ten\":{") != NULL);
  CHECK(number_after(strstr(stats, "\"ten\":{"), "\"answered\":") == 1);
  CHECK(number_after(strstr(stats, "\"thirty\":{"), "\"answered\":") == 1);
  hl_free(stats);
  hl_engine_destroy(e);
}

int main(void) {
  an_answer_after_fifteen_seconds_is_within_thirty_and_not_within_ten();
  a_queue_of_five_seconds_does_not_count_an_answer_after_ten();
  options_service_level_seconds_is_the_threshold_of_queues_without_one();
  return check_summary();
}
