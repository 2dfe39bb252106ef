/* INT64_MAX is the documented "no deadline": advancing to it returns at
 * once, fires what is pending each at its own time, and events stamped near
 * the end of time schedule their deadlines without overflowing (this suite
 * runs under UndefinedBehaviorSanitizer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"wrap_up_seconds\": 10, \"max_wait_seconds\": 60}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:Press 1\"],"
    "              \"options\": {\"1\": \"q\"}, \"fail\": \"bye\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\"},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

/* Drains the notifications, counting those that contain both needles. */
static int drain_notifications(hl_engine *e, const char *needle, const char *also) {
  char *json = NULL;
  int seen = 0;
  while (hl_engine_poll_notification(e, &json) == HL_OK) {
    if (strstr(json, needle) && strstr(json, also)) ++seen;
    hl_free(json);
  }
  return seen;
}

static uint64_t ring_reservation(hl_engine *e) {
  char *json = NULL;
  uint64_t reservation = 0;
  const char *at;
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    if (strstr(json, "ring_agent") && (at = strstr(json, "\"reservation\":"))) {
      reservation = strtoull(at + strlen("\"reservation\":"), NULL, 10);
    }
    hl_free(json);
  }
  return reservation;
}

static void advancing_to_int64_max_with_nothing_pending_returns(void) {
  hl_engine *e = NULL;
  int64_t deadline = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_next_deadline(e, &deadline) == HL_OK);
  CHECK(deadline == INT64_MAX);
  CHECK(hl_engine_advance(e, INT64_MAX, NULL) == HL_OK);
  CHECK(hl_engine_advance(e, INT64_MAX, NULL) == HL_OK);
  hl_engine_destroy(e);
}

static void advancing_to_int64_max_fires_what_is_pending(void) {
  hl_engine *e = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  uint64_t reservation;
  int64_t deadline = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  call.call_id = "c1";
  call.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &call, 1000, NULL) == HL_OK);
  reservation = ring_reservation(e);
  CHECK(reservation != 0);
  CHECK(hl_engine_agent_answered(e, reservation, 2000, NULL) == HL_OK);
  CHECK(hl_engine_agent_hung_up(e, "c1", 5000, NULL) == HL_OK);
  /* An IVR call waits in its menu with a timeout pending too. */
  call.call_id = "c2";
  call.queue_id = NULL;
  call.flow_id = "front";
  CHECK(hl_engine_call_arrived(e, &call, 5000, NULL) == HL_OK);
  (void)drain_notifications(e, "", "");
  CHECK(hl_engine_advance(e, INT64_MAX, NULL) == HL_OK);
  /* The wrap-up ended at its own time, 10 s after the hang-up. */
  CHECK(drain_notifications(e, "\"event\":\"wrap_up_ended\"", "\"time\":15000") == 1);
  CHECK(hl_engine_next_deadline(e, &deadline) == HL_OK);
  CHECK(deadline == INT64_MAX); /* nothing left pending */
  /* Statistics at the end of time would account every quarter hour since
   * the agent logged in: refused at once instead of never returning. */
  {
    char *stats = NULL;
    hl_error *err = NULL;
    CHECK(hl_engine_stats(e, HL_TIME_ENGINE, &stats, &err) == HL_EINVAL);
    CHECK(stats == NULL);
    CHECK(err != NULL && strncmp(hl_error_message(err), "now_ms:", 7) == 0);
    hl_error_free(err);
    CHECK(hl_engine_stats(e, 40000, &stats, NULL) == HL_OK);
    hl_free(stats);
  }
  hl_engine_destroy(e);
}

static void events_at_the_end_of_time_do_not_overflow(void) {
  hl_engine *e = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  const int64_t late = INT64_MAX - 5;
  int64_t deadline = 0;
  char *stats = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", late, NULL) == HL_OK);
  CHECK(hl_engine_agent_not_ready(e, "ann", "lunch", late, NULL) == HL_OK);
  /* Queue timers (max wait) and IVR timers (the menu's timeout) are due
   * past INT64_MAX: they are held at "never" rather than wrapping around. */
  call.call_id = "q1";
  call.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &call, late, NULL) == HL_OK);
  call.call_id = "m1";
  call.queue_id = NULL;
  call.flow_id = "front";
  CHECK(hl_engine_call_arrived(e, &call, late, NULL) == HL_OK);
  CHECK(hl_engine_next_deadline(e, &deadline) == HL_OK);
  CHECK(deadline >= late);
  CHECK(hl_engine_advance(e, INT64_MAX, NULL) == HL_OK);
  CHECK(hl_engine_stats(e, INT64_MAX, &stats, NULL) == HL_OK);
  hl_free(stats);
  hl_engine_destroy(e);
}

int main(void) {
  advancing_to_int64_max_with_nothing_pending_returns();
  advancing_to_int64_max_fires_what_is_pending();
  events_at_the_end_of_time_do_not_overflow();
  return check_summary();
}
