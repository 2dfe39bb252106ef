/* Posted events are checked field by field before they are queued, and an
 * event that still fails on the loop thread is reported as a host_error
 * while the loop goes on: a thread posts a thousand bad events, then a valid
 * call flow that must complete on the same running loop. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

/* Posts `json` and expects a refusal whose message contains `expected`. */
static void refused(hl_engine *e, const char *json, const char *expected) {
  hl_error *err = NULL;
  const hl_status st = hl_engine_post(e, json, &err);
  CHECK(st == HL_EINVAL);
  CHECK(err != NULL && strstr(hl_error_message(err), expected) != NULL);
  if (err && !strstr(hl_error_message(err), expected)) {
    fprintf(stderr, "  %s\n  -> %s\n", json, hl_error_message(err));
  }
  hl_error_free(err);
}

static void wrong_fields_are_refused_with_their_json_path(void) {
  hl_engine *e = NULL;
  char deep[400];
  int i;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  refused(e, "{\"event\": \"digit\", \"call_id\": 7, \"digit\": \"5\"}",
          "$.call_id: expected a string");
  refused(e, "{\"event\": \"agent_login\", \"agent_id\": null}", "$.agent_id: expected a string");
  refused(e, "{\"event\": \"agent_login\", \"agent_id\": [\"ann\"]}",
          "$.agent_id: expected a string");
  refused(e, "{\"event\": \"agent_answered\", \"reservation\": \"7\"}",
          "$.reservation: expected an unsigned integer");
  refused(e, "{\"event\": \"agent_answered\", \"reservation\": -7}",
          "$.reservation: expected an unsigned integer");
  refused(e, "{\"event\": \"agent_answered\", \"reservation\": 7.5}",
          "$.reservation: expected an unsigned integer");
  refused(e, "{\"event\": \"host_result\", \"request_id\": 1, \"ok\": 1}",
          "$.ok: expected true or false");
  refused(e, "{\"event\": \"digit\", \"call_id\": \"c\", \"digit\": \"55\"}",
          "$.digit: expected one DTMF key");
  refused(e, "{\"event\": \"digit\", \"call_id\": \"c\"}", "$.digit: missing");
  refused(e, "{\"event\": \"call_arrived\", \"call_id\": \"c\", \"customer\": 5}",
          "$.customer: expected an object");
  refused(e,
          "{\"event\": \"contact_arrived\", \"call_id\": \"c\","
          " \"priority\": 18446744073709551615}",
          "$.priority: expected an integer from -1000000 to 1000000");
  refused(e, "{\"event\": \"contact_arrived\", \"call_id\": \"c\", \"channel\": \"fax\"}",
          "$.channel: expected voice, chat, email or task");
  refused(e, "{\"event\": \"agent_login\", \"agent_id\": \"ann\", \"agnet\": 1}",
          "$.agnet: unknown field (expected one of: event, agent_id)");
  refused(e, "{\"event\": \"dance\"}", "$.event: unknown event (expected one of: call_arrived,");
  refused(e, "{\"call_id\": \"c\"}", "$.event: missing");
  refused(e, "[1, 2]", "$: expected an event object");
  refused(e, "{\"event\": \"digit\", \"call_id\": \"c\", ", "event_json");
  /* Nesting deeper than 64 levels is refused with the path where it was crossed. */
  strcpy(deep, "{\"event\": \"call_arrived\", \"call_id\": \"c\", \"customer\": ");
  for (i = 0; i < 70; ++i) strcat(deep, "[");
  for (i = 0; i < 70; ++i) strcat(deep, "]");
  strcat(deep, "}");
  refused(e, deep, "$.customer");
  /* Text that is not UTF-8 is refused with the field that carries it. */
  refused(e, "{\"event\": \"call_hung_up\", \"call_id\": \"\xff\xfe\"}", "event_json");
  refused(e, "{\"event\": \"agent_login\", \"agent_id\": \"\\ud800\"}", "event_json");
  /* The typed form is checked the same way, before anything is queued. */
  {
    hl_event ev = HL_EVENT_INIT;
    hl_error *err = NULL;
    ev.kind = (hl_event_kind)999;
    CHECK(hl_engine_post_event(e, &ev, &err) == HL_EINVAL);
    CHECK(err != NULL && strstr(hl_error_message(err), "event->kind") != NULL);
    hl_error_free(err);
    ev.kind = HL_EVENT_DIGIT;
    ev.call_id = "c1";
    ev.digit = 'x';
    CHECK(hl_engine_post_event(e, &ev, &err) == HL_EINVAL);
    CHECK(err != NULL && strstr(hl_error_message(err), "digit: expected one DTMF key") != NULL);
    hl_error_free(err);
    ev.kind = HL_EVENT_AGENT_LOGIN;
    CHECK(hl_engine_post_event(e, &ev, &err) == HL_EINVAL);
    CHECK(err != NULL && strcmp(hl_error_message(err), "agent_id is NULL") == 0);
    hl_error_free(err);
    ev.kind = HL_EVENT_CALL_ARRIVED;
    CHECK(hl_engine_post_event(e, &ev, &err) == HL_EINVAL);
    CHECK(err != NULL && strcmp(hl_error_message(err), "event->contact is NULL") == 0);
    hl_error_free(err);
    ev.size = 4;
    CHECK(hl_engine_post_event(e, &ev, NULL) == HL_EINVAL);
    CHECK(hl_engine_post_event(e, NULL, NULL) == HL_EINVAL);
  }
  hl_engine_destroy(e);
}

