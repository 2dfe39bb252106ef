/* Host interfaces that grow like sqlite3_vfs: the library accepts every
 * version of hl_telephony and hl_storage from 1 to its own, reads only the
 * slots of the version a host gives it, and calls a version 2 table's
 * destroy exactly once when it drops the table. A version 1 table is
 * declared here exactly as the 0.1 headers had it and allocated at exactly
 * its size, so a read past its end is caught by the address sanitizer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"wrap_up_seconds\": 10}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

/* hl_telephony as version 1 of the header declared it. */
typedef struct telephony_v1 {
  int version;
  void *user;
  int (*answer)(void *user, const char *call_id);
  int (*play)(void *user, const char *call_id, const char *prompts_json, int barge_in, int loop);
  int (*stop_playback)(void *user, const char *call_id);
  int (*collect_digits)(void *user, const char *call_id, int min_digits, int max_digits,
                        char terminator);
  int (*record)(void *user, const char *call_id, int64_t max_ms, char finish_key);
  int (*transfer)(void *user, const char *call_id, const char *target);
  int (*hangup)(void *user, const char *call_id);
  int (*ring_agent)(void *user, const char *call_id, const char *agent_id, uint64_t reservation);
  int (*stop_ringing)(void *user, const char *call_id, const char *agent_id, uint64_t reservation);
  int (*bridge)(void *user, const char *call_id, const char *agent_id);
  int (*host_request)(void *user, uint64_t request_id, const char *kind, const char *function,
                      const char *args_json);
} telephony_v1;

/* hl_storage as version 1 of the header declared it. */
typedef struct storage_v1 {
  int version;
  void *user;
  int (*begin)(void *user);
  int (*commit)(void *user);
  void (*rollback)(void *user);
  int (*put)(void *user, const char *kind, int64_t id, const char *record_json);
  int (*get)(void *user, const char *kind, int64_t id, hl_storage_visit found, void *ctx);
  int (*scan)(void *user, const char *kind, hl_storage_visit visit, void *ctx);
  void (*close)(void *user);
} storage_v1;

/* What a host's switch saw. */
typedef struct phone {
  hl_engine *engine;
  int rings;
  int bridges;
  int destroyed;          /* destroy calls with this phone as user */
  int destroyed_in_ring;  /* destroy had run when ring_agent returned */
  hl_telephony replacement; /* installed from inside ring_agent, when set */
  uint64_t reservation;
} phone;

static int on_ring(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  phone *p = user;
  (void)call_id;
  (void)agent;
  ++p->rings;
  p->reservation = reservation;
  if (p->replacement.version != 0) {
    CHECK(hl_engine_set_telephony(p->engine, &p->replacement, NULL) == HL_OK);
    /* This callback is still running: its table is not released yet. */
    p->destroyed_in_ring = p->destroyed;
  }
  return HL_OK;
}

static int on_bridge(void *user, const char *call_id, const char *agent) {
  (void)call_id;
  (void)agent;
  ++((phone *)user)->bridges;
  return HL_OK;
}

static void on_destroy(void *user) { ++((phone *)user)->destroyed; }

static hl_telephony current_table(phone *p) {
  hl_telephony t = HL_TELEPHONY_INIT;
  t.user = p;
  t.ring_agent = on_ring;
  t.bridge = on_bridge;
  t.destroy = on_destroy;
  return t;
}

static hl_engine *new_engine(void) {
  hl_engine *e = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  return e;
}

static void call(hl_engine *e, const char *id) {
  hl_call_info info = HL_CALL_INFO_INIT;
  info.call_id = id;
  info.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &info, 1000, NULL) == HL_OK);
}

static void version_1_telephony_installs_and_works(void) {
  phone p;
  hl_engine *e = new_engine();
  hl_error *err = NULL;
  /* Exactly the size of version 1: no destroy slot to read. */
  telephony_v1 *old = calloc(1, sizeof *old);
  memset(&p, 0, sizeof p);
  old->version = 1;
  old->user = &p;
  old->ring_agent = on_ring;
  old->bridge = on_bridge;
  CHECK(hl_engine_set_telephony(e, (const hl_telephony *)old, &err) == HL_OK);
  CHECK(err == NULL);
  free(old); /* the engine keeps its own copy */
  call(e, "v1-call");
  CHECK(p.rings == 1);
  CHECK(hl_engine_agent_answered(e, p.reservation, 2000, NULL) == HL_OK);
  CHECK(p.bridges == 1);
  hl_engine_destroy(e);
  CHECK(p.destroyed == 0); /* version 1 has no destroy: nothing else is called */
}

