/* Last-agent routing fed from the store: an engine with a SQLite store
 * attached resolves an arriving caller by caller id, so the agent who served
 * the customer last (the 360° view's last_agent) is offered the call first
 * and keeps it for the queue's last_agent_wait_seconds. A caller the store
 * does not know, and a customer the host passes itself, route as before; a
 * store that fails to answer leaves the call unchanged and says so. Both the
 * hand-stepped path and the engine's own loop (posted events) are covered,
 * over a SQLite file and over a host's own table (hl_storage). */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

/* `linear` with ann at position 0 and bob at 1: without a preference the
 * queue offers ann first. */
static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"strategy\": \"linear\","
    "               \"last_agent_wait_seconds\": 30,"
    "               \"members\": [{\"agent\": \"ann\", \"position\": 0},"
    "                           {\"agent\": \"bob\", \"position\": 1}]}],"
    " \"agents\": [{\"id\": \"ann\"}, {\"id\": \"bob\"}]}";

static const char *kKnownCaller = "+4930123456";
static const char *kUnknownCaller = "+4930999999";

/* A customer with kKnownCaller's number whose latest answered contact was
 * served by bob, written through the store's own C API. */
static void store_customer_served_by_bob(const char *store_config) {
  const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
  hl_store *store = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  char contact[256];
  const char *id_text;
  long long id = 0;
  CHECK(hl_store_open(&store, store_config, &err) == HL_OK);
  CHECK(hl_customer_create(store, &supervisor,
                           "{\"name\": \"Li Wei\", \"phones\": [\"+4930123456\"],"
                           " \"tier\": \"gold\", \"national_id\": \"X1234567\"}",
                           &out, &err) == HL_OK);
  if (err) fprintf(stderr, "%s\n", hl_error_message(err));
  hl_error_free(err);
  err = NULL;
  id_text = out ? strstr(out, "\"id\":") : NULL;
  CHECK(id_text != NULL);
  if (id_text) id = strtoll(id_text + 5, NULL, 10);
  CHECK(id > 0);
  hl_free(out);
  snprintf(contact, sizeof contact,
           "{\"contact_id\": \"earlier\", \"customer\": %lld, \"channel\": \"voice\","
           " \"queue\": \"sales\", \"agent\": \"bob\", \"ani\": \"+4930123456\","
           " \"started_at\": 1000, \"ended_at\": 61000, \"outcome\": \"answered\"}",
           id);
  CHECK(hl_customer_record_contact(store, contact, &err) == HL_OK);
  if (err) fprintf(stderr, "%s\n", hl_error_message(err));
  hl_error_free(err);
  hl_store_close(store);
}

/* Drains commands: the agent of the first ring_agent ("" when none) and the
 * number of rings. */
static int rings(hl_engine *e, char *first_agent, size_t size) {
  hl_command *c = NULL;
  int n = 0;
  first_agent[0] = '\0';
  while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
    if (c->kind == HL_COMMAND_RING_AGENT) {
      if (n == 0) snprintf(first_agent, size, "%s", c->agent_id);
      ++n;
    }
    hl_free(c);
  }
  return n;
}

/* Drains notifications: whether one contains `needle`. */
static int notified(hl_engine *e, const char *needle) {
  char *json = NULL;
  int found = 0;
  while (hl_engine_poll_notification(e, &json) == HL_OK) {
    if (getenv("HOTLINE_TEST_VERBOSE")) printf("%s\n", json);
    if (contains(json, needle)) found = 1;
    hl_free(json);
  }
  return found;
}

/* An engine on the store with ann and bob logged in (ready); bob then set
 * not ready when `bob_ready` is 0. */
static hl_engine *engine_on_store(const char *store_config, int bob_ready) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  char agent[32];
  CHECK(hl_engine_create(&e, kConfig, 0, &err) == HL_OK);
  CHECK(hl_engine_use_store(e, store_config, &err) == HL_OK);
  if (err) fprintf(stderr, "%s\n", hl_error_message(err));
  hl_error_free(err);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bob", 0, NULL) == HL_OK);
  if (!bob_ready) CHECK(hl_engine_agent_not_ready(e, "bob", "lunch", 0, NULL) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 0);
  return e;
}

static hl_status call_from(hl_engine *e, const char *call_id, const char *caller,
                           const char *customer_json, int64_t now) {
  hl_call_info call = HL_CALL_INFO_INIT;
  call.call_id = call_id;
  call.caller = caller;
  call.queue_id = "sales";
  call.customer_json = customer_json;
  return hl_engine_call_arrived(e, &call, now, NULL);
}

