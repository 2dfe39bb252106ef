/* The screen pop through the C ABI, on a SQLite file: the ring_agent command
 * carries it in args_json (typed) and args (JSON), with the customer the
 * store resolved, the IVR path, the digits and the customer's open tickets;
 * hl_engine_call_context gives the same object for a live call, also from
 * inside a vtable host's ring_agent callback, and HL_ENOTFOUND otherwise. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *kConfig =
    "{\"flows\": [{\"id\": \"pop\", \"start\": \"account\", \"nodes\": {"
    "   \"account\": {\"type\": \"collect\", \"min_digits\": 4, \"max_digits\": 4,"
    "                 \"variable\": \"account\", \"next\": \"queue\", \"fail\": \"queue\"},"
    "   \"queue\": {\"type\": \"queue\", \"queue\": \"sales\"}}}],"
    " \"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

static const char *kCaller = "+4930123456";

static const char *kExpectedStart =
    "{\"caller\":\"+4930123456\",\"customer\":{";
static const char *kExpectedFlow =
    "\"dialled\":\"95555\",\"digits\":{\"account\":\"4321\"},"
    "\"ivr_path\":[\"account\",\"queue\"],\"open_tickets\":[{";

/* A customer with kCaller's number and one open ticket, "card blocked". */
static void store_customer_with_a_ticket(const char *store_config) {
  const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
  hl_store *store = NULL;
  char *out = NULL;
  char ticket[256];
  long long id = 0;
  CHECK(hl_store_open(&store, store_config, NULL) == HL_OK);
  CHECK(hl_customer_create(store, &supervisor,
                           "{\"name\": \"Li Wei\", \"phones\": [\"+4930123456\"]}", &out,
                           NULL) == HL_OK);
  id = out ? json_int(out, "id") : 0;
  CHECK(id > 0);
  hl_free(out);
  out = NULL;
  snprintf(ticket, sizeof ticket, "{\"subject\": \"card blocked\", \"customer\": %lld}", id);
  CHECK(hl_ticket_create(store, &supervisor, ticket, &out, NULL) == HL_OK);
  hl_free(out);
  hl_store_close(store);
}

static hl_engine *engine_on_store(const char *store_config) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, &err) == HL_OK);
  CHECK(hl_engine_use_store(e, store_config, &err) == HL_OK);
  if (err) fprintf(stderr, "%s\n", hl_error_message(err));
  hl_error_free(err);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  return e;
}

/* A call from kCaller through the flow, its four digits entered. */
static void call_through_the_flow(hl_engine *e, const char *call_id) {
  hl_call_info call = HL_CALL_INFO_INIT;
  call.call_id = call_id;
  call.caller = kCaller;
  call.dialled = "95555";
  call.flow_id = "pop";
  CHECK(hl_engine_call_arrived(e, &call, 1000, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, call_id, '4', 1100, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, call_id, '3', 1100, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, call_id, '2', 1100, NULL) == HL_OK);
  CHECK(hl_engine_digit(e, call_id, '1', 1100, NULL) == HL_OK);
}

static int is_the_pop(const char *json) {
  return json && strncmp(json, kExpectedStart, strlen(kExpectedStart)) == 0 &&
         contains(json, "\"name\":\"Li Wei\"") && contains(json, kExpectedFlow) &&
         contains(json,
                  "\"priority\":\"normal\",\"status\":\"new\",\"subject\":\"card blocked\"") &&
         contains(json, "\"queue_id\":\"sales\"");
}

static void the_typed_ring_command_carries_the_pop_and_call_context_matches(const char *store) {
  hl_engine *e = engine_on_store(store);
  hl_command *c = NULL;
  char *context = NULL;
  hl_error *err = NULL;
  int rang = 0;
  call_through_the_flow(e, "c1");
  while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
    if (c->kind == HL_COMMAND_RING_AGENT) {
      rang = 1;
      CHECK(is_the_pop(c->args_json));
      CHECK(hl_engine_call_context(e, "c1", &context, &err) == HL_OK);
      CHECK(context != NULL && strcmp(context, c->args_json) == 0);
      hl_free(context);
    }
    hl_free(c);
  }
  CHECK(rang);
  context = (char *)"untouched";
  CHECK(hl_engine_call_context(e, "nobody", &context, &err) == HL_ENOTFOUND);
  CHECK(context == NULL);
  CHECK(err != NULL && contains(hl_error_message(err), "nobody"));
  hl_error_free(err);
  hl_engine_destroy(e);
}

static void the_json_ring_command_carries_the_pop_as_args(const char *store) {
  hl_engine *e = engine_on_store(store);
  char *json = NULL;
  int rang = 0;
  call_through_the_flow(e, "c2");
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    if (contains(json, "\"kind\":\"ring_agent\"")) {
      rang = 1;
      CHECK(contains(json, "\"args\":{\"caller\":\"+4930123456\""));
      CHECK(contains(json, kExpectedFlow));
    }
    hl_free(json);
  }
  CHECK(rang);
  hl_engine_destroy(e);
}

typedef struct {
  hl_engine *engine;
  char context[2048];
  hl_status status;
} ringing_host;

static int on_ring(void *user, const char *call_id, const char *agent_id, uint64_t reservation) {
  ringing_host *h = user;
  char *json = NULL;
  (void)agent_id;
  (void)reservation;
  h->status = hl_engine_call_context(h->engine, call_id, &json, NULL);
  snprintf(h->context, sizeof h->context, "%s", json ? json : "");
  hl_free(json);
  return HL_OK;
}

static void a_vtable_host_pulls_the_pop_from_inside_its_ring_callback(const char *store) {
  ringing_host h;
  hl_telephony t = HL_TELEPHONY_INIT;
  memset(&h, 0, sizeof h);
  h.status = HL_EINTERNAL;
  h.engine = engine_on_store(store);
  t.user = &h;
  t.ring_agent = on_ring;
  CHECK(hl_engine_set_telephony(h.engine, &t, NULL) == HL_OK);
  call_through_the_flow(h.engine, "c3");
  CHECK(h.status == HL_OK);
  CHECK(is_the_pop(h.context));
  hl_engine_destroy(h.engine);
}

int main(void) {
  char dir[] = "/tmp/hotline-screen-pop-XXXXXX";
  char db[256];
  char store[512];
  if (!mkdtemp(dir)) return 1;
  snprintf(db, sizeof db, "%s/store.db", dir);
  snprintf(store, sizeof store, "{\"backend\": \"sqlite\", \"path\": \"%s\"}", db);
  store_customer_with_a_ticket(store);
  the_typed_ring_command_carries_the_pop_and_call_context_matches(store);
  the_json_ring_command_carries_the_pop_as_args(store);
  a_vtable_host_pulls_the_pop_from_inside_its_ring_callback(store);
  {
    const char *suffixes[] = {"", "-wal", "-shm"};
    char path[300];
    size_t i;
    for (i = 0; i < 3; ++i) {
      snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
      remove(path);
    }
  }
  rmdir(dir);
  return check_summary();
}