static void version_2_destroy_runs_once_on_replace_remove_and_destroy(void) {
  phone first, second, third;
  hl_telephony t;
  hl_engine *e = new_engine();
  memset(&first, 0, sizeof first);
  memset(&second, 0, sizeof second);
  memset(&third, 0, sizeof third);

  t = current_table(&first);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(first.destroyed == 0);
  t = current_table(&second);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK); /* replaces: first is dropped */
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 0);
  call(e, "replaced");
  CHECK(first.rings == 0); /* the dropped table is never called again */
  CHECK(second.rings == 1);

  CHECK(hl_engine_set_telephony(e, NULL, NULL) == HL_OK); /* removes: second is dropped */
  CHECK(second.destroyed == 1);
  CHECK(hl_engine_set_telephony(e, NULL, NULL) == HL_OK); /* nothing left to drop */
  CHECK(second.destroyed == 1);

  t = current_table(&third);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  hl_engine_destroy(e); /* destroying the engine drops the last one */
  CHECK(third.destroyed == 1);
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 1);
}

static void a_table_replaced_from_its_own_callback_is_released_after_it_returns(void) {
  phone first, second;
  hl_telephony t;
  hl_engine *e = new_engine();
  memset(&first, 0, sizeof first);
  memset(&second, 0, sizeof second);
  first.engine = e;
  first.replacement = current_table(&second);
  t = current_table(&first);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  call(e, "swap");
  CHECK(first.rings == 1);
  CHECK(first.destroyed_in_ring == 0); /* not while its ring_agent ran */
  CHECK(first.destroyed == 0);
  /* The next install outside a callback releases it, once. */
  t = current_table(&second);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 1); /* its first install was replaced */
  hl_engine_destroy(e);
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 2); /* and its second dropped with the engine */
}

static void a_table_replaced_from_a_callback_is_released_with_the_engine(void) {
  phone first, second;
  hl_telephony t;
  hl_engine *e = new_engine();
  memset(&first, 0, sizeof first);
  memset(&second, 0, sizeof second);
  first.engine = e;
  first.replacement = current_table(&second);
  t = current_table(&first);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  call(e, "swap");
  CHECK(first.destroyed == 0);
  hl_engine_destroy(e);
  CHECK(first.destroyed == 1);
  CHECK(second.destroyed == 1);
}

static void versions_outside_1_to_current_are_refused(void) {
  phone p, kept;
  hl_telephony t;
  hl_error *err = NULL;
  hl_engine *e = new_engine();
  memset(&p, 0, sizeof p);
  memset(&kept, 0, sizeof kept);
  t = current_table(&kept);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);

  t = current_table(&p);
  t.version = HL_TELEPHONY_VERSION + 1;
  CHECK(hl_engine_set_telephony(e, &t, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "telephony version 5 is not supported"));
  CHECK(contains(hl_error_message(err), "versions 1 to 4"));
  hl_error_free(err);
  t.version = 0;
  CHECK(hl_engine_set_telephony(e, &t, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "telephony version 0 is not supported"));
  hl_error_free(err);
  t.version = -1;
  CHECK(hl_engine_set_telephony(e, &t, &err) == HL_EINVAL);
  hl_error_free(err);
  /* A refused table is not the engine's: never destroyed; the installed one stays. */
  CHECK(p.destroyed == 0);
  CHECK(kept.destroyed == 0);
  call(e, "after-refusals");
  CHECK(kept.rings == 1);
  hl_engine_destroy(e);
  CHECK(p.destroyed == 0);
  CHECK(kept.destroyed == 1);
}

/* ---- storage: one record table, enough for a store to open and work ---- */

typedef struct records {
  char kind[8][16];
  int64_t id[8];
  char *json[8];
  int count;
  int closed;
  int destroyed;
  int closed_before_destroy;
} records;

static int kv_ok(void *user) {
  (void)user;
  return HL_OK;
}

static void kv_rollback(void *user) { (void)user; }

static int kv_put(void *user, const char *kind, int64_t id, const char *json) {
  records *r = user;
  int i;
  for (i = 0; i < r->count; ++i) {
    if (r->id[i] == id && strcmp(r->kind[i], kind) == 0) break;
  }
  if (i == r->count) {
    if (r->count == 8) return HL_EFULL;
    ++r->count;
    strncpy(r->kind[i], kind, sizeof r->kind[i] - 1);
    r->kind[i][sizeof r->kind[i] - 1] = '\0';
    r->id[i] = id;
    r->json[i] = NULL;
  }
  free(r->json[i]);
  r->json[i] = malloc(strlen(json) + 1);
  strcpy(r->json[i], json);
  return HL_OK;
}

