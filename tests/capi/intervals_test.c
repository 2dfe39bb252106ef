/* hl_engine_intervals: the interval history of a queue and an agent, each
 * contact counted in the interval it arrived in; calls that end in the IVR
 * counted as self-service; bad queries refused with the field's name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

#define MINUTE 60000

/* A check the rest of the test cannot go on without. */
#define REQUIRE(cond)              \
  do {                             \
    if (!(cond)) {                 \
      CHECK(cond);                 \
      exit(check_summary());       \
    }                              \
    ++checks;                      \
  } while (0)

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"info\", \"start\": \"bye\","
    " \"nodes\": {\"bye\": {\"type\": \"hangup\"}}}]}";

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

/* A copy of the row (a JSON object without nesting) of `list`, a JSON
 * array of rows, that starts at `start_ms`; NULL when there is none. Valid
 * until the next call. */
static const char *row_at(const char *list, int64_t start_ms) {
  static char row[2048];
  char key[64];
  const char *end = list ? strchr(list, ']') : NULL;
  const char *at, *open, *close;
  sprintf(key, "\"start_ms\":%lld,", (long long)start_ms);
  at = list ? strstr(list, key) : NULL;
  if (!at || at > end) {
    sprintf(key, "\"start_ms\":%lld}", (long long)start_ms);
    at = list ? strstr(list, key) : NULL;
  }
  if (!at || at > end) return NULL;
  for (open = at; open > list && *open != '{'; --open) {
  }
  close = strchr(at, '}');
  if (!close || (size_t)(close - open + 1) >= sizeof row) return NULL;
  memcpy(row, open, (size_t)(close - open + 1));
  row[close - open + 1] = '\0';
  return row;
}

/* A day: the call c1 arrives at 00:29 and is answered at 00:31; c2 goes
 * through the "info" flow and ends there at 00:40. */
static hl_engine *a_morning(void) {
  hl_engine *e = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  uint64_t reservation;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  call.call_id = "c1";
  call.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &call, 29 * MINUTE, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 31 * MINUTE, NULL) == HL_OK);
  reservation = ring_reservation(e);
  CHECK(reservation != 0);
  CHECK(hl_engine_agent_answered(e, reservation, 31 * MINUTE, NULL) == HL_OK);
  call.call_id = "c2";
  call.queue_id = NULL;
  call.flow_id = "info";
  CHECK(hl_engine_call_arrived(e, &call, 40 * MINUTE, NULL) == HL_OK);
  (void)hl_engine_call_hung_up(e, "c2", 40 * MINUTE, NULL);
  (void)ring_reservation(e);
  return e;
}

static void an_answer_counts_in_the_interval_its_call_arrived_in(void) {
  hl_engine *e = a_morning();
  hl_interval_query q = HL_INTERVAL_QUERY_INIT;
  char *json = NULL;
  const char *sales, *row;
  q.from_ms = 0;
  q.to_ms = 60 * MINUTE;
  q.interval_minutes = 15;
  CHECK(hl_engine_intervals(e, &q, &json, NULL) == HL_OK);
  REQUIRE(json != NULL);
  CHECK(number_after(json, "\"interval_minutes\":") == 15);
  sales = strstr(json, "\"sales\":[");
  REQUIRE(sales != NULL);
  row = row_at(sales, 15 * MINUTE); /* 00:15 to 00:30: c1 arrived */
  REQUIRE(row != NULL);
  CHECK(number_after(row, "\"offered\":") == 1);
  CHECK(number_after(row, "\"answered\":") == 1);
  CHECK(number_after(row, "\"asa_ms\":") == 2 * MINUTE);
  row = row_at(sales, 30 * MINUTE); /* 00:30 to 00:45: nothing arrived */
  REQUIRE(row != NULL);
  CHECK(number_after(row, "\"answered\":") == 0);
  CHECK(strstr(row, "\"service_level\":null") != NULL);
  CHECK(row_at(sales, 45 * MINUTE) != NULL);
  CHECK(row_at(sales, 60 * MINUTE) == NULL); /* to_ms is exclusive */
  hl_free(json);
  hl_engine_destroy(e);
}

static void a_call_that_ends_in_the_ivr_is_self_served(void) {
  hl_engine *e = a_morning();
  hl_interval_query q = HL_INTERVAL_QUERY_INIT;
  char *json = NULL;
  const char *calls, *row;
  q.from_ms = 0;
  q.to_ms = 60 * MINUTE;
  q.interval_minutes = 30;
  q.include = HL_INTERVALS_QUEUES;
  CHECK(hl_engine_intervals(e, &q, &json, NULL) == HL_OK);
  REQUIRE(json != NULL);
  CHECK(strstr(json, "\"agents\"") == NULL);
  calls = strstr(json, "\"calls\":[");
  REQUIRE(calls != NULL);
  row = row_at(calls, 0);
  REQUIRE(row != NULL);
  CHECK(number_after(row, "\"calls\":") == 1);
  CHECK(number_after(row, "\"self_served\":") == 0);
  row = row_at(calls, 30 * MINUTE);
  REQUIRE(row != NULL);
  CHECK(number_after(row, "\"calls\":") == 1);
  CHECK(number_after(row, "\"self_served\":") == 1);
  CHECK(strstr(row, "\"self_service_share\":1.0") != NULL);
  hl_free(json);
  hl_engine_destroy(e);
}

