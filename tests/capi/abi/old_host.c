/* A host as it was written for release 0.1: compiled against the 0.1
 * headers (tests/capi/abi/v0_1/include), linked and run against this
 * library, unchanged. It takes a call through the IVR to an agent and
 * wrap-up with a version 1 telephony table and the 0.1 hl_call_info, keeps
 * tickets in a store, and keeps tickets and customers in its own storage
 * through a version 1 hl_storage. Under the ABI policy it must keep
 * working for as long as the soname stays; any failure here means the
 * library misreads a 0.1 host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline.h"

#if HL_TELEPHONY_VERSION != 1 || HL_STORAGE_VERSION != 1 || HL_VERSION_MINOR != 1
#error "old_host must be built against the 0.1 headers"
#endif

static int failures = 0;

#define EXPECT(cond)                                                            \
  do {                                                                          \
    if (!(cond)) {                                                              \
      ++failures;                                                               \
      fprintf(stderr, "%s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                           \
  } while (0)

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"wrap_up_seconds\": 5}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:Press 1 for sales\"],"
    "              \"options\": {\"1\": \"q\"}, \"fail\": \"bye\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\", \"hold\": [\"moh.wav\"]},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

/* ---- the switch, as a 0.1 host implemented it ---- */

typedef struct pbx {
  char log[512]; /* the commands, in order */
  char prompts[256];
  uint64_t reservation;
  char rung_agent[16];
} pbx;

static void note(pbx *p, const char *what) {
  strncat(p->log, what, sizeof p->log - strlen(p->log) - 2);
  strncat(p->log, " ", sizeof p->log - strlen(p->log) - 1);
}

static int on_answer(void *user, const char *call_id) {
  (void)call_id;
  note(user, "answer");
  return HL_OK;
}

static int on_play(void *user, const char *call_id, const char *prompts, int barge_in, int loop) {
  pbx *p = user;
  (void)call_id;
  (void)barge_in;
  note(p, loop ? "hold" : "play");
  if (!loop) strncat(p->prompts, prompts, sizeof p->prompts - strlen(p->prompts) - 1);
  return HL_OK;
}

static int on_stop_playback(void *user, const char *call_id) {
  (void)call_id;
  note(user, "stop");
  return HL_OK;
}

static int on_collect(void *user, const char *call_id, int min, int max, char terminator) {
  (void)call_id;
  (void)min;
  (void)max;
  (void)terminator;
  note(user, "collect");
  return HL_OK;
}

static int on_ring(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  pbx *p = user;
  (void)call_id;
  note(p, "ring");
  p->reservation = reservation;
  strncpy(p->rung_agent, agent, sizeof p->rung_agent - 1);
  return HL_OK;
}

static int on_bridge(void *user, const char *call_id, const char *agent) {
  (void)call_id;
  (void)agent;
  note(user, "bridge");
  return HL_OK;
}

static int on_hangup(void *user, const char *call_id) {
  (void)call_id;
  note(user, "hangup");
  return HL_OK;
}

