/* The engine writes the IVR's tickets into the host's own storage
 * (hl_engine_use_host_storage): a flow's ticket node opens a ticket, the
 * record lands in the host's key/value table (written off the loop
 * thread), and the flow reads the ticket's number back. The engine owns the
 * table from then on: it is closed and destroyed once, when replaced or
 * when the engine goes; a refused table is never touched. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"ticket\", \"nodes\": {"
    "   \"ticket\": {\"type\": \"ticket\","
    "                \"fields\": {\"subject\": \"Callback for ${call.caller}\"},"
    "                \"variable\": \"ticket\", \"next\": \"say\", \"error\": \"sorry\"},"
    "   \"say\": {\"type\": \"play\", \"prompts\": [\"tts:Your ticket is ${vars.ticket}\"],"
    "             \"next\": \"bye\"},"
    "   \"sorry\": {\"type\": \"hangup\", \"prompts\": [\"tts:No ticket today\"]},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

/* ---- the host's storage: a key/value table of JSON records ---- */

#define MAX_RECORDS 64

typedef struct kv_table {
  char kind[MAX_RECORDS][16];
  int64_t id[MAX_RECORDS];
  char *json[MAX_RECORDS];
  int count;
  int in_transaction;
  int puts_on_main_thread; /* the loop runs on the main thread here */
  pthread_t main_thread;
  int closed;
  int destroyed;
  int closed_before_destroy;
  int slow;                  /* begin takes a while: a write in progress */
  int in_transaction_at_close;
} kv_table;

static void sleep_ms(long ms) {
  struct timespec pause;
  pause.tv_sec = ms / 1000;
  pause.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&pause, NULL);
}

static int kv_begin(void *user) {
  kv_table *t = user;
  t->in_transaction = 1;
  if (t->slow) sleep_ms(300);
  return HL_OK;
}

static int kv_commit(void *user) {
  ((kv_table *)user)->in_transaction = 0;
  return HL_OK;
}

static void kv_rollback(void *user) { ((kv_table *)user)->in_transaction = 0; }

static int kv_put(void *user, const char *kind, int64_t id, const char *json) {
  kv_table *t = user;
  int i;
  if (pthread_equal(pthread_self(), t->main_thread)) ++t->puts_on_main_thread;
  for (i = 0; i < t->count; ++i) {
    if (t->id[i] == id && strcmp(t->kind[i], kind) == 0) break;
  }
  if (i == t->count) {
    if (t->count == MAX_RECORDS) return HL_EFULL;
    ++t->count;
    strncpy(t->kind[i], kind, sizeof t->kind[i] - 1);
    t->kind[i][sizeof t->kind[i] - 1] = '\0';
    t->id[i] = id;
    t->json[i] = NULL;
  }
  free(t->json[i]);
  t->json[i] = malloc(strlen(json) + 1);
  if (!t->json[i]) return HL_ENOMEM;
  strcpy(t->json[i], json);
  return HL_OK;
}

static int kv_get(void *user, const char *kind, int64_t id, hl_storage_visit found, void *ctx) {
  kv_table *t = user;
  int i;
  for (i = 0; i < t->count; ++i) {
    if (t->id[i] == id && strcmp(t->kind[i], kind) == 0) found(ctx, id, t->json[i]);
  }
  return HL_OK;
}

static int kv_scan(void *user, const char *kind, hl_storage_visit visit, void *ctx) {
  kv_table *t = user;
  int i;
  for (i = 0; i < t->count; ++i) {
    if (strcmp(t->kind[i], kind) == 0 && visit(ctx, t->id[i], t->json[i]) != 0) break;
  }
  return HL_OK;
}

static void kv_close(void *user) {
  kv_table *t = user;
  ++t->closed;
  t->in_transaction_at_close = t->in_transaction;
}

static void kv_destroy(void *user) {
  kv_table *t = user;
  ++t->destroyed;
  t->closed_before_destroy = t->closed;
}

