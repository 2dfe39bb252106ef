/* Tickets and customers through the C ABI, on a real SQLite file and in
 * memory, with the error paths a host meets. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const hl_actor agent = {"alice", HL_ROLE_AGENT};
static const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
static const hl_actor admin = {"ada", HL_ROLE_ADMIN};

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
  CHECK(contains(out, "\"snippet\":\"Card [blocked] abroad\""));
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

/* Chinese text and names: tickets by a word inside a run of characters with
 * the match marked in the snippet, customers by the pinyin of their name. */
static void search_in_chinese(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  long long zhang;

  CHECK(hl_customer_create(store, &agent, "{\"name\": \"张三\", \"phones\": [\"030 7777777\"]}",
                           &out, &err) == HL_OK);
  zhang = json_int(out, "id");
  hl_free(out);
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"订单号A123退款\"}", &out, &err) ==
        HL_OK);
  hl_free(out);

  CHECK(hl_ticket_search(store, "退款", 10, &out, &err) == HL_OK);
  CHECK(contains(out, "\"snippet\":\"订单号A123[退款]\""));
  hl_free(out);
  CHECK(hl_customer_search(store, &agent, "zhangsan", 10, &out, &err) == HL_OK);
  CHECK(json_int(out, "id") == zhang);
  hl_free(out);
  CHECK(hl_customer_search(store, &agent, "wangwu", 10, &out, &err) == HL_OK);
  CHECK(out != NULL && strcmp(out, "[]") == 0);
  hl_free(out);
  /* Refused like every other call: no text, no actor. */
  CHECK(hl_customer_search(store, &agent, NULL, 10, &out, &err) == HL_EINVAL);
  CHECK(out == NULL);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_customer_search(store, NULL, "zhangsan", 10, &out, &err) == HL_EINVAL);
  hl_error_free(err);
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
  /* A NUL the JSON spelled as \u0000 is quoted back escaped, so the C string
   * still names the whole key. */
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"x\", \"pri\\u0000orty\": \"high\"}", &out,
                         &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.pri\\u0000orty: unknown field"));
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

/* Bytes that are not UTF-8 are refused at the door, and nothing is written:
 * the ticket reads, lists and searches as before, for everyone. */
static void untrusted_text(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  long long ticket;
  const hl_actor latin1_actor = {"b\xe9" "atrice", HL_ROLE_AGENT};

  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"Printer smoking\"}", &out, &err) ==
        HL_OK);
  ticket = json_int(out, "id");
  hl_free(out);
  CHECK(hl_ticket_assign(store, &agent, ticket, "jos\xe9", &out, &err) == HL_EINVAL);
  CHECK(out == NULL);
  CHECK(err != NULL && strcmp(hl_error_message(err), "assignee: not valid UTF-8 (byte 3)") == 0);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_ticket_add_note(store, &latin1_actor, ticket, "hello", 0, &out, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "actor id: not valid UTF-8"));
  hl_error_free(err);
  err = NULL;

  CHECK(hl_ticket_get(store, ticket, &out, &err) == HL_OK);
  CHECK(contains(out, "\"assignee\":\"\""));
  hl_free(out);
  CHECK(hl_ticket_list(store, "{}", &out, &err) == HL_OK);
  CHECK(contains(out, "Printer smoking"));
  hl_free(out);
  CHECK(hl_ticket_search(store, "smoking", 10, &out, &err) == HL_OK);
  CHECK(contains(out, "Printer smoking"));
  hl_free(out);
  CHECK(hl_ticket_history(store, ticket, &out, &err) == HL_OK);
  CHECK(!contains(out, "\"field\":\"assignee\""));
  hl_free(out);

  /* A Latin-1 CSV row: refused with its row and column, the others import. */
  CHECK(hl_customer_import_csv(store, &supervisor,
                               "name,phone\nMar\xed" "a,+49 30 4444444\nMaria,+49 30 5555555\n",
                               NULL, &out, &err) == HL_OK);
  CHECK(json_int(out, "created") == 1);
  CHECK(contains(out, "\"row\":2"));
  CHECK(contains(out, "column 1 ('name'): not valid UTF-8 (byte 3)"));
  hl_free(out);
  CHECK(hl_customer_lookup_ani(store, &agent, "+49304444444", &out, &err) == HL_ENOTFOUND);
  CHECK(hl_customer_lookup_ani(store, &agent, "+49305555555", &out, &err) == HL_OK);
  CHECK(contains(out, "Maria"));
  hl_free(out);
}

