/* hl_engine_post from several threads at once while the engine's own loop
 * runs: every event arrives, exactly once, and in each thread's order. Built
 * under ThreadSanitizer by scripts/test.sh, where a data race fails it. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

#define POSTERS 4
#define CALLS_PER_POSTER 500

static const char *config =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

typedef struct poster {
  hl_engine *engine;
  int index;
  int refused;
} poster;

typedef struct run_state {
  hl_engine *engine;
  int arrivals[POSTERS];     /* calls seen queued, per poster */
  int out_of_order;          /* a call seen before an earlier one of its poster */
  int stops;
  int threads_started;       /* written by the controller, read after it is joined */
  int posts_refused;
} run_state;

static void *post_calls(void *arg) {
  poster *p = arg;
  char event[160];
  int i;
  for (i = 0; i < CALLS_PER_POSTER; ++i) {
    snprintf(event, sizeof event,
             "{\"event\": \"call_arrived\", \"call_id\": \"p%d-%05d\", \"caller\": \"+49301\","
             " \"queue_id\": \"sales\"}",
             p->index, i);
    if (hl_engine_post(p->engine, event, NULL) != HL_OK) ++p->refused;
  }
  return NULL;
}

/* Starts the posters, waits for them, then posts the agent's login: events
 * run in the order they were posted, so once the login is seen every call
 * has been handled. (CHECK is not thread-safe: the main thread checks what
 * this one records, after joining it.) */
static void *controller(void *arg) {
  run_state *s = arg;
  pthread_t threads[POSTERS];
  poster posters[POSTERS];
  int i;
  for (i = 0; i < POSTERS; ++i) {
    posters[i].engine = s->engine;
    posters[i].index = i;
    posters[i].refused = 0;
    if (pthread_create(&threads[i], NULL, post_calls, &posters[i]) == 0) ++s->threads_started;
  }
  for (i = 0; i < s->threads_started; ++i) {
    pthread_join(threads[i], NULL);
    s->posts_refused += posters[i].refused;
  }
  if (hl_engine_post(s->engine, "{\"event\": \"agent_login\", \"agent_id\": \"ann\"}", NULL) !=
      HL_OK) {
    ++s->posts_refused;
  }
  return NULL;
}

static void on_notification(void *user, const char *json) {
  run_state *s = user;
  const char *call = strstr(json, "\"call_id\":\"p");
  if (call != NULL && strstr(json, "\"event\":\"contact_queued\"") != NULL) {
    int index = -1, number = -1;
    if (sscanf(call, "\"call_id\":\"p%d-%d", &index, &number) == 2 && index >= 0 &&
        index < POSTERS) {
      if (number != s->arrivals[index]) ++s->out_of_order;
      ++s->arrivals[index];
    }
  }
  if (strstr(json, "\"agent_id\":\"ann\"") != NULL && s->stops++ == 0) hl_engine_stop(s->engine);
}

int main(void) {
  run_state s;
  pthread_t control;
  hl_error *err = NULL;
  char *stats = NULL;
  char expected[64];
  int i;
  memset(&s, 0, sizeof s);
  CHECK(hl_engine_create(&s.engine, config, hl_engine_now(), &err) == HL_OK);
  CHECK(hl_engine_set_listener(s.engine, on_notification, &s) == HL_OK);
  CHECK(pthread_create(&control, NULL, controller, &s) == 0);
  CHECK(hl_engine_run(s.engine, &err) == HL_OK); /* until the login is seen */
  pthread_join(control, NULL);
  CHECK(s.threads_started == POSTERS);
  CHECK(s.posts_refused == 0);
  for (i = 0; i < POSTERS; ++i) CHECK(s.arrivals[i] == CALLS_PER_POSTER);
  CHECK(s.out_of_order == 0);
  CHECK(hl_engine_stats(s.engine, hl_engine_now(), &stats, &err) == HL_OK);
  snprintf(expected, sizeof expected, "\"offered\":%d", POSTERS * CALLS_PER_POSTER);
  CHECK(stats != NULL && strstr(stats, expected) != NULL);
  if (stats != NULL && strstr(stats, expected) == NULL) printf("stats: %s\n", stats);
  hl_free(stats);
  hl_engine_destroy(s.engine);
  return check_summary();
}