static int kv_get(void *user, const char *kind, int64_t id, hl_storage_visit found, void *ctx) {
  records *r = user;
  int i;
  for (i = 0; i < r->count; ++i) {
    if (r->id[i] == id && strcmp(r->kind[i], kind) == 0) found(ctx, id, r->json[i]);
  }
  return HL_OK;
}

static int kv_scan(void *user, const char *kind, hl_storage_visit visit, void *ctx) {
  records *r = user;
  int i;
  for (i = 0; i < r->count; ++i) {
    if (strcmp(r->kind[i], kind) == 0 && visit(ctx, r->id[i], r->json[i]) != 0) break;
  }
  return HL_OK;
}

static void kv_close(void *user) { ++((records *)user)->closed; }

static void kv_destroy(void *user) {
  records *r = user;
  ++r->destroyed;
  r->closed_before_destroy = r->closed;
}

static void free_records(records *r) {
  int i;
  for (i = 0; i < r->count; ++i) free(r->json[i]);
}

static void version_1_storage_opens_and_works(void) {
  records r;
  hl_store *store = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  const hl_actor agent = {"alice", HL_ROLE_AGENT};
  storage_v1 *old = calloc(1, sizeof *old); /* exactly version 1's size */
  memset(&r, 0, sizeof r);
  old->version = 1;
  old->user = &r;
  old->begin = kv_ok;
  old->commit = kv_ok;
  old->rollback = kv_rollback;
  old->put = kv_put;
  old->get = kv_get;
  old->scan = kv_scan;
  old->close = kv_close;
  CHECK(hl_store_open_host(&store, (const hl_storage *)old, NULL, &err) == HL_OK);
  CHECK(err == NULL);
  free(old);
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"Fax broken\"}", &out, &err) == HL_OK);
  CHECK(contains(out, "Fax broken"));
  hl_free(out);
  hl_store_close(store);
  CHECK(r.closed == 1);
  CHECK(r.destroyed == 0);
  free_records(&r);
}

static hl_storage current_storage(records *r) {
  hl_storage s = HL_STORAGE_INIT;
  s.user = r;
  s.begin = kv_ok;
  s.commit = kv_ok;
  s.rollback = kv_rollback;
  s.put = kv_put;
  s.get = kv_get;
  s.scan = kv_scan;
  s.close = kv_close;
  s.destroy = kv_destroy;
  return s;
}

static void version_2_storage_is_closed_then_destroyed_once_with_its_store(void) {
  records r;
  hl_storage s;
  hl_store *store = NULL;
  memset(&r, 0, sizeof r);
  s = current_storage(&r);
  CHECK(hl_store_open_host(&store, &s, "{\"default_region\": \"DE\"}", NULL) == HL_OK);
  CHECK(r.destroyed == 0);
  hl_store_close(store);
  CHECK(r.closed == 1);
  CHECK(r.destroyed == 1);
  CHECK(r.closed_before_destroy == 1);
  hl_store_close(store); /* a closed handle: ignored, nothing called twice */
  CHECK(r.destroyed == 1);
  free_records(&r);
}

static void refused_storage_is_never_closed_or_destroyed(void) {
  records r;
  hl_storage s;
  hl_store *store = NULL;
  hl_error *err = NULL;
  memset(&r, 0, sizeof r);
  s = current_storage(&r);
  s.version = HL_STORAGE_VERSION + 1;
  CHECK(hl_store_open_host(&store, &s, NULL, &err) == HL_EINVAL);
  CHECK(store == NULL);
  CHECK(contains(hl_error_message(err), "storage version 3 is not supported"));
  hl_error_free(err);
  s.version = 0;
  CHECK(hl_store_open_host(&store, &s, NULL, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "storage version 0 is not supported"));
  hl_error_free(err);
  s = current_storage(&r);
  CHECK(hl_store_open_host(&store, &s, "{\"path\": \"x.db\"}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.path"));
  hl_error_free(err);
  CHECK(hl_store_open_host(&store, &s, "{\"sla\": 5}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.sla"));
  hl_error_free(err);
  CHECK(store == NULL);
  CHECK(r.closed == 0);
  CHECK(r.destroyed == 0);
}

int main(void) {
  version_1_telephony_installs_and_works();
  version_2_destroy_runs_once_on_replace_remove_and_destroy();
  a_table_replaced_from_its_own_callback_is_released_after_it_returns();
  a_table_replaced_from_a_callback_is_released_with_the_engine();
  versions_outside_1_to_current_are_refused();
  version_1_storage_opens_and_works();
  version_2_storage_is_closed_then_destroyed_once_with_its_store();
  refused_storage_is_never_closed_or_destroyed();
  return check_summary();
}