/* JSON at the door: depth bounded, types checked, unknown keys listed. */
static void strict_json(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  char deep[2200];
  int i, n = 0;

  n += sprintf(deep + n, "{\"name\": \"X\", \"attributes\": {\"a\": ");
  for (i = 0; i < 1000; ++i) deep[n++] = '[';
  for (i = 0; i < 1000; ++i) deep[n++] = ']';
  n += sprintf(deep + n, "}}");
  CHECK(hl_customer_create(store, &agent, deep, &out, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "customer_json: nested deeper than 64 levels at $"));
  hl_error_free(err);
  err = NULL;

  CHECK(hl_ticket_create(store, &agent, "{\"subject\": 42}", &out, &err) == HL_EINVAL);
  CHECK(err != NULL && strcmp(hl_error_message(err), "$.subject: expected a string") == 0);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"x\", \"customer\": \"7\"}", &out,
                         &err) == HL_EINVAL);
  CHECK(err != NULL && strcmp(hl_error_message(err), "$.customer: expected an integer") == 0);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_ticket_list(store, "{\"customer\": 18446744073709551615}", &out, &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.customer: expected an integer that fits in 64 bits"));
  hl_error_free(err);
  err = NULL;
  CHECK(hl_follow_up_list(store, "{\"ticket\": 1, \"due\": 5}", &out, &err) == HL_EINVAL);
  CHECK(err != NULL && strcmp(hl_error_message(err),
                              "$.due: unknown field (expected one of: ticket, status, assignee, "
                              "due_before, limit)") == 0);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"x\",\n \"group\": }", &out, &err) ==
        HL_EINVAL);
  CHECK(contains(hl_error_message(err), "ticket_json: not valid JSON"));
  CHECK(contains(hl_error_message(err), "line 2"));
  hl_error_free(err);
  err = NULL;
  /* "Everything due from now to the end of time" is answered, not overflowed. */
  CHECK(hl_ticket_sla_alerts(store, INT64_MAX, &out, &err) == HL_OK);
  hl_free(out);
}

/* A supervisor's update (even an empty one) hands sensitive fields out only
 * with a read-sensitive audit record. */
static void audited_update(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  long long customer;
  char query[96];

  CHECK(hl_customer_create(store, &supervisor,
                           "{\"name\": \"Eva\", \"national_id\": \"X123456789\"}", &out,
                           &err) == HL_OK);
  customer = json_int(out, "id");
  hl_free(out);
  CHECK(hl_customer_update(store, &supervisor, customer, "{}", &out, &err) == HL_OK);
  CHECK(contains(out, "X123456789"));
  hl_free(out);
  snprintf(query, sizeof query, "{\"entity_id\": %lld}", customer);
  CHECK(hl_audit_list(store, &admin, query, &out, &err) == HL_OK);
  CHECK(contains(out, "\"action\":\"read-sensitive\""));
  hl_free(out);
  CHECK(hl_customer_update(store, &agent, customer, "{}", &out, &err) == HL_OK);
  CHECK(contains(out, "****6789"));
  CHECK(!contains(out, "X123456789"));
  hl_free(out);
}

/* The store's clock runs from 1970 to the last day of the year 9999: past it a
 * ticket number's four-digit year would wrap. */
static void clock_range(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  const int64_t last_day_of_9999 = 253402214400000LL;
  CHECK(hl_store_set_time(store, INT64_MAX) == HL_EINVAL);
  CHECK(hl_store_set_time(store, last_day_of_9999 + 1) == HL_EINVAL);
  CHECK(hl_store_set_time(store, -1) == HL_EINVAL);
  CHECK(hl_store_set_time(store, last_day_of_9999) == HL_OK);
  CHECK(hl_ticket_create(store, &agent, "{\"subject\": \"Far future\"}", &out, &err) == HL_OK);
  CHECK(contains(out, "\"number\":\"T-9999-000001\""));
  hl_free(out);
  CHECK(hl_store_set_time(store, 0) == HL_OK); /* back to the system clock */
}

int main(void) {
  char dir[] = "/tmp/hotline-capi-XXXXXX";
  char config[1024], db[128], wal[160], shm[160];
  hl_store *store = NULL;
  hl_error *err = NULL;

  CHECK(hl_store_open(&store, "{\"backend\": \"memory\", \"default_region\": \"DE\"}", &err) ==
        HL_OK);
  whole_story(store);
  search_in_chinese(store);
  error_paths(store);
  untrusted_text(store);
  strict_json(store);
  audited_update(store);
  clock_range(store);
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
  search_in_chinese(store);
  error_paths(store);
  untrusted_text(store);
  strict_json(store);
  audited_update(store);
  hl_store_close(store);

  /* Minutes that would overflow int64 when turned into milliseconds. */
  CHECK(hl_store_open(&store,
                      "{\"backend\": \"memory\", \"sla\": {\"urgent\": "
                      "{\"resolution_minutes\": 9223372036854775807}}}",
                      &err) == HL_EINVAL);
  CHECK(store == NULL);
  CHECK(contains(hl_error_message(err), "$.sla.urgent.resolution_minutes: expected 0 to"));
  hl_error_free(err);
  CHECK(hl_store_open(&store, "{\"backend\": \"memory\", \"recovery_due_minutes\": -1}",
                      &err) == HL_EINVAL);
  CHECK(contains(hl_error_message(err), "$.recovery_due_minutes"));
  hl_error_free(err);

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
