/* A host's own storage behind hl_storage, written in C: an array of JSON
 * records with a copy taken at begin() for rollback. Tickets and customers
 * work over it, and a failing put undoes the whole operation. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

#define MAX_RECORDS 512

typedef struct record {
  char kind[16];
  int64_t id;
  char *json;
} record;

typedef struct table {
  record rows[MAX_RECORDS];
  int count;
} table;

typedef struct host_db {
  table live, saved;
  int in_transaction;
  int fail_puts_of_kind; /* when set, puts of "note" fail with HL_EIO */
  int puts;              /* every put, to prove that a refusal wrote nothing */
  int fail_commits;      /* when set, commit fails with HL_EIO and keeps nothing yet */
  int closed;
} host_db;

static void copy_table(table *to, const table *from) {
  int i;
  for (i = 0; i < to->count; ++i) free(to->rows[i].json);
  *to = *from;
  for (i = 0; i < from->count; ++i) to->rows[i].json = strdup(from->rows[i].json);
}

static int db_begin(void *user) {
  host_db *db = user;
  copy_table(&db->saved, &db->live);
  db->in_transaction = 1;
  return HL_OK;
}

static int db_commit(void *user) {
  host_db *db = user;
  if (db->fail_commits) return HL_EIO; /* still open: the caller must roll back */
  db->in_transaction = 0;
  return HL_OK;
}

static void db_rollback(void *user) {
  host_db *db = user;
  if (db->in_transaction) copy_table(&db->live, &db->saved);
  db->in_transaction = 0;
}

static record *find(table *t, const char *kind, int64_t id) {
  int i;
  for (i = 0; i < t->count; ++i) {
    if (t->rows[i].id == id && strcmp(t->rows[i].kind, kind) == 0) return &t->rows[i];
  }
  return NULL;
}

static int db_put(void *user, const char *kind, int64_t id, const char *json) {
  host_db *db = user;
  record *r = find(&db->live, kind, id);
  ++db->puts;
  if (db->fail_puts_of_kind && strcmp(kind, "note") == 0) return HL_EIO;
  if (!r) {
    if (db->live.count == MAX_RECORDS) return HL_EFULL;
    r = &db->live.rows[db->live.count++];
    strncpy(r->kind, kind, sizeof r->kind - 1);
    r->kind[sizeof r->kind - 1] = '\0';
    r->id = id;
    r->json = NULL;
  }
  free(r->json);
  r->json = strdup(json);
  return HL_OK;
}

static int db_get(void *user, const char *kind, int64_t id, hl_storage_visit found, void *ctx) {
  record *r = find(&((host_db *)user)->live, kind, id);
  if (r) found(ctx, id, r->json);
  return HL_OK;
}

static int db_scan(void *user, const char *kind, hl_storage_visit visit, void *ctx) {
  host_db *db = user;
  int i;
  for (i = 0; i < db->live.count; ++i) {
    if (strcmp(db->live.rows[i].kind, kind) == 0 &&
        visit(ctx, db->live.rows[i].id, db->live.rows[i].json) != 0) {
      break;
    }
  }
  return HL_OK;
}

static void db_close(void *user) { ((host_db *)user)->closed = 1; }

/* How many of the host's records hold `needle`: what anyone reading the
 * host's database would find. */
static int records_holding(const host_db *db, const char *needle) {
  int i, n = 0;
  for (i = 0; i < db->live.count; ++i) n += contains(db->live.rows[i].json, needle);
  return n;
}

