/* A whole call through a fake switch written in C: the engine runs its own
 * libuv loop, the call arrives from another thread, the switch's telephony
 * vtable answers every command, the IVR opens a ticket in a SQLite store off
 * the loop thread, and wrap-up ends on the engine's own timer. Then the
 * error paths: a callback that fails with HL_EUSER, callbacks that misbehave. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *config =
    "{\"queues\": [{\"id\": \"sales\", \"wrap_up_seconds\": 1}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:Press 1 for sales\"],"
    "              \"options\": {\"1\": \"ticket\"}, \"fail\": \"bye\"},"
    "   \"ticket\": {\"type\": \"ticket\", \"fields\": {\"subject\": \"Sales enquiry from ${call.caller}\"},"
    "              \"variable\": \"ticket\", \"next\": \"q\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\", \"hold\": [\"moh.wav\"]},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

/* The fake switch's state. */
typedef struct fake_switch {
  hl_engine *engine;
  char log[4096];       /* commands in order, space-separated */
  int fail_rings;       /* ring_agent returns HL_EUSER this many times */
  int host_errors;      /* "host_error" notifications seen */
  int wrap_ups_ended;
  int host_requests;
  int misbehave;        /* callbacks also call hl_engine_destroy on the engine */
} fake_switch;

static void logc(fake_switch *s, const char *what) {
  strncat(s->log, what, sizeof s->log - strlen(s->log) - 2);
  strncat(s->log, " ", sizeof s->log - strlen(s->log) - 1);
}

static void post(fake_switch *s, const char *json) {
  hl_error *err = NULL;
  if (hl_engine_post(s->engine, json, &err) != HL_OK) {
    fprintf(stderr, "post failed: %s\n", hl_error_message(err));
    hl_error_free(err);
  }
}

static int on_answer(void *user, const char *call_id) {
  (void)call_id;
  logc(user, "answer");
  return HL_OK;
}

static int on_play(void *user, const char *call_id, const char *prompts, int barge_in, int loop) {
  fake_switch *s = user;
  (void)prompts;
  (void)barge_in;
  logc(s, loop ? "hold" : "play");
  if (s->misbehave) hl_engine_destroy(s->engine); /* refused: inside a callback */
  if (!loop) {
    /* The prompt "ends" at once: an engine call from inside the callback. */
    CHECK(hl_engine_prompt_done(s->engine, call_id, hl_engine_now(), NULL) == HL_OK);
  }
  return HL_OK;
}

static int on_stop(void *user, const char *call_id) {
  (void)call_id;
  logc(user, "stop");
  return HL_OK;
}

static int on_collect(void *user, const char *call_id, int min, int max, char terminator) {
  fake_switch *s = user;
  char event[128];
  (void)min;
  (void)max;
  (void)terminator;
  logc(s, "collect");
  snprintf(event, sizeof event, "{\"event\": \"digit\", \"call_id\": \"%s\", \"digit\": \"1\"}",
           call_id);
  post(s, event);
  return HL_OK;
}

static int on_ring(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  fake_switch *s = user;
  char event[128];
  (void)call_id;
  (void)agent;
  logc(s, "ring");
  if (s->fail_rings > 0) {
    --s->fail_rings;
    return HL_EUSER;
  }
  snprintf(event, sizeof event, "{\"event\": \"agent_answered\", \"reservation\": %llu}",
           (unsigned long long)reservation);
  post(s, event);
  return HL_OK;
}

static int on_stop_ringing(void *user, const char *call_id, const char *agent, uint64_t r) {
  (void)call_id;
  (void)agent;
  (void)r;
  logc(user, "stop_ringing");
  return HL_OK;
}

static int on_bridge(void *user, const char *call_id, const char *agent) {
  fake_switch *s = user;
  char event[128];
  (void)agent;
  logc(s, "bridge");
  /* The conversation ends at once; wrap-up then runs on the engine's timer. */
  snprintf(event, sizeof event, "{\"event\": \"agent_hung_up\", \"call_id\": \"%s\"}", call_id);
  post(s, event);
  return HL_OK;
}