/* The running loop and what the listener saw. */
typedef struct flood {
  hl_engine *engine;
  int host_errors;
  int host_errors_by_call[3]; /* naming "nobody", naming "lost", naming no call */
  int refused_posts;
  int failing_posts;
  int completed;
} flood;

static void post_or_fail(hl_engine *e, const char *json) {
  hl_error *err = NULL;
  if (hl_engine_post(e, json, &err) != HL_OK) {
    fprintf(stderr, "post failed: %s\n", hl_error_message(err));
    CHECK(0);
  }
  hl_error_free(err);
}

static void on_notification(void *user, const char *json) {
  flood *f = user;
  char event[160];
  const char *at;
  if (strstr(json, "\"kind\":\"host_error\"")) {
    ++f->host_errors;
    if (strstr(json, "\"call_id\":\"nobody\"")) {
      ++f->host_errors_by_call[0];
    } else if (strstr(json, "\"call_id\":\"lost\"")) {
      ++f->host_errors_by_call[1];
    } else if (!strstr(json, "\"call_id\"")) {
      ++f->host_errors_by_call[2];
    }
  }
  if (!strstr(json, "\"call_id\":\"good\"")) return;
  if (strstr(json, "\"event\":\"offer\"") && (at = strstr(json, "\"reservation\":"))) {
    snprintf(event, sizeof event, "{\"event\": \"agent_answered\", \"reservation\": %llu}",
             strtoull(at + strlen("\"reservation\":"), NULL, 10));
    post_or_fail(f->engine, event);
  } else if (strstr(json, "\"event\":\"offer_accepted\"")) {
    post_or_fail(f->engine, "{\"event\": \"agent_hung_up\", \"call_id\": \"good\"}");
  } else if (strstr(json, "\"event\":\"contact_completed\"")) {
    ++f->completed;
    CHECK(hl_engine_stop(f->engine) == HL_OK);
  }
}

