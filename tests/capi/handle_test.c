/* Handles: a destroyed engine's pointer stays refused even when a new engine
 * lands at the same memory, and hl_engine_destroy from inside a listener is
 * refused once, reported after the listener returns, without recursion. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}], \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

static void a_destroyed_handle_is_refused_after_its_memory_is_reused(void) {
  hl_engine *old = NULL;
  hl_engine *fresh[200];
  int i;
  int reused = 0;
  int64_t deadline = 0;
  char *json = NULL;
  CHECK(hl_engine_create(&old, kConfig, 0, NULL) == HL_OK);
  hl_engine_destroy(old);
  /* Create (and keep) many engines: whichever of them gets the destroyed
   * engine's memory, no new handle equals the old one. */
  for (i = 0; i < 200; ++i) {
    CHECK(hl_engine_create(&fresh[i], kConfig, 0, NULL) == HL_OK);
    if (fresh[i] == old) ++reused;
  }
  CHECK(reused == 0);
  CHECK(hl_engine_agent_login(old, "ann", 0, NULL) == HL_EINVAL);
  CHECK(hl_engine_next_deadline(old, &deadline) == HL_EINVAL);
  CHECK(hl_engine_poll_command(old, &json) == HL_EINVAL);
  CHECK(json == NULL);
  CHECK(hl_engine_post(old, "{\"event\": \"agent_login\", \"agent_id\": \"ann\"}", NULL) ==
        HL_EINVAL);
  CHECK(hl_engine_set_listener(old, NULL, NULL) == HL_EINVAL);
  hl_engine_destroy(old); /* ignored */
  /* The live engines are untouched by calls made through the old handle. */
  for (i = 0; i < 200; ++i) {
    CHECK(hl_engine_agent_login(fresh[i], "ann", 0, NULL) == HL_OK);
    hl_engine_destroy(fresh[i]);
  }
}

static void a_handle_from_one_engine_is_not_another(void) {
  hl_engine *a = NULL;
  hl_engine *b = NULL;
  CHECK(hl_engine_create(&a, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_create(&b, kConfig, 0, NULL) == HL_OK);
  CHECK(a != b);
  hl_engine_destroy(a);
  CHECK(hl_engine_agent_login(a, "ann", 0, NULL) == HL_EINVAL);
  CHECK(hl_engine_agent_login(b, "ann", 0, NULL) == HL_OK);
  hl_engine_destroy(b);
  /* A pointer the library never made. */
  {
    int not_an_engine = 0;
    CHECK(hl_engine_agent_login((hl_engine *)&not_an_engine, "ann", 0, NULL) == HL_EINVAL);
  }
}

typedef struct destroyer {
  hl_engine *engine;
  int calls;
  int depth;
  int max_depth;
  int refusals;
} destroyer;

static void destroy_from_listener(void *user, const char *json) {
  destroyer *d = user;
  ++d->calls;
  ++d->depth;
  if (d->depth > d->max_depth) d->max_depth = d->depth;
  if (strstr(json, "\"what\":\"hl_engine_destroy\"")) ++d->refusals;
  hl_engine_destroy(d->engine); /* refused: the engine is delivering */
  --d->depth;
}

static void destroy_inside_a_listener_is_refused_after_it_returns(void) {
  destroyer d;
  memset(&d, 0, sizeof d);
  CHECK(hl_engine_create(&d.engine, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_set_listener(d.engine, destroy_from_listener, &d) == HL_OK);
  CHECK(hl_engine_agent_login(d.engine, "ann", 0, NULL) == HL_OK);
  CHECK(d.max_depth == 1); /* never called from inside itself */
  CHECK(d.refusals >= 1);  /* the refusal was delivered, after the callback */
  CHECK(d.calls < 10);     /* and did not feed itself */
  /* The engine still works and can be destroyed from outside. */
  CHECK(hl_engine_agent_logout(d.engine, "ann", 1, NULL) == HL_OK);
  CHECK(d.max_depth == 1);
  hl_engine_destroy(d.engine);
  CHECK(hl_engine_agent_login(d.engine, "ann", 0, NULL) == HL_EINVAL);
}

int main(void) {
  a_destroyed_handle_is_refused_after_its_memory_is_reused();
  a_handle_from_one_engine_is_not_another();
  destroy_inside_a_listener_is_refused_after_it_returns();
  return check_summary();
}
