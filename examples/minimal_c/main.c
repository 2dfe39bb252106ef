/*
 * minimal_c: the smallest complete host of the Hotline C ABI.
 *
 * It plays both sides a PBX would: it feeds the engine a call and an agent's
 * actions, stamped with its own clock, and carries out the commands the
 * engine polls back (here: by printing them and answering as a caller and an
 * agent would). A real switch maps "play" to its media server, "ring_agent"
 * to the agent's phone, "bridge" to connecting the legs, and so on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"support\", \"wrap_up_seconds\": 5}],"
    " \"agents\": [{\"id\": \"alice\", \"queues\": [\"support\"]}],"
    " \"flows\": [{\"id\": \"main\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:For support press 1.\"],"
    "              \"options\": {\"1\": \"queue\"}, \"fail\": \"bye\"},"
    "   \"queue\": {\"type\": \"queue\", \"queue\": \"support\", \"hold\": [\"moh.wav\"]},"
    "   \"bye\": {\"type\": \"hangup\", \"prompts\": [\"tts:Goodbye.\"]}}}]}";

static int64_t now_ms = 0;

static int fail(const char *what, hl_status status, hl_error *err) {
  fprintf(stderr, "%s: %s (%s)\n", what, err ? hl_error_message(err) : "", hl_status_str(status));
  hl_error_free(err);
  return 1;
}

/* Extracts a number after "key": in a command's JSON; enough for this host. */
static uint64_t field(const char *json, const char *key) {
  char pattern[64];
  const char *at;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  at = strstr(json, pattern);
  return at ? strtoull(at + strlen(pattern), NULL, 10) : 0;
}

static int is(const char *json, const char *kind) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"kind\":\"%s\"", kind);
  return strstr(json, pattern) != NULL;
}

/* Carries out every pending command; returns 1 once the caller hung up. */
static int run_commands(hl_engine *engine) {
  char *cmd = NULL;
  int ended = 0;
  while (hl_engine_poll_command(engine, &cmd) == HL_OK) {
    printf("%6.1fs  command %s\n", now_ms / 1000.0, cmd);
    if (is(cmd, "play") && !strstr(cmd, "\"loop\":true")) {
      now_ms += 2000; /* the prompt plays for two seconds */
      hl_engine_prompt_done(engine, "call-1", now_ms, NULL);
    } else if (is(cmd, "collect_digits")) {
      now_ms += 1000; /* the caller presses 1 */
      hl_engine_digit(engine, "call-1", '1', now_ms, NULL);
    } else if (is(cmd, "ring_agent")) {
      now_ms += 3000; /* alice picks up after three seconds */
      hl_engine_agent_answered(engine, field(cmd, "reservation"), now_ms, NULL);
    } else if (is(cmd, "bridge")) {
      now_ms += 45000; /* a 45-second conversation, then alice hangs up */
      hl_engine_agent_hung_up(engine, "call-1", now_ms, NULL);
    } else if (is(cmd, "hangup")) {
      ended = 1;
    }
    hl_free(cmd);
  }
  return ended;
}

int main(void) {
  hl_engine *engine = NULL;
  hl_error *err = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  hl_status st;
  char *note = NULL;
  int64_t deadline = 0;

  printf("libhotline %s\n", hl_version());
  st = hl_engine_create(&engine, kConfig, now_ms, &err);
  if (st != HL_OK) return fail("hl_engine_create", st, err);
  st = hl_engine_agent_login(engine, "alice", now_ms, &err);
  if (st != HL_OK) return fail("hl_engine_agent_login", st, err);

  call.call_id = "call-1";
  call.caller = "+15550100";
  call.dialled = "800";
  call.flow_id = "main";
  st = hl_engine_call_arrived(engine, &call, now_ms, &err);
  if (st != HL_OK) return fail("hl_engine_call_arrived", st, err);

  while (!run_commands(engine)) {}

  /* Let the wrap-up timer run out, as the host's timer would. */
  if (hl_engine_next_deadline(engine, &deadline) == HL_OK && deadline != INT64_MAX) {
    now_ms = deadline;
    hl_engine_advance(engine, now_ms, NULL);
  }
  while (hl_engine_poll_notification(engine, &note) == HL_OK) {
    if (strstr(note, "agent_state_changed")) printf("         agent   %s\n", note);
    hl_free(note);
  }
  hl_engine_destroy(engine);
  return 0;
}