static hl_storage storage_of(kv_table *t) {
  hl_storage s = HL_STORAGE_INIT;
  s.user = t;
  s.begin = kv_begin;
  s.commit = kv_commit;
  s.rollback = kv_rollback;
  s.put = kv_put;
  s.get = kv_get;
  s.scan = kv_scan;
  s.close = kv_close;
  s.destroy = kv_destroy;
  return s;
}

static const char *record_of_kind(const kv_table *t, const char *kind) {
  int i;
  for (i = 0; i < t->count; ++i) {
    if (strcmp(t->kind[i], kind) == 0) return t->json[i];
  }
  return NULL;
}

static void free_table(kv_table *t) {
  int i;
  for (i = 0; i < t->count; ++i) free(t->json[i]);
  t->count = 0;
}

/* ---- the switch ---- */

typedef struct line {
  hl_engine *engine;
  char said[512];    /* the prompts played, in order */
  int host_requests; /* tickets must not come this way */
  int host_errors;
} line;

static int on_answer(void *user, const char *call_id) {
  (void)user;
  (void)call_id;
  return HL_OK;
}

static int on_play(void *user, const char *call_id, const char *prompts, int barge_in, int loop) {
  line *l = user;
  (void)barge_in;
  (void)loop;
  strncat(l->said, prompts, sizeof l->said - strlen(l->said) - 1);
  CHECK(hl_engine_prompt_done(l->engine, call_id, hl_engine_now(), NULL) == HL_OK);
  return HL_OK;
}

static int on_hangup(void *user, const char *call_id) {
  (void)call_id;
  CHECK(hl_engine_stop(((line *)user)->engine) == HL_OK); /* the call is over */
  return HL_OK;
}

static int on_host_request(void *user, uint64_t request_id, const char *kind,
                           const char *function, const char *args_json) {
  (void)request_id;
  (void)kind;
  (void)function;
  (void)args_json;
  ++((line *)user)->host_requests;
  return HL_EUSER;
}

static void on_notification(void *user, const char *json) {
  if (strstr(json, "\"kind\":\"host_error\"")) ++((line *)user)->host_errors;
}

static void the_ivr_ticket_lands_in_the_host_storage(void) {
  static kv_table table; /* large: not on the stack */
  line l;
  hl_telephony t = HL_TELEPHONY_INIT;
  hl_storage s;
  hl_error *err = NULL;
  const char *ticket, *number;
  char ticket_number[32] = "";
  memset(&l, 0, sizeof l);
  table.main_thread = pthread_self();
  s = storage_of(&table);
  t.user = &l;
  t.answer = on_answer;
  t.play = on_play;
  t.hangup = on_hangup;
  t.host_request = on_host_request;

  CHECK(hl_engine_create(&l.engine, kConfig, hl_engine_now(), &err) == HL_OK);
  CHECK(hl_engine_set_telephony(l.engine, &t, NULL) == HL_OK);
  CHECK(hl_engine_set_listener(l.engine, on_notification, &l) == HL_OK);
  CHECK(hl_engine_use_host_storage(l.engine, &s, "{\"number_prefix\": \"HX\"}", &err) == HL_OK);
  CHECK(err == NULL);
  CHECK(hl_engine_post(l.engine,
                       "{\"event\": \"call_arrived\", \"call_id\": \"c1\","
                       " \"caller\": \"+4930123456\", \"flow_id\": \"front\"}",
                       NULL) == HL_OK);
  CHECK(hl_engine_run(l.engine, &err) == HL_OK); /* until the call hangs up */

  ticket = record_of_kind(&table, "ticket");
  CHECK(contains(ticket, "Callback for +4930123456"));
  number = ticket ? strstr(ticket, "\"number\":\"") : NULL;
  CHECK(number != NULL);
  if (number) {
    sscanf(number + strlen("\"number\":\""), "%31[^\"]", ticket_number);
  }
  CHECK(strncmp(ticket_number, "HX", 2) == 0); /* the configuration reached the store */
  /* The flow got the number the host stored, and said it. */
  CHECK(ticket_number[0] != '\0' && contains(l.said, ticket_number));
  CHECK(!contains(l.said, "No ticket today"));
  CHECK(l.host_requests == 0);
  CHECK(l.host_errors == 0);
  CHECK(table.in_transaction == 0);
  CHECK(table.puts_on_main_thread == 0); /* written off the loop thread */
  CHECK(table.closed == 0);
  CHECK(table.destroyed == 0);

  hl_engine_destroy(l.engine);
  CHECK(table.closed == 1);
  CHECK(table.destroyed == 1);
  CHECK(table.closed_before_destroy == 1);
  free_table(&table);
}