static int on_hangup(void *user, const char *call_id) {
  (void)call_id;
  logc(user, "hangup");
  return HL_OK;
}

static int on_host_request(void *user, uint64_t request_id, const char *kind,
                           const char *function, const char *args_json) {
  fake_switch *s = user;
  (void)request_id;
  (void)function;
  (void)args_json;
  if (strcmp(kind, "create_ticket") == 0) ++s->host_requests;
  return HL_EUSER; /* this switch keeps no tickets */
}

static void on_notification(void *user, const char *json) {
  fake_switch *s = user;
  if (getenv("HOTLINE_TEST_VERBOSE")) printf("%s\n", json);
  if (strstr(json, "\"kind\":\"host_error\"")) ++s->host_errors;
  if (strstr(json, "\"event\":\"wrap_up_ended\"")) {
    ++s->wrap_ups_ended;
    hl_engine_stop(s->engine);
  }
}

static void *caller_thread(void *arg) {
  fake_switch *s = arg;
  post(s, "{\"event\": \"agent_login\", \"agent_id\": \"ann\"}");
  post(s, "{\"event\": \"call_arrived\", \"call_id\": \"c1\", \"caller\": \"+4930123456\","
          " \"flow_id\": \"front\"}");
  return NULL;
}

static hl_telephony fake_telephony(fake_switch *s) {
  hl_telephony t;
  memset(&t, 0, sizeof t);
  t.version = HL_TELEPHONY_VERSION;
  t.user = s;
  t.answer = on_answer;
  t.play = on_play;
  t.stop_playback = on_stop;
  t.collect_digits = on_collect;
  t.ring_agent = on_ring;
  t.stop_ringing = on_stop_ringing;
  t.bridge = on_bridge;
  t.hangup = on_hangup;
  return t;
}

/* The whole call on the engine's own loop; returns once wrap-up has ended. */
static void whole_call(const char *store_config) {
  fake_switch s;
  hl_error *err = NULL;
  hl_telephony t;
  pthread_t thread;
  char *stats = NULL;
  memset(&s, 0, sizeof s);
  t = fake_telephony(&s);
  CHECK(hl_engine_create(&s.engine, config, hl_engine_now(), &err) == HL_OK);
  CHECK(hl_engine_set_telephony(s.engine, &t, &err) == HL_OK);
  CHECK(hl_engine_set_listener(s.engine, on_notification, &s) == HL_OK);
  CHECK(hl_engine_use_store(s.engine, store_config, &err) == HL_OK);
  CHECK(hl_engine_stop(s.engine) == HL_ESTATE); /* no loop yet */
  /* The caller's events come from another thread, before the loop even runs. */
  CHECK(pthread_create(&thread, NULL, caller_thread, &s) == 0);
  pthread_join(thread, NULL);
  CHECK(hl_engine_run(s.engine, &err) == HL_OK); /* until wrap-up ends */
  if (getenv("HOTLINE_TEST_VERBOSE")) printf("log: %s\n", s.log);
  CHECK(contains(s.log, "answer play collect hold ring bridge hangup"));
  CHECK(s.wrap_ups_ended == 1);
  CHECK(s.host_errors == 0);
  CHECK(hl_engine_stats(s.engine, hl_engine_now(), &stats, &err) == HL_OK);
  CHECK(contains(stats, "\"offered\":1"));
  CHECK(contains(stats, "\"answered\":1"));
  CHECK(contains(stats, "\"state\":\"available\""));
  hl_free(stats);
  hl_engine_destroy(s.engine);
}

/* The agent's phone fails once (HL_EUSER): the offer counts as rejected, a
 * host_error is reported, and the call still reaches the agent. The play
 * callback also tries to destroy the engine from inside: refused. */
