/*
 * minimal_c: the smallest complete host of the Hotline C ABI.
 *
 * A PBX links Hotline and gives it a telephony vtable: the engine calls
 * play, collect_digits, ring_agent, bridge... when a call needs something,
 * and the switch reports back what happened (a prompt ended, a key was
 * pressed, the agent picked up) with hl_engine_post, from whatever thread
 * its own events arrive on. Here the "switch" just prints each request and
 * answers the way a caller and an agent would. The engine runs its own
 * libuv loop (hl_engine_run); a host with a loop of its own would call
 * hl_engine_attach instead.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"support\", \"wrap_up_seconds\": 1}],"
    " \"agents\": [{\"id\": \"alice\", \"queues\": [\"support\"]}],"
    " \"flows\": [{\"id\": \"main\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:For support press 1.\"],"
    "              \"options\": {\"1\": \"queue\"}, \"fail\": \"bye\"},"
    "   \"queue\": {\"type\": \"queue\", \"queue\": \"support\", \"hold\": [\"moh.wav\"]},"
    "   \"bye\": {\"type\": \"hangup\", \"prompts\": [\"tts:Goodbye.\"]}}}]}";

static hl_engine *engine;

/* The switch reports an event, as JSON (see hotline/runtime.h). */
static void report(const char *json) {
  hl_error *err = NULL;
  if (hl_engine_post(engine, json, &err) != HL_OK) {
    fprintf(stderr, "post: %s\n", hl_error_message(err));
    hl_error_free(err);
  }
}

/* ---- the telephony vtable: what the engine asks of the switch ---- */

static int answer(void *user, const char *call) {
  (void)user;
  printf("switch: answer %s\n", call);
  return HL_OK;
}

static int play(void *user, const char *call, const char *prompts, int barge_in, int loop) {
  char event[128];
  (void)user;
  (void)barge_in;
  printf("switch: play %s to %s%s\n", prompts, call, loop ? " (on hold, looping)" : "");
  if (!loop) { /* the media server reports the end of the prompt */
    snprintf(event, sizeof event, "{\"event\": \"prompt_done\", \"call_id\": \"%s\"}", call);
    report(event);
  }
  return HL_OK;
}

static int collect_digits(void *user, const char *call, int min, int max, char terminator) {
  char event[128];
  (void)user;
  (void)terminator;
  printf("switch: collect %d-%d digits on %s; the caller presses 1\n", min, max, call);
  snprintf(event, sizeof event, "{\"event\": \"digit\", \"call_id\": \"%s\", \"digit\": \"1\"}",
           call);
  report(event);
  return HL_OK;
}

static int ring_agent(void *user, const char *call, const char *agent, uint64_t reservation) {
  char event[128];
  (void)user;
  printf("switch: ring %s's phone for %s; %s picks up\n", agent, call, agent);
  snprintf(event, sizeof event, "{\"event\": \"agent_answered\", \"reservation\": %" PRIu64 "}",
           reservation);
  report(event);
  return HL_OK;
}

static int bridge(void *user, const char *call, const char *agent) {
  char event[128];
  (void)user;
  printf("switch: connect %s to %s; they talk, then hang up\n", call, agent);
  snprintf(event, sizeof event, "{\"event\": \"agent_hung_up\", \"call_id\": \"%s\"}", call);
  report(event);
  return HL_OK;
}

static int hangup(void *user, const char *call) {
  (void)user;
  printf("switch: hang up %s\n", call);
  return HL_OK;
}

/* ---- notifications: what happened, for screens and reports ---- */

static void on_notification(void *user, const char *json) {
  (void)user;
  if (strstr(json, "\"event\":\"agent_state_changed\"")) printf("engine: %s\n", json);
  if (strstr(json, "\"event\":\"wrap_up_ended\"")) hl_engine_stop(engine); /* demo over */
}

int main(void) {
  hl_error *err = NULL;
  hl_telephony telephony;
  char *stats = NULL;

  memset(&telephony, 0, sizeof telephony);
  telephony.version = HL_TELEPHONY_VERSION;
  telephony.answer = answer;
  telephony.play = play;
  telephony.collect_digits = collect_digits;
  telephony.ring_agent = ring_agent;
  telephony.bridge = bridge;
  telephony.hangup = hangup; /* NULL entries stay queued for hl_engine_poll_command */

  if (hl_engine_create(&engine, kConfig, hl_engine_now(), &err) != HL_OK ||
      hl_engine_set_telephony(engine, &telephony, &err) != HL_OK) {
    fprintf(stderr, "hotline: %s\n", hl_error_message(err));
    hl_error_free(err);
    return 1;
  }
  hl_engine_set_listener(engine, on_notification, NULL);

  /* An agent logs in and a call arrives; these wait for the loop to start. */
  report("{\"event\": \"agent_login\", \"agent_id\": \"alice\"}");
  report("{\"event\": \"call_arrived\", \"call_id\": \"call-1\", \"caller\": \"+4930123456\","
         " \"flow_id\": \"main\"}");
  if (hl_engine_run(engine, &err) != HL_OK) {
    fprintf(stderr, "run: %s\n", hl_error_message(err));
    hl_error_free(err);
    return 1;
  }

  if (hl_engine_stats(engine, hl_engine_now(), &stats, NULL) == HL_OK) {
    printf("stats: %s\n", stats);
    hl_free(stats);
  }
  hl_engine_destroy(engine);
  return 0;
}