static void a_replaced_host_storage_is_closed_and_destroyed_once(void) {
  static kv_table first, second;
  hl_storage s;
  hl_engine *e = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  s = storage_of(&first);
  CHECK(hl_engine_use_host_storage(e, &s, NULL, NULL) == HL_OK);
  s = storage_of(&second);
  CHECK(hl_engine_use_host_storage(e, &s, NULL, NULL) == HL_OK);
  CHECK(first.closed == 1);
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 0);
  CHECK(hl_engine_use_store(e, "{\"backend\": \"memory\"}", NULL) == HL_OK);
  CHECK(second.closed == 1);
  CHECK(second.destroyed == 1);
  hl_engine_destroy(e);
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 1);
}

static void refused_host_storage_is_never_touched(void) {
  static kv_table kept, refused;
  hl_storage s;
  hl_engine *e = NULL;
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  s = storage_of(&kept);
  CHECK(hl_engine_use_host_storage(e, &s, NULL, NULL) == HL_OK);

  s = storage_of(&refused);
  s.version = HL_STORAGE_VERSION + 1;
  CHECK(hl_engine_use_host_storage(e, &s, NULL, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "storage version 3 is not supported"));
  hl_error_free(err);
  s = storage_of(&refused);
  s.put = NULL;
  CHECK(hl_engine_use_host_storage(e, &s, NULL, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "put"));
  hl_error_free(err);
  s = storage_of(&refused);
  CHECK(hl_engine_use_host_storage(e, &s, "{\"backend\": \"sqlite\"}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.backend"));
  hl_error_free(err);
  /* The host's table has no file to hold: SQLite's locking is not for it, */
  CHECK(hl_engine_use_host_storage(e, &s, "{\"locking\": \"exclusive\"}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.locking: not for a host's storage"));
  hl_error_free(err);
  /* Nor the file's other settings. */
  CHECK(hl_engine_use_host_storage(e, &s, "{\"synchronous\": \"full\"}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.synchronous: not for a host's storage"));
  hl_error_free(err);
  CHECK(hl_engine_use_host_storage(e, &s, "{\"busy_timeout_ms\": 10}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.busy_timeout_ms: not for a host's storage"));
  hl_error_free(err);
  CHECK(hl_engine_use_host_storage(e, &s, "{\"categories\": 3}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.categories"));
  hl_error_free(err);
  CHECK(hl_engine_use_host_storage(e, &s, "{\"categories\": [", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "config_json"));
  hl_error_free(err);
  CHECK(hl_engine_use_host_storage(e, NULL, NULL, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "storage is NULL"));
  hl_error_free(err);
  /* Refusals leave the engine's store as it was. */
  CHECK(kept.closed == 0);
  CHECK(kept.destroyed == 0);
  hl_engine_destroy(e);
  CHECK(hl_engine_use_host_storage(e, &s, NULL, &err) == HL_EINVAL); /* a destroyed engine */
  CHECK(contains(hl_error_message(err), "destroyed"));
  hl_error_free(err);
  CHECK(kept.destroyed == 1);
  CHECK(refused.closed == 0);
  CHECK(refused.destroyed == 0);
}