static void failing_switch(void) {
  fake_switch s;
  hl_error *err = NULL;
  hl_telephony t;
  memset(&s, 0, sizeof s);
  s.fail_rings = 1;
  s.misbehave = 1;
  t = fake_telephony(&s);
  t.host_request = on_host_request;
  CHECK(hl_engine_create(&s.engine, config, hl_engine_now(), &err) == HL_OK);
  CHECK(hl_engine_set_telephony(s.engine, &t, &err) == HL_OK);
  CHECK(hl_engine_set_listener(s.engine, on_notification, &s) == HL_OK);
  caller_thread(&s);
  CHECK(hl_engine_run(s.engine, &err) == HL_OK);
  CHECK(contains(s.log, "ring ring"));
  CHECK(s.host_errors >= 2); /* the failed ring and the refused destroy */
  CHECK(s.wrap_ups_ended == 1);
  /* Without a store, the ticket request went to host_request, which failed:
   * the flow took its error path on to the queue at once. */
  CHECK(s.host_requests == 1);
  CHECK(s.host_errors >= 3);
  hl_engine_destroy(s.engine);
}

static void error_paths(void) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  hl_telephony t;
  memset(&t, 0, sizeof t);
  t.version = 99;
  CHECK(hl_engine_create(&e, config, 0, &err) == HL_OK);
  CHECK(hl_engine_set_telephony(e, &t, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "version 99"));
  hl_error_free(err);
  CHECK(hl_engine_post(e, "not json", &err) == HL_EINVAL);
  hl_error_free(err);
  CHECK(hl_engine_post(e, "{\"call_id\": \"x\"}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.event"));
  hl_error_free(err);
  CHECK(hl_engine_use_store(e, "{\"backend\": \"sqlite\"}", &err) == HL_EINVAL);
  hl_error_free(err);
  CHECK(hl_engine_stats(e, 0, NULL, NULL) == HL_EINVAL);
  hl_engine_destroy(e);
  /* A destroyed handle is refused everywhere. */
  CHECK(hl_engine_post(e, "{\"event\": \"prompt_done\"}", NULL) == HL_EINVAL);
  CHECK(hl_engine_run(e, NULL) == HL_EINVAL);
  CHECK(hl_engine_set_listener(e, on_notification, NULL) == HL_EINVAL);
  CHECK(hl_engine_stop(NULL) == HL_EINVAL);
}

int main(void) {
  char dir[] = "/tmp/hotline-runtime-XXXXXX";
  char store[256], db[128], side[160];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(db, sizeof db, "%s/tickets.db", dir);
  snprintf(store, sizeof store, "{\"backend\": \"sqlite\", \"path\": \"%s\"}", db);
  whole_call(store);
  {
    /* The ticket is in the file, as any other reader sees it. */
    hl_store *st = NULL;
    char *out = NULL;
    CHECK(hl_store_open(&st, store, NULL) == HL_OK);
    CHECK(hl_ticket_search(st, "enquiry", 10, &out, NULL) == HL_OK);
    CHECK(contains(out, "Sales enquiry from +4930123456"));
    hl_free(out);
    hl_store_close(st);
  }
  {
    /* The same call over a store that holds the file alone: the caller's
     * lookup on the loop and the ticket written on the pool share its one
     * connection, in turn. */
    char exclusive[300];
    hl_store *st = NULL;
    char *out = NULL;
    snprintf(exclusive, sizeof exclusive,
             "{\"backend\": \"sqlite\", \"path\": \"%s\", \"locking\": \"exclusive\"}", db);
    whole_call(exclusive);
    CHECK(hl_store_open(&st, store, NULL) == HL_OK);
    CHECK(hl_ticket_search(st, "enquiry", 10, &out, NULL) == HL_OK);
    CHECK(count_of(out, "Sales enquiry from +4930123456") == 2);
    hl_free(out);
    hl_store_close(st);
  }
  failing_switch();
  error_paths();
  unlink(db);
  snprintf(side, sizeof side, "%s-wal", db);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", db);
  unlink(side);
  rmdir(dir);
  return check_summary();
}