static void a_known_caller_is_offered_to_their_last_agent_first(const char *store) {
  char agent[32];
  hl_engine *e = engine_on_store(store, 1);
  CHECK(call_from(e, "c1", kKnownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "bob") == 0);
  hl_engine_destroy(e);
}

static void a_contact_described_with_hl_contact_is_resolved_too(const char *store) {
  char agent[32];
  hl_contact contact = HL_CONTACT_INIT;
  hl_engine *e = engine_on_store(store, 1);
  contact.id = "c1";
  contact.caller = kKnownCaller;
  contact.queue_id = "sales";
  CHECK(hl_engine_contact_arrived(e, &contact, 1000, NULL) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "bob") == 0);
  hl_engine_destroy(e);
}

static void the_last_agent_not_ready_the_call_waits_30_s_then_goes_to_ann(const char *store) {
  char agent[32];
  hl_engine *e = engine_on_store(store, 0);
  CHECK(call_from(e, "c1", kKnownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 0); /* ann is free but bob is preferred */
  CHECK(hl_engine_advance(e, 1000 + 29999, NULL) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 0);
  CHECK(hl_engine_advance(e, 1000 + 30000, NULL) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "ann") == 0);
  hl_engine_destroy(e);
}

static void a_caller_the_store_does_not_know_routes_normally(const char *store) {
  char agent[32];
  hl_engine *e = engine_on_store(store, 1);
  CHECK(call_from(e, "c1", kUnknownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "ann") == 0);
  /* A caller id that is no phone number is nobody, not a store error. */
  CHECK(call_from(e, "c2", "anonymous", NULL, 1000) == HL_OK);
  CHECK(!notified(e, "customer_lookup"));
  hl_engine_destroy(e);
}

static void a_customer_passed_by_the_host_is_not_overridden(const char *store) {
  char agent[32];
  hl_engine *e = engine_on_store(store, 1);
  CHECK(call_from(e, "c1", kKnownCaller, "{\"tier\": \"silver\"}", 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "ann") == 0); /* no lookup: the store's bob is not preferred */
  hl_engine_destroy(e);
}

/* The lookup reads as an agent, the least-privileged role: sensitive fields
 * come masked and, unlike a supervisor's or an admin's read, leave no
 * read-sensitive entry in the audit log. */