int main(void) {
  static host_db db; /* large: not on the stack */
  hl_storage storage;
  hl_store *store = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  const hl_actor agent = {"alice", HL_ROLE_AGENT};
  int i, notes_before;
  long long ticket = 0;
  hl_store *refused = NULL;

  memset(&storage, 0, sizeof storage);
  storage.version = HL_STORAGE_VERSION;
  storage.user = &db;
  storage.begin = db_begin;
  storage.commit = db_commit;
  storage.rollback = db_rollback;
  storage.put = db_put;
  storage.get = db_get;
  storage.scan = db_scan;
  storage.close = db_close;

  CHECK(hl_store_open_host(&store, &storage, "{\"default_region\": \"DE\"}", &err) == HL_OK);
  CHECK(hl_customer_create(store, &agent, "{\"name\": \"Jana\", \"phones\": [\"030 1234567\"]}",
                           &out, &err) == HL_OK);
  hl_free(out);
  CHECK(hl_customer_lookup_ani(store, &agent, "+49301234567", &out, &err) == HL_OK);
  CHECK(contains(out, "\"name\":\"Jana\""));
  hl_free(out);
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"Printer jammed\", \"customer\": 1}", &out,
                         &err) == HL_OK);
  CHECK(contains(out, "T-"));
  ticket = strstr(out, "\"id\":") ? atoll(strstr(out, "\"id\":") + 5) : 0;
  hl_free(out);
  CHECK(hl_ticket_search(store, "jammed", 5, &out, &err) == HL_OK);
  CHECK(contains(out, "Printer jammed"));
  hl_free(out);

  /* The host's put fails half-way through adding a note: nothing of the
   * operation stays, and the caller gets the host's status. */
  notes_before = db.live.count;
  db.fail_puts_of_kind = 1;
  CHECK(hl_ticket_add_note(store, &agent, ticket, "will not stick", 0, &out, &err) == HL_EIO);
  CHECK(contains(hl_error_message(err), "the host's storage failed in put"));
  hl_error_free(err);
  err = NULL;
  CHECK(db.live.count == notes_before);
  db.fail_puts_of_kind = 0;
  CHECK(hl_ticket_add_note(store, &agent, ticket, "sticks", 0, &out, &err) == HL_OK);
  hl_free(out);

  /* Text that is not UTF-8 is refused before the host sees a single put,
   * and the ticket reads, lists and searches as before. */
  {
    const int puts_before = db.puts;
    CHECK(hl_ticket_assign(store, &agent, ticket, "jos\xe9", &out, &err) == HL_EINVAL);
    CHECK(contains(hl_error_message(err), "assignee: not valid UTF-8"));
    hl_error_free(err);
    err = NULL;
    CHECK(db.puts == puts_before);
    CHECK(hl_ticket_get(store, ticket, &out, &err) == HL_OK);
    CHECK(contains(out, "\"assignee\":\"\""));
    hl_free(out);
    CHECK(hl_ticket_list(store, "{}", &out, &err) == HL_OK);
    CHECK(contains(out, "Printer jammed"));
    hl_free(out);
  }

  /* Erasure leaves the erased words in none of the host's records. */
  {
    const hl_actor admin = {"ada", HL_ROLE_ADMIN};
    long long quirin = 0, quirin_ticket = 0, follow_up = 0;
    char json[160];
    CHECK(hl_customer_create(store, &agent, "{\"name\": \"Quirin Xylograph\"}", &out, &err) ==
          HL_OK);
    quirin = strstr(out, "\"id\":") ? atoll(strstr(out, "\"id\":") + 5) : 0;
    hl_free(out);
    snprintf(json, sizeof json, "{\"subject\": \"Xylograph lost a quokka\", \"customer\": %lld}",
             quirin);
    CHECK(hl_ticket_create(store, &agent, json, &out, &err) == HL_OK);
    quirin_ticket = strstr(out, "\"id\":") ? atoll(strstr(out, "\"id\":") + 5) : 0;
    hl_free(out);
    CHECK(hl_ticket_update(store, &agent, quirin_ticket, "{\"subject\": \"Renamed\"}", &out,
                           &err) == HL_OK);
    hl_free(out);
    CHECK(hl_follow_up_schedule(store, &agent, quirin_ticket, "callback", 1, "bob", &out, &err) ==
          HL_OK);
    follow_up = strstr(out, "\"id\":") ? atoll(strstr(out, "\"id\":") + 5) : 0;
    hl_free(out);
    CHECK(hl_follow_up_complete(store, &agent, follow_up, "the quokka is home", &out, &err) ==
          HL_OK);
    hl_free(out);
    CHECK(records_holding(&db, "quokka") >= 2);
    CHECK(records_holding(&db, "Xylograph") >= 2);
    CHECK(hl_customer_erase(store, &admin, quirin, &err) == HL_OK);
    CHECK(records_holding(&db, "quokka") == 0);
    CHECK(records_holding(&db, "Xylograph") == 0);
    CHECK(records_holding(&db, "Printer jammed") >= 1);
  }

  /* A commit the host reports as failed is rolled back: the write the
   * caller was told failed is not there. */
  {
    const int records_before = db.live.count;
    db.fail_commits = 1;
    CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"never committed\"}", &out, &err) ==
          HL_EIO);
    CHECK(out == NULL);
    hl_error_free(err);
    err = NULL;
    db.fail_commits = 0;
    CHECK(db.in_transaction == 0);
    CHECK(db.live.count == records_before);
    CHECK(records_holding(&db, "never committed") == 0);
  }

  /* Bad vtables are refused. */
  storage.version = 7;
  CHECK(hl_store_open_host(&refused, &storage, NULL, &err) == HL_EINVAL);
  CHECK(refused == NULL);
  hl_error_free(err);
  storage.version = HL_STORAGE_VERSION;
  storage.scan = NULL;
  CHECK(hl_store_open_host(&refused, &storage, NULL, &err) == HL_EINVAL);
  CHECK(refused == NULL);
  hl_error_free(err);

  hl_store_close(store);
  CHECK(db.closed == 1);
  for (i = 0; i < db.live.count; ++i) free(db.live.rows[i].json);
  for (i = 0; i < db.saved.count; ++i) free(db.saved.rows[i].json);
  return check_summary();
}
