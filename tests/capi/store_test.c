/* Tickets and customers through the C ABI, on a real SQLite file and in
 * memory, with the error paths a host meets. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hotline.h"

static const hl_actor agent = {"alice", HL_ROLE_AGENT};
static const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
static const hl_actor admin = {"ada", HL_ROLE_ADMIN};

static int contains(const char *haystack, const char *needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* The integer after "key": in a JSON object's text. */
static long long json_int(const char *json, const char *key) {
  char pattern[64];
  const char *p;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  p = json ? strstr(json, pattern) : NULL;
  return p ? atoll(p + strlen(pattern)) : -1;
}

static void whole_story(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  long long customer, ticket;
  char ticket_json[256];

  CHECK(hl_store_set_time(store, 1795510800000LL) == HL_OK);
  CHECK(hl_customer_create(store, &agent,
                           "{\"name\": \"Jana Novak\", \"phones\": [\"030 1234567\"], "
                           "\"tier\": \"vip\"}",
                           &out, &err) == HL_OK);
  CHECK(contains(out, "+49301234567"));
  customer = json_int(out, "id");
  hl_free(out);

  /* Caller id, as the switch presents the number. */
  CHECK(hl_customer_lookup_ani(store, &agent, "+49301234567", &out, &err) == HL_OK);
  CHECK(json_int(out, "id") == customer);
  hl_free(out);
  CHECK(hl_customer_lookup_ani(store, &agent, "+49307654321", &out, &err) == HL_ENOTFOUND);
  CHECK(out == NULL && err == NULL);

  snprintf(ticket_json, sizeof ticket_json,
           "{\"subject\": \"Card blocked abroad\", \"customer\": %lld, \"priority\": \"high\", "
           "\"group\": \"cards\"}",
           customer);
  CHECK(hl_ticket_create(store, &agent, ticket_json, &out, &err) == HL_OK);
  CHECK(contains(out, "\"number\":\"T-2026-000001\""));
  ticket = json_int(out, "id");
  hl_free(out);

  CHECK(hl_ticket_add_note(store, &agent, ticket, "We unblocked it.", 0, &out, &err) == HL_OK);
  hl_free(out);
  CHECK(hl_ticket_set_status(store, &agent, ticket, "resolved", &out, &err) == HL_OK);
  CHECK(contains(out, "\"status\":\"resolved\""));
  hl_free(out);
  CHECK(hl_ticket_rate(store, &agent, ticket, 1, &out, &err) == HL_OK);
  hl_free(out);
  CHECK(hl_follow_up_list(store, "{\"assignee\": \"supervisors\"}", &out, &err) == HL_OK);
  CHECK(contains(out, "\"kind\":\"recovery\""));
  hl_free(out);
  CHECK(hl_ticket_history(store, ticket, &out, &err) == HL_OK);
  CHECK(contains(out, "\"field\":\"status\""));
  CHECK(contains(out, "We unblocked it."));
  hl_free(out);

  CHECK(hl_ticket_search(store, "blocked", 10, &out, &err) == HL_OK);
  CHECK(contains(out, "Card blocked abroad"));
  hl_free(out);
  CHECK(hl_ticket_list(store, "{\"group\": \"cards\", \"limit\": 5}", &out, &err) == HL_OK);
  CHECK(contains(out, "\"next\":null"));
  hl_free(out);

  CHECK(hl_customer_view(store, &agent, customer, &out, &err) == HL_OK);
  CHECK(contains(out, "\"open_tickets\":[]"));
  hl_free(out);

  CHECK(hl_customer_import_csv(store, &supervisor,
                               "name,phone\nLi Wei,+86 138 0013 8000\nBad,12\n", NULL, &out,
                               &err) == HL_OK);
  CHECK(json_int(out, "created") == 1);
  CHECK(contains(out, "\"row\":3"));
  hl_free(out);

  CHECK(hl_customer_export(store, &supervisor, customer, &out, &err) == HL_EPERM);
  CHECK(err != NULL && contains(hl_error_message(err), "admin"));
  hl_error_free(err);
  err = NULL;
  CHECK(hl_customer_export(store, &admin, customer, &out, &err) == HL_OK);
  CHECK(contains(out, "Jana Novak"));
  hl_free(out);
  CHECK(hl_customer_erase(store, &admin, customer, &err) == HL_OK);
  CHECK(hl_customer_lookup_ani(store, &agent, "+49301234567", &out, &err) == HL_ENOTFOUND);
  CHECK(hl_audit_list(store, &admin, "{\"entity\": \"customer\"}", &out, &err) == HL_OK);
  CHECK(contains(out, "\"action\":\"erase\""));
  hl_free(out);
}

static void error_paths(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;

  CHECK(hl_ticket_create(store, &agent, "{\"subject\": ", &out, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "not valid JSON"));
  hl_error_free(err);
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"x\", \"priorty\": \"high\"}", &out,
                         &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.priorty: unknown field"));
  hl_error_free(err);
  CHECK(hl_ticket_get(store, 987654, &out, &err) == HL_ENOTFOUND);
  CHECK(contains(hl_error_message(err), "987654"));
  hl_error_free(err);
  CHECK(hl_ticket_set_status(store, &agent, 987654, "sideways", &out, &err) == HL_EINVAL);
  hl_error_free(err);
  CHECK(hl_customer_create(store, &agent, "{\"name\": \"X\", \"phones\": [\"12\"]}", &out, &err) ==
        HL_EINVAL);
  CHECK(contains(hl_error_message(err), "phones[0]"));
  hl_error_free(err);
  CHECK(hl_ticket_create(store, NULL, "{\"subject\": \"x\"}", &out, &err) == HL_EINVAL);
  hl_error_free(err);
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"x\"}", NULL, NULL) == HL_EINVAL);
  CHECK(hl_ticket_get(NULL, 1, &out, NULL) == HL_EINVAL);
  CHECK(out == NULL);
}

int main(void) {
  char dir[] = "/tmp/hotline-capi-XXXXXX";
  char config[1024], db[128], wal[160], shm[160];
  hl_store *store = NULL;
  hl_error *err = NULL;

  CHECK(hl_store_open(&store, "{\"backend\": \"memory\", \"default_region\": \"DE\"}", &err) ==
        HL_OK);
  whole_story(store);
  error_paths(store);
  hl_store_close(store);
  /* A closed handle is refused, not followed. */
  CHECK(hl_store_set_time(store, 1) == HL_EINVAL);
  hl_store_close(store);

  CHECK(mkdtemp(dir) != NULL);
  snprintf(db, sizeof db, "%s/hotline.db", dir);
  snprintf(config, sizeof config,
           "{\"backend\": \"sqlite\", \"path\": \"%s\", \"default_region\": \"DE\", "
           "\"sla\": {\"high\": {\"first_response_minutes\": 60, \"resolution_minutes\": 480}}}",
           db);
  CHECK(hl_store_open(&store, config, &err) == HL_OK);
  whole_story(store);
  error_paths(store);
  hl_store_close(store);

  CHECK(hl_store_open(&store, "{\"backend\": \"sqlite\"}", &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.path"));
  CHECK(store == NULL);
  hl_error_free(err);
  CHECK(hl_store_open(&store, "{\"backend\": \"memory\", \"sla\": {\"soon\": {}}}", &err) ==
        HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.sla.soon"));
  hl_error_free(err);

  snprintf(wal, sizeof wal, "%s-wal", db);
  snprintf(shm, sizeof shm, "%s-shm", db);
  unlink(db);
  unlink(wal);
  unlink(shm);
  rmdir(dir);
  return check_summary();
}