/* ---- the store replaced while a ticket is being written into it ---- */

typedef struct busy_line {
  line base;         /* must stay first: the callbacks above take a line */
  hl_storage next;   /* installed when the second call is answered */
  int hangups;
  int second_post; /* the second caller's post, checked after the join */
} busy_line;

static int answer_and_replace_store(void *user, const char *call_id) {
  busy_line *b = user;
  if (strcmp(call_id, "c2") == 0) {
    CHECK(hl_engine_use_host_storage(b->base.engine, &b->next, NULL, NULL) == HL_OK);
  }
  return HL_OK;
}

static int hang_up_and_stop_after_two(void *user, const char *call_id) {
  busy_line *b = user;
  (void)call_id;
  if (++b->hangups == 2) CHECK(hl_engine_stop(b->base.engine) == HL_OK);
  return HL_OK;
}

static void *second_caller(void *arg) {
  busy_line *b = arg;
  sleep_ms(100); /* while the first call's ticket is being written */
  /* No CHECK here: its counters belong to the main thread. */
  b->second_post = hl_engine_post(b->base.engine,
                                  "{\"event\": \"call_arrived\", \"call_id\": \"c2\","
                                  " \"caller\": \"+4940777\", \"flow_id\": \"front\"}",
                                  NULL);
  return NULL;
}

static void a_store_replaced_during_a_write_is_released_after_it(void) {
  static kv_table first, second;
  busy_line b;
  hl_telephony t = HL_TELEPHONY_INIT;
  hl_storage s;
  pthread_t thread;
  memset(&b, 0, sizeof b);
  first.main_thread = second.main_thread = pthread_self();
  first.slow = 1;
  b.next = storage_of(&second);
  t.user = &b;
  t.answer = answer_and_replace_store;
  t.play = on_play;
  t.hangup = hang_up_and_stop_after_two;
  t.host_request = on_host_request;
  s = storage_of(&first);
  CHECK(hl_engine_create(&b.base.engine, kConfig, hl_engine_now(), NULL) == HL_OK);
  CHECK(hl_engine_set_telephony(b.base.engine, &t, NULL) == HL_OK);
  CHECK(hl_engine_set_listener(b.base.engine, on_notification, &b.base) == HL_OK);
  CHECK(hl_engine_use_host_storage(b.base.engine, &s, NULL, NULL) == HL_OK);
  CHECK(hl_engine_post(b.base.engine,
                       "{\"event\": \"call_arrived\", \"call_id\": \"c1\","
                       " \"caller\": \"+4930123456\", \"flow_id\": \"front\"}",
                       NULL) == HL_OK);
  CHECK(pthread_create(&thread, NULL, second_caller, &b) == 0);
  CHECK(hl_engine_run(b.base.engine, NULL) == HL_OK);
  pthread_join(thread, NULL);
  CHECK(b.second_post == HL_OK);
  /* The write that was running finished in the store it started in, which
   * was closed and destroyed once, only after it; the next call's ticket
   * went to the new store. */
  CHECK(contains(record_of_kind(&first, "ticket"), "Callback for +4930123456"));
  CHECK(contains(record_of_kind(&second, "ticket"), "Callback for +4940777"));
  CHECK(first.closed == 1);
  CHECK(first.destroyed == 1);
  CHECK(first.in_transaction_at_close == 0);
  CHECK(b.base.host_errors == 0);
  CHECK(!contains(b.base.said, "No ticket today"));
  hl_engine_destroy(b.base.engine);
  CHECK(second.destroyed == 1);
  free_table(&first);
  free_table(&second);
}

int main(void) {
  the_ivr_ticket_lands_in_the_host_storage();
  a_store_replaced_during_a_write_is_released_after_it();
  a_replaced_host_storage_is_closed_and_destroyed_once();
  refused_host_storage_is_never_touched();
  return check_summary();
}