static void *poster(void *arg) {
  static const char *const malformed[] = {
      "{\"event\": \"digit\", \"call_id\": 7, \"digit\": \"5\"}",
      "{\"event\": \"agent_login\", \"agent_id\": null}",
      "{\"event\": \"agent_answered\", \"reservation\": \"7\"}",
      "{\"event\": \"agent_answered\", \"reservation\": -7}",
      "{\"event\": \"transfer\", \"call_id\": [], \"queue_id\": {}}",
      "{\"event\": \"call_arrived\", \"call_id\": \"x\", \"customer\": [1]}",
      "not json at all",
      "{\"event\": \"call_hung_up\", \"call_id\": \"\xc3\x28\"}",
  };
  static const char *const failing[] = {
      "{\"event\": \"digit\", \"call_id\": \"nobody\", \"digit\": \"5\"}",
      "{\"event\": \"agent_answered\", \"reservation\": 999999}",
      "{\"event\": \"agent_login\", \"agent_id\": \"ghost\"}",
      "{\"event\": \"call_arrived\", \"call_id\": \"lost\", \"queue_id\": \"nowhere\"}",
      "{\"event\": \"wrap_up_done\", \"call_id\": \"nobody\"}",
  };
  const size_t n_malformed = sizeof malformed / sizeof *malformed;
  const size_t n_failing = sizeof failing / sizeof *failing;
  flood *f = arg;
  int i;
  for (i = 0; i < 1000; ++i) {
    if (i % 2 == 0) {
      hl_error *err = NULL;
      if (hl_engine_post(f->engine, malformed[(size_t)i / 2 % n_malformed], &err) == HL_EINVAL) {
        ++f->refused_posts;
      }
      hl_error_free(err);
    } else {
      if (hl_engine_post(f->engine, failing[(size_t)i / 2 % n_failing], NULL) == HL_OK) {
        ++f->failing_posts;
      }
    }
  }
  /* The valid flow starts with typed posts: checked and copied at once. */
  {
    hl_event login = HL_EVENT_INIT;
    hl_event arrival = HL_EVENT_INIT;
    hl_contact call = HL_CONTACT_INIT;
    char agent[8];
    strcpy(agent, "ann");
    login.kind = HL_EVENT_AGENT_LOGIN;
    login.agent_id = agent;
    CHECK(hl_engine_post_event(f->engine, &login, NULL) == HL_OK);
    strcpy(agent, "xxx"); /* the posted event kept its own copy */
    call.id = "good";
    call.queue_id = "sales";
    arrival.kind = HL_EVENT_CALL_ARRIVED;
    arrival.contact = &call;
    CHECK(hl_engine_post_event(f->engine, &arrival, NULL) == HL_OK);
  }
  return NULL;
}

static void a_thousand_bad_posts_do_not_stop_the_loop(void) {
  flood f;
  pthread_t thread;
  hl_error *err = NULL;
  memset(&f, 0, sizeof f);
  CHECK(hl_engine_create(&f.engine, kConfig, hl_engine_now(), NULL) == HL_OK);
  CHECK(hl_engine_set_listener(f.engine, on_notification, &f) == HL_OK);
  CHECK(pthread_create(&thread, NULL, poster, &f) == 0);
  CHECK(hl_engine_run(f.engine, &err) == HL_OK);
  CHECK(err == NULL);
  hl_error_free(err);
  pthread_join(thread, NULL);
  CHECK(f.refused_posts == 500);
  CHECK(f.failing_posts == 500);
  CHECK(f.host_errors == 500); /* every failure reported, none fatal */
  /* Each names the call its event was about, so the host knows which call
   * the engine refused: digit and wrap_up_done for "nobody", the arrival of
   * "lost"; agent_answered and agent_login are about no call. */
  CHECK(f.host_errors_by_call[0] == 200);
  CHECK(f.host_errors_by_call[1] == 100);
  CHECK(f.host_errors_by_call[2] == 200);
  CHECK(f.completed == 1);     /* the valid call went through after them */
  hl_engine_destroy(f.engine);
}

int main(void) {
  wrong_fields_are_refused_with_their_json_path();
  a_thousand_bad_posts_do_not_stop_the_loop();
  return check_summary();
}