static void one_agent_in_thirty_minute_intervals(void) {
  hl_engine *e = a_morning();
  hl_interval_query q = HL_INTERVAL_QUERY_INIT;
  char *json = NULL;
  const char *ann, *row;
  q.from_ms = 0;
  q.to_ms = 60 * MINUTE;
  q.agent_id = "ann";
  q.include = HL_INTERVALS_AGENTS;
  CHECK(hl_engine_intervals(e, &q, &json, NULL) == HL_OK);
  REQUIRE(json != NULL);
  CHECK(strstr(json, "\"queues\"") == NULL);
  ann = strstr(json, "\"ann\":[");
  REQUIRE(ann != NULL);
  row = row_at(ann, 30 * MINUTE);
  REQUIRE(row != NULL);
  CHECK(number_after(row, "\"answered\":") == 1);
  CHECK(number_after(row, "\"logged_in_ms\":") > 0);
  row = row_at(ann, 0);
  REQUIRE(row != NULL);
  CHECK(strstr(row, "\"occupancy\":null") != NULL); /* not logged in yet */
  hl_free(json);
  hl_engine_destroy(e);
}

static void bad_queries_are_refused_with_the_field(void) {
  hl_engine *e = a_morning();
  hl_interval_query q = HL_INTERVAL_QUERY_INIT;
  hl_error *err = NULL;
  char *json = NULL;
  q.to_ms = 60 * MINUTE;
  q.interval_minutes = 20;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
  CHECK(json == NULL);
  CHECK(err && strstr(hl_error_message(err), "interval_minutes") != NULL);
  hl_error_free(err);
  err = NULL;
  q.interval_minutes = 30;
  q.from_ms = 60 * MINUTE;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
  CHECK(err && strstr(hl_error_message(err), "to_ms") != NULL);
  hl_error_free(err);
  err = NULL;
  q.from_ms = 0;
  q.queue_id = "nobody";
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_ENOTFOUND);
  CHECK(err && strstr(hl_error_message(err), "queue_id") != NULL);
  hl_error_free(err);
  err = NULL;
  q.queue_id = NULL;
  q.include = 0;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
  CHECK(err && strstr(hl_error_message(err), "include") != NULL);
  hl_error_free(err);
  q.include = HL_INTERVALS_QUEUES;
  q.size = 4; /* an older, smaller struct than the library knows */
  CHECK(hl_engine_intervals(e, &q, &json, NULL) == HL_EINVAL);
  CHECK(hl_engine_intervals(e, NULL, &json, NULL) == HL_EINVAL);
  hl_engine_destroy(e);
}

/* HL_TIME_ENGINE is INT64_MIN: as from_ms it once overflowed the span check and
 * the interval arithmetic (out of memory with agents only). */
static void times_before_the_epoch_are_refused_without_overflow(void) {
  hl_engine *e = a_morning();
  hl_interval_query q = HL_INTERVAL_QUERY_INIT;
  hl_error *err = NULL;
  char *json = NULL;
  const uint32_t includes[] = {HL_INTERVALS_AGENTS, HL_INTERVALS_QUEUES};
  size_t i;
  for (i = 0; i < sizeof includes / sizeof includes[0]; ++i) {
    q.include = includes[i];
    q.from_ms = HL_TIME_ENGINE;
    q.to_ms = HL_TIME_ENGINE;
    CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
    CHECK(json == NULL);
    CHECK(err && strcmp(hl_error_message(err),
                        "from_ms: must be >= 0 (HL_TIME_ENGINE is only for to_ms)") == 0);
    hl_error_free(err);
    err = NULL;
    q.to_ms = 60 * MINUTE;
    CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
    CHECK(err && strstr(hl_error_message(err), "from_ms") != NULL);
    hl_error_free(err);
    err = NULL;
  }
  q.include = HL_INTERVALS_QUEUES | HL_INTERVALS_AGENTS;
  q.from_ms = -1;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
  CHECK(err && strstr(hl_error_message(err), "from_ms") != NULL);
  hl_error_free(err);
  err = NULL;
  q.from_ms = 0;
  q.to_ms = -5;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
  CHECK(err && strstr(hl_error_message(err), "to_ms: must be >= 0") != NULL);
  hl_error_free(err);
  err = NULL;
  q.to_ms = INT64_MAX;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_EINVAL);
  CHECK(err && strstr(hl_error_message(err), "31 days") != NULL);
  hl_error_free(err);
  err = NULL;
  /* The last 30 minutes before INT64_MAX: one interval, nothing in it. */
  q.from_ms = INT64_MAX - 30 * MINUTE;
  CHECK(hl_engine_intervals(e, &q, &json, &err) == HL_OK);
  CHECK(err == NULL);
  CHECK(json != NULL);
  hl_free(json);
  hl_engine_destroy(e);
}

int main(void) {
  an_answer_counts_in_the_interval_its_call_arrived_in();
  a_call_that_ends_in_the_ivr_is_self_served();
  one_agent_in_thirty_minute_intervals();
  bad_queries_are_refused_with_the_field();
  times_before_the_epoch_are_refused_without_overflow();
  return check_summary();
}