static int contains(const char *haystack, const char *needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

static int wrap_up_ended(hl_engine *e) {
  char *json = NULL;
  int seen = 0;
  while (hl_engine_poll_notification(e, &json) == HL_OK) {
    if (contains(json, "\"event\":\"wrap_up_ended\"")) seen = 1;
    hl_free(json);
  }
  return seen;
}

static void a_call_through_the_ivr_to_an_agent(void) {
  static pbx p;
  hl_telephony t;
  hl_call_info call = HL_CALL_INFO_INIT;
  hl_engine *e = NULL;
  hl_error *err = NULL;
  int64_t now = 1000000, deadline = 0;

  memset(&t, 0, sizeof t); /* the 0.1 way: a version 1 table, sized as 0.1 knew it */
  t.version = HL_TELEPHONY_VERSION;
  t.user = &p;
  t.answer = on_answer;
  t.play = on_play;
  t.stop_playback = on_stop_playback;
  t.collect_digits = on_collect;
  t.ring_agent = on_ring;
  t.bridge = on_bridge;
  t.hangup = on_hangup;

  EXPECT(hl_engine_create(&e, kConfig, now, &err) == HL_OK);
  EXPECT(hl_engine_set_telephony(e, &t, &err) == HL_OK);
  if (err) fprintf(stderr, "set_telephony: %s\n", hl_error_message(err));
  EXPECT(hl_engine_agent_login(e, "ann", now, NULL) == HL_OK);

  call.call_id = "old-1";
  call.caller = "+4930123456";
  call.flow_id = "front";
  call.customer_json = "{\"tier\": \"gold\"}";
  EXPECT(hl_engine_call_arrived(e, &call, now, &err) == HL_OK);
  if (err) fprintf(stderr, "call_arrived: %s\n", hl_error_message(err));
  EXPECT(contains(p.prompts, "Press 1 for sales"));
  now += 2000;
  EXPECT(hl_engine_prompt_done(e, "old-1", now, NULL) == HL_OK);
  EXPECT(hl_engine_digit(e, "old-1", '1', now, NULL) == HL_OK);
  EXPECT(strcmp(p.rung_agent, "ann") == 0);
  EXPECT(p.reservation != 0);
  now += 3000;
  EXPECT(hl_engine_agent_answered(e, p.reservation, now, NULL) == HL_OK);
  now += 60000;
  EXPECT(hl_engine_agent_hung_up(e, "old-1", now, NULL) == HL_OK);
  EXPECT(hl_engine_next_deadline(e, &deadline) == HL_OK);
  EXPECT(deadline == now + 5000);
  EXPECT(hl_engine_advance(e, deadline, NULL) == HL_OK);
  EXPECT(wrap_up_ended(e));
  EXPECT(contains(p.log, "answer play collect"));
  EXPECT(contains(p.log, "ring"));
  EXPECT(contains(p.log, "bridge"));
  EXPECT(contains(p.log, "hangup"));
  hl_error_free(err);
  hl_engine_destroy(e);
}

static void tickets_in_a_store(void) {
  hl_store *store = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  const hl_actor agent = {"ann", HL_ROLE_AGENT};
  EXPECT(hl_store_open(&store, "{\"backend\": \"memory\"}", &err) == HL_OK);
  EXPECT(hl_ticket_create(store, &agent, "{\"subject\": \"Invoice twice\"}", &out, &err) ==
         HL_OK);
  EXPECT(contains(out, "Invoice twice"));
  hl_free(out);
  EXPECT(hl_ticket_search(store, "invoice", 5, &out, &err) == HL_OK);
  EXPECT(contains(out, "Invoice twice"));
  hl_free(out);
  hl_store_close(store);
}

/* ---- the host's own storage, through the 0.1 hl_storage ---- */

#define MAX_RECORDS 64

typedef struct rows {
  char kind[MAX_RECORDS][16];
  int64_t id[MAX_RECORDS];
  char *json[MAX_RECORDS];
  int count;
  int closed;
} rows;

static int db_ok(void *user) {
  (void)user;
  return HL_OK;
}

static void db_rollback(void *user) { (void)user; }

static int db_put(void *user, const char *kind, int64_t id, const char *json) {
  rows *r = user;
  int i;
  for (i = 0; i < r->count; ++i) {
    if (r->id[i] == id && strcmp(r->kind[i], kind) == 0) break;
  }
  if (i == r->count) {
    if (r->count == MAX_RECORDS) return HL_EFULL;
    ++r->count;
    strncpy(r->kind[i], kind, sizeof r->kind[i] - 1);
    r->id[i] = id;
    r->json[i] = NULL;
  }
  free(r->json[i]);
  r->json[i] = malloc(strlen(json) + 1);
  if (!r->json[i]) return HL_ENOMEM;
  strcpy(r->json[i], json);
  return HL_OK;
}

static int db_get(void *user, const char *kind, int64_t id, hl_storage_visit found, void *ctx) {
  rows *r = user;
  int i;
  for (i = 0; i < r->count; ++i) {
    if (r->id[i] == id && strcmp(r->kind[i], kind) == 0) found(ctx, id, r->json[i]);
  }
  return HL_OK;
}

static int db_scan(void *user, const char *kind, hl_storage_visit visit, void *ctx) {
  rows *r = user;
  int i;
  for (i = 0; i < r->count; ++i) {
    if (strcmp(r->kind[i], kind) == 0 && visit(ctx, r->id[i], r->json[i]) != 0) break;
  }
  return HL_OK;
}

static void db_close(void *user) { ++((rows *)user)->closed; }

static void tickets_and_customers_in_the_host_storage(void) {
  static rows r;
  hl_storage storage;
  hl_store *store = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  const hl_actor agent = {"ann", HL_ROLE_AGENT};
  int i, tickets = 0;

  memset(&storage, 0, sizeof storage);
  storage.version = HL_STORAGE_VERSION;
  storage.user = &r;
  storage.begin = db_ok;
  storage.commit = db_ok;
  storage.rollback = db_rollback;
  storage.put = db_put;
  storage.get = db_get;
  storage.scan = db_scan;
  storage.close = db_close;
  EXPECT(hl_store_open_host(&store, &storage, "{\"default_region\": \"DE\"}", &err) == HL_OK);
  if (err) fprintf(stderr, "open_host: %s\n", hl_error_message(err));
  EXPECT(hl_customer_create(store, &agent, "{\"name\": \"Jana\", \"phones\": [\"030 1234567\"]}",
                            &out, &err) == HL_OK);
  hl_free(out);
  EXPECT(hl_customer_lookup_ani(store, &agent, "+49301234567", &out, &err) == HL_OK);
  EXPECT(contains(out, "Jana"));
  hl_free(out);
  EXPECT(hl_ticket_create(store, &agent, "{\"subject\": \"Printer jammed\", \"customer\": 1}",
                          &out, &err) == HL_OK);
  hl_free(out);
  for (i = 0; i < r.count; ++i) {
    if (strcmp(r.kind[i], "ticket") == 0 && contains(r.json[i], "Printer jammed")) ++tickets;
  }
  EXPECT(tickets == 1);
  hl_store_close(store);
  EXPECT(r.closed == 1);
  for (i = 0; i < r.count; ++i) free(r.json[i]);
  hl_error_free(err);
}

int main(void) {
  printf("0.1 host against libhotline %s\n", hl_version());
  a_call_through_the_ivr_to_an_agent();
  tickets_in_a_store();
  tickets_and_customers_in_the_host_storage();
  printf("%s\n", failures == 0 ? "ok" : "FAILED");
  return failures == 0 ? 0 : 1;
}
