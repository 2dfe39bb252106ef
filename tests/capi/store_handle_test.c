/* Store handles: a closed store's pointer stays refused even when a new
 * store lands at the same memory, and a store handle is not an engine
 * handle (nor the other way round). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const hl_actor agent = {"alice", HL_ROLE_AGENT};
static const char *kMemory = "{\"backend\": \"memory\"}";

/* Whether the call refused the handle; `*err` is read (and freed) after the
 * call, since both are arguments of this one. */
static int refused_as_closed(hl_status status, hl_error **err) {
  int ok = status == HL_EINVAL && *err != NULL &&
           strstr(hl_error_message(*err), "store handle is NULL or closed") != NULL;
  hl_error_free(*err);
  *err = NULL;
  return ok;
}

static void a_closed_store_is_refused_after_its_memory_is_reused(void) {
  hl_store *old = NULL;
  hl_store *fresh[100];
  hl_error *err = NULL;
  char *out = NULL;
  int i;
  int reused = 0;
  CHECK(hl_store_open(&old, kMemory, NULL) == HL_OK);
  CHECK(hl_customer_create(old, &agent, "{\"name\": \"Old\"}", &out, NULL) == HL_OK);
  hl_free(out);
  out = NULL;
  hl_store_close(old);
  /* Open (and keep) many stores: whichever of them gets the closed store's
   * memory, no new handle equals the old one. */
  for (i = 0; i < 100; ++i) {
    CHECK(hl_store_open(&fresh[i], kMemory, NULL) == HL_OK);
    if (fresh[i] == old) ++reused;
  }
  CHECK(reused == 0);
  CHECK(refused_as_closed(hl_customer_create(old, &agent, "{\"name\": \"Ghost\"}", &out, &err),
                          &err));
  CHECK(out == NULL);
  CHECK(refused_as_closed(hl_ticket_get(old, 1, &out, &err), &err));
  CHECK(out == NULL);
  CHECK(refused_as_closed(
      hl_customer_record_contact(old, "{\"customer\": 1, \"channel\": \"voice\"}", &err), &err));
  CHECK(refused_as_closed(hl_customer_erase(old, &agent, 1, &err), &err));
  CHECK(hl_store_set_time(old, 1000) == HL_EINVAL);
  hl_store_close(old); /* ignored */
  /* The live stores are untouched by calls made through the old handle:
   * each holds no customer, and works. */
  for (i = 0; i < 100; ++i) {
    CHECK(hl_customer_create(fresh[i], &agent, "{\"name\": \"New\"}", &out, NULL) == HL_OK);
    CHECK(out != NULL && strstr(out, "\"id\":1") != NULL);
    hl_free(out);
    out = NULL;
    hl_store_close(fresh[i]);
  }
}

static void a_store_handle_is_not_an_engine_handle(void) {
  hl_store *store = NULL;
  hl_engine *engine = NULL;
  hl_error *err = NULL;
  char *out = NULL;
  CHECK(hl_store_open(&store, kMemory, NULL) == HL_OK);
  CHECK(hl_engine_create(&engine, "{\"queues\": [{\"id\": \"sales\"}]}", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login((hl_engine *)store, "ann", 0, NULL) == HL_EINVAL);
  CHECK(refused_as_closed(hl_ticket_get((hl_store *)engine, 1, &out, &err), &err));
  CHECK(out == NULL);
  hl_store_close((hl_store *)engine); /* not a store: ignored, the engine lives on */
  hl_engine_destroy((hl_engine *)store); /* not an engine: ignored, the store lives on */
  CHECK(hl_store_set_time(store, 1000) == HL_OK);
  CHECK(hl_engine_next_deadline(engine, &(int64_t){0}) == HL_OK);
  /* A pointer the library never made. */
  {
    int not_a_store = 0;
    CHECK(hl_store_set_time((hl_store *)&not_a_store, 1000) == HL_EINVAL);
    hl_store_close((hl_store *)&not_a_store); /* ignored */
  }
  hl_engine_destroy(engine);
  hl_store_close(store);
}

int main(void) {
  a_closed_store_is_refused_after_its_memory_is_reused();
  a_store_handle_is_not_an_engine_handle();
  return check_summary();
}