static void the_lookup_reads_as_an_agent_and_leaves_no_sensitive_read(const char *store) {
  const hl_actor admin = {"ada", HL_ROLE_ADMIN};
  hl_store *st = NULL;
  char *out = NULL;
  char agent[32];
  hl_engine *e = engine_on_store(store, 1);
  CHECK(call_from(e, "c1", kKnownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  hl_engine_destroy(e);
  CHECK(hl_store_open(&st, store, NULL) == HL_OK);
  CHECK(hl_audit_list(st, &admin, "{}", &out, NULL) == HL_OK);
  CHECK(out != NULL && !contains(out, "\"actor\":\"routing\""));
  hl_free(out);
  hl_store_close(st);
}

/* The store cannot answer (its contacts table is gone): the call still
 * reaches the queue unchanged, and a host_error names the lookup. */
static void a_store_error_leaves_the_call_unchanged_and_is_reported(const char *store,
                                                                     const char *db) {
  char agent[32];
  sqlite3 *raw = NULL;
  hl_engine *e = engine_on_store(store, 1);
  CHECK(sqlite3_open(db, &raw) == SQLITE_OK);
  CHECK(sqlite3_exec(raw, "DROP TABLE contacts", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(raw);
  CHECK(call_from(e, "c1", kKnownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "ann") == 0);
  CHECK(notified(e, "\"what\":\"customer_lookup\""));
  hl_engine_destroy(e);
}

/* The engine's own loop: events posted as JSON are resolved on the loop
 * thread before they are applied. */
typedef struct looped {
  hl_engine *engine;
  char first_agent[32];
} looped;

static int on_ring(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  looped *l = user;
  (void)call_id;
  (void)reservation;
  if (l->first_agent[0] == '\0') snprintf(l->first_agent, sizeof l->first_agent, "%s", agent);
  hl_engine_stop(l->engine);
  return HL_OK;
}

static void posted_arrival_on_the_loop_is_offered_to_the_last_agent(const char *store) {
  looped l;
  hl_telephony t;
  hl_error *err = NULL;
  memset(&l, 0, sizeof l);
  memset(&t, 0, sizeof t);
  t.version = HL_TELEPHONY_VERSION;
  t.user = &l;
  t.ring_agent = on_ring;
  CHECK(hl_engine_create(&l.engine, kConfig, hl_engine_now(), &err) == HL_OK);
  CHECK(hl_engine_set_telephony(l.engine, &t, &err) == HL_OK);
  CHECK(hl_engine_use_store(l.engine, store, &err) == HL_OK);
  CHECK(hl_engine_post(l.engine, "{\"event\": \"agent_login\", \"agent_id\": \"ann\"}", NULL) ==
        HL_OK);
  CHECK(hl_engine_post(l.engine, "{\"event\": \"agent_login\", \"agent_id\": \"bob\"}", NULL) ==
        HL_OK);
  CHECK(hl_engine_post(l.engine,
                       "{\"event\": \"call_arrived\", \"call_id\": \"c1\","
                       " \"caller\": \"+4930123456\", \"queue_id\": \"sales\"}",
                       NULL) == HL_OK);
  CHECK(hl_engine_run(l.engine, &err) == HL_OK); /* until the first ring */
  CHECK(strcmp(l.first_agent, "bob") == 0);
  hl_engine_destroy(l.engine);
}

/* A store that holds its file alone ("locking": "exclusive"): the engine's
 * caller-id reads and ticket writes share its one connection, and nobody
 * else opens the file until the engine lets it go. */
static void an_exclusive_store_resolves_the_caller_and_keeps_the_file(const char *exclusive,
                                                                       const char *shared) {
  char agent[32];
  char quick[400];
  hl_store *st = NULL;
  hl_error *err = NULL;
  hl_engine *e = engine_on_store(exclusive, 1);
  CHECK(call_from(e, "c1", kKnownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "bob") == 0);
  CHECK(!notified(e, "customer_lookup"));
  /* Another opener is refused at once (no busy wait), saying why. */
  snprintf(quick, sizeof quick, "%.*s, \"busy_timeout_ms\": 0}", (int)strlen(shared) - 1, shared);
  CHECK(hl_store_open(&st, quick, &err) == HL_EBUSY);
  CHECK(st == NULL);
  CHECK(err != NULL && contains(hl_error_message(err), "exclusive locking"));
  hl_error_free(err);
  hl_engine_destroy(e);
  CHECK(hl_store_open(&st, quick, NULL) == HL_OK);
  hl_store_close(st);
}

/* A path SQLite would read as a URI could turn the file's locking off
 * (nolock=1) behind the store's back: refused, naming the field. */
static void a_path_read_as_a_uri_is_refused(const char *db) {
  char config[400];
  hl_store *st = NULL;
  hl_error *err = NULL;
  snprintf(config, sizeof config, "{\"path\": \"file:%s?nolock=1\"}", db);
  CHECK(hl_store_open(&st, config, &err) == HL_EINVAL);
  CHECK(st == NULL);
  CHECK(err != NULL && contains(hl_error_message(err), "$.path: 'file:"));
  CHECK(err != NULL && contains(hl_error_message(err), "SQLite URI"));
  hl_error_free(err);
}

/* A host's own table behind hl_storage: records in an array, no rollback
 * (nothing here fails). The engine reads the caller's customer through it. */
#define HOST_ROWS 64

typedef struct host_table {
  char kind[HOST_ROWS][16];
  int64_t id[HOST_ROWS];
  char *json[HOST_ROWS];
  int count;
} host_table;

static int host_begin(void *user) {
  (void)user;
  return HL_OK;
}

static int host_commit(void *user) {
  (void)user;
  return HL_OK;
}

static void host_rollback(void *user) { (void)user; }

static int host_find(host_table *t, const char *kind, int64_t id) {
  int i;
  for (i = 0; i < t->count; ++i) {
    if (t->id[i] == id && strcmp(t->kind[i], kind) == 0) return i;
  }
  return -1;
}

static int host_put(void *user, const char *kind, int64_t id, const char *json) {
  host_table *t = user;
  int i = host_find(t, kind, id);
  if (i < 0) {
    if (t->count == HOST_ROWS) return HL_EFULL;
    i = t->count++;
    snprintf(t->kind[i], sizeof t->kind[i], "%s", kind);
    t->id[i] = id;
    t->json[i] = NULL;
  }
  free(t->json[i]);
  t->json[i] = strdup(json);
  return t->json[i] ? HL_OK : HL_ENOMEM;
}

static int host_get(void *user, const char *kind, int64_t id, hl_storage_visit found,
                    void *ctx) {
  host_table *t = user;
  int i = host_find(t, kind, id);
  if (i >= 0) found(ctx, id, t->json[i]);
  return HL_OK;
}

static int host_scan(void *user, const char *kind, hl_storage_visit visit, void *ctx) {
  host_table *t = user;
  int i;
  for (i = 0; i < t->count; ++i) {
    if (strcmp(t->kind[i], kind) == 0 && visit(ctx, t->id[i], t->json[i]) != 0) break;
  }
  return HL_OK;
}

static void host_close(void *user) { (void)user; }

static hl_storage host_storage_over(host_table *t) {
  hl_storage storage;
  memset(&storage, 0, sizeof storage);
  storage.version = HL_STORAGE_VERSION;
  storage.user = t;
  storage.begin = host_begin;
  storage.commit = host_commit;
  storage.rollback = host_rollback;
  storage.put = host_put;
  storage.get = host_get;
  storage.scan = host_scan;
  storage.close = host_close;
  return storage;
}

static void a_host_storage_resolves_the_caller_too(void) {
  static host_table table; /* large: not on the stack */
  const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
  hl_storage storage = host_storage_over(&table);
  hl_store *store = NULL;
  hl_engine *e = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  char agent[32];
  int i;
  CHECK(hl_store_open_host(&store, &storage, "{}", &err) == HL_OK);
  CHECK(hl_customer_create(store, &supervisor,
                           "{\"name\": \"Li Wei\", \"phones\": [\"+4930123456\"]}", &out,
                           &err) == HL_OK);
  CHECK(contains(out, "\"id\":1"));
  hl_free(out);
  CHECK(hl_customer_record_contact(store,
                                   "{\"contact_id\": \"earlier\", \"customer\": 1,"
                                   " \"channel\": \"voice\", \"agent\": \"bob\","
                                   " \"started_at\": 1000, \"outcome\": \"answered\"}",
                                   &err) == HL_OK);
  hl_store_close(store);
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_use_host_storage(e, &storage, "{}", &err) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bob", 0, NULL) == HL_OK);
  CHECK(call_from(e, "c1", kKnownCaller, NULL, 1000) == HL_OK);
  CHECK(rings(e, agent, sizeof agent) == 1);
  CHECK(strcmp(agent, "bob") == 0);
  hl_engine_destroy(e);
  hl_error_free(err);
  for (i = 0; i < table.count; ++i) free(table.json[i]);
}

/* On the engine's own loop over the host's table: a known caller goes
 * through a flow whose ticket node writes into the table on the thread pool,
 * while a second caller's lookup reads the same table on the loop thread
 * (the two take turns under one lock). The known caller still reaches bob
 * from the queue node, the other goes to ann, and the ticket is stored. */
static const char *kFlowConfig =
    "{\"queues\": [{\"id\": \"sales\", \"strategy\": \"linear\","
    "               \"last_agent_wait_seconds\": 30,"
    "               \"members\": [{\"agent\": \"ann\", \"position\": 0},"
    "                           {\"agent\": \"bob\", \"position\": 1}]}],"
    " \"agents\": [{\"id\": \"ann\"}, {\"id\": \"bob\"}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"ticket\", \"nodes\": {"
    "   \"ticket\": {\"type\": \"ticket\", \"fields\": {\"subject\": \"Call from ${call.caller}\"},"
    "                \"variable\": \"ticket\", \"next\": \"q\", \"error\": \"q\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\"}}}]}";

typedef struct two_calls {
  hl_engine *engine;
  char agent_of_c1[32];
  char agent_of_c2[32];
  int rings;
} two_calls;

static int ok_answer(void *user, const char *call_id) {
  (void)user;
  (void)call_id;
  return HL_OK;
}

static int ok_play(void *user, const char *call_id, const char *prompts, int barge_in, int loop) {
  (void)user;
  (void)call_id;
  (void)prompts;
  (void)barge_in;
  (void)loop;
  return HL_OK;
}

static int ring_of_two(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  two_calls *c = user;
  (void)reservation;
  if (strcmp(call_id, "c1") == 0 && c->agent_of_c1[0] == '\0') {
    snprintf(c->agent_of_c1, sizeof c->agent_of_c1, "%s", agent);
  }
  if (strcmp(call_id, "c2") == 0 && c->agent_of_c2[0] == '\0') {
    snprintf(c->agent_of_c2, sizeof c->agent_of_c2, "%s", agent);
  }
  if (++c->rings == 2) hl_engine_stop(c->engine);
  return HL_OK;
}

static void on_the_loop_host_storage_reads_take_turns_with_ticket_writes(void) {
  static host_table table; /* large: not on the stack */
  const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
  hl_storage storage = host_storage_over(&table);
  hl_telephony t;
  hl_store *store = NULL;
  hl_error *err = NULL;
  two_calls c;
  char *out = NULL;
  int i, tickets = 0;
  memset(&c, 0, sizeof c);
  memset(&t, 0, sizeof t);
  t.version = HL_TELEPHONY_VERSION;
  t.user = &c;
  t.answer = ok_answer;
  t.play = ok_play;
  t.ring_agent = ring_of_two;
  CHECK(hl_store_open_host(&store, &storage, "{}", &err) == HL_OK);
  CHECK(hl_customer_create(store, &supervisor,
                           "{\"name\": \"Li Wei\", \"phones\": [\"+4930123456\"]}", &out,
                           &err) == HL_OK);
  hl_free(out);
  CHECK(hl_customer_record_contact(store,
                                   "{\"contact_id\": \"earlier\", \"customer\": 1,"
                                   " \"channel\": \"voice\", \"agent\": \"bob\","
                                   " \"started_at\": 1000, \"outcome\": \"answered\"}",
                                   &err) == HL_OK);
  hl_store_close(store);
  CHECK(hl_engine_create(&c.engine, kFlowConfig, hl_engine_now(), &err) == HL_OK);
  CHECK(hl_engine_set_telephony(c.engine, &t, &err) == HL_OK);
  CHECK(hl_engine_use_host_storage(c.engine, &storage, "{}", &err) == HL_OK);
  CHECK(hl_engine_post(c.engine, "{\"event\": \"agent_login\", \"agent_id\": \"ann\"}", NULL) ==
        HL_OK);
  CHECK(hl_engine_post(c.engine, "{\"event\": \"agent_login\", \"agent_id\": \"bob\"}", NULL) ==
        HL_OK);
  CHECK(hl_engine_post(c.engine,
                       "{\"event\": \"call_arrived\", \"call_id\": \"c1\","
                       " \"caller\": \"+4930123456\", \"flow_id\": \"front\"}",
                       NULL) == HL_OK);
  CHECK(hl_engine_post(c.engine,
                       "{\"event\": \"call_arrived\", \"call_id\": \"c2\","
                       " \"caller\": \"+4930999999\", \"queue_id\": \"sales\"}",
                       NULL) == HL_OK);
  CHECK(hl_engine_run(c.engine, &err) == HL_OK); /* until both calls have rung */
  CHECK(strcmp(c.agent_of_c1, "bob") == 0);
  CHECK(strcmp(c.agent_of_c2, "ann") == 0);
  hl_engine_destroy(c.engine);
  for (i = 0; i < table.count; ++i) {
    if (strcmp(table.kind[i], "ticket") == 0) tickets += contains(table.json[i], "Call from");
    free(table.json[i]);
  }
  CHECK(tickets == 1);
  hl_error_free(err);
}

static void remove_database(const char *db) {
  char side[300];
  unlink(db);
  snprintf(side, sizeof side, "%s-wal", db);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", db);
  unlink(side);
}

int main(void) {
  char dir[] = "/tmp/hotline-customer-XXXXXX";
  char db[128], store[256], exclusive[300], broken_db[128], broken_store[256];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(db, sizeof db, "%s/customers.db", dir);
  snprintf(store, sizeof store, "{\"backend\": \"sqlite\", \"path\": \"%s\"}", db);
  snprintf(exclusive, sizeof exclusive,
           "{\"backend\": \"sqlite\", \"path\": \"%s\", \"locking\": \"exclusive\"}", db);
  snprintf(broken_db, sizeof broken_db, "%s/broken.db", dir);
  snprintf(broken_store, sizeof broken_store, "{\"backend\": \"sqlite\", \"path\": \"%s\"}",
           broken_db);
  store_customer_served_by_bob(store);
  a_known_caller_is_offered_to_their_last_agent_first(store);
  a_contact_described_with_hl_contact_is_resolved_too(store);
  the_last_agent_not_ready_the_call_waits_30_s_then_goes_to_ann(store);
  a_caller_the_store_does_not_know_routes_normally(store);
  a_customer_passed_by_the_host_is_not_overridden(store);
  the_lookup_reads_as_an_agent_and_leaves_no_sensitive_read(store);
  posted_arrival_on_the_loop_is_offered_to_the_last_agent(store);
  an_exclusive_store_resolves_the_caller_and_keeps_the_file(exclusive, store);
  posted_arrival_on_the_loop_is_offered_to_the_last_agent(exclusive);
  a_path_read_as_a_uri_is_refused(db);
  store_customer_served_by_bob(broken_store);
  a_store_error_leaves_the_call_unchanged_and_is_reported(broken_store, broken_db);
  a_host_storage_resolves_the_caller_too();
  on_the_loop_host_storage_reads_take_turns_with_ticket_writes();
  remove_database(db);
  remove_database(broken_db);
  rmdir(dir);
  return check_summary();
}
