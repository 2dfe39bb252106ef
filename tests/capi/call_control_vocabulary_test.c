/* The live call control vocabulary at the C ABI, apart from what the engine
 * does with it: an hl_event built against the first, smaller header still
 * works (the fields it lacks are absent, never read), every one-call
 * function reads its own fields, and hl_command_to_json writes the new
 * command kinds' fields. The first-size structs are allocated at exactly
 * that size, so a read past their end is caught by the address sanitizer. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}]}";

/* hl_event as the first header declared it: it ended at `contact`. A host
 * built against that header hands the library one of these. */
typedef struct event_v1 {
  uint32_t size;
  hl_event_kind kind;
  const char *call_id;
  const char *agent_id;
  const char *queue_id;
  const char *reason;
  const char *recording;
  char digit;
  uint64_t reservation;
  uint64_t request_id;
  int ok;
  const char *result_json;
  const hl_contact *contact;
} event_v1;
#define FIRST_EVENT_SIZE offsetof(hl_event, leg)

/* hl_command as the first header declared it: it ended at `args_json`. */
typedef struct command_v1 {
  uint32_t size;
  hl_command_kind kind;
  int64_t time;
  const char *call_id;
  const char *agent_id;
  const char *queue_id;
  uint64_t reservation;
  uint64_t request_id;
  const char *prompts_json;
  int barge_in;
  int loop;
  int min_digits;
  int max_digits;
  char terminator;
  char finish_key;
  int64_t max_ms;
  const char *target;
  const char *function;
  const char *args_json;
} command_v1;
#define FIRST_COMMAND_SIZE offsetof(hl_command, leg)

static hl_engine *new_engine(void) {
  hl_engine *e = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  return e;
}

/* The message of a refused call, or "" (the error freed). */
static void message_of(hl_error *err, char *out, size_t size) {
  out[0] = '\0';
  if (err) {
    strncpy(out, hl_error_message(err), size - 1);
    out[size - 1] = '\0';
  }
  hl_error_free(err);
}

static void a_first_size_event_still_applies(void) {
  hl_engine *e = new_engine();
  event_v1 *old = calloc(1, sizeof *old);
  hl_error *err = NULL;
  old->size = (uint32_t)FIRST_EVENT_SIZE;
  old->kind = HL_EVENT_AGENT_LOGIN;
  old->agent_id = "ann";
  CHECK(hl_engine_apply_event(e, (const hl_event *)old, 0, &err) == HL_OK);
  CHECK(err == NULL);
  hl_error_free(err);
  free(old);
  hl_engine_destroy(e);
}

static void a_first_size_event_lacks_the_new_fields(void) {
  hl_engine *e = new_engine();
  event_v1 *old = calloc(1, sizeof *old);
  hl_error *err = NULL;
  char message[256];
  old->size = (uint32_t)FIRST_EVENT_SIZE;
  old->kind = HL_EVENT_LEG_ANSWERED; /* needs `leg`, which this size has not */
  old->call_id = "c1";
  CHECK(hl_engine_apply_event(e, (const hl_event *)old, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "leg is absent"));
  CHECK(contains(message, "event->size"));
  free(old);
  hl_engine_destroy(e);
}

static void a_first_size_event_reads_no_optional_field_past_its_end(void) {
  hl_engine *e = new_engine();
  event_v1 *old = calloc(1, sizeof *old);
  hl_error *err = NULL;
  char message[256];
  old->size = (uint32_t)FIRST_EVENT_SIZE;
  old->kind = HL_EVENT_CONSULT; /* agent_id is there; target, past the end, is absent */
  old->call_id = "c1";
  old->agent_id = "ann";
  /* The fields read (the sanitizer sees no read past the allocation); the
   * engine then finds no call c1. */
  CHECK(hl_engine_apply_event(e, (const hl_event *)old, 0, &err) == HL_ENOTFOUND);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "c1"));
  free(old);
  hl_engine_destroy(e);
}

static void an_event_smaller_than_the_first_size_is_refused(void) {
  hl_engine *e = new_engine();
  hl_event ev = HL_EVENT_INIT;
  hl_error *err = NULL;
  char message[256];
  ev.size = (uint32_t)offsetof(hl_event, contact);
  ev.kind = HL_EVENT_AGENT_LOGIN;
  ev.agent_id = "ann";
  CHECK(hl_engine_apply_event(e, &ev, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "event->size"));
  hl_engine_destroy(e);
}

static void each_call_control_function_names_its_missing_field(void) {
  hl_engine *e = new_engine();
  hl_error *err = NULL;
  char message[256];

  CHECK(hl_engine_hold(e, NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "call_id is NULL"));
  err = NULL;
  CHECK(hl_engine_resume(e, NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "call_id is NULL"));
  err = NULL;
  CHECK(hl_engine_leg_answered(e, "c1", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "leg is NULL"));
  err = NULL;
  CHECK(hl_engine_leg_ended(e, "c1", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "leg is NULL"));
  err = NULL;
  CHECK(hl_engine_conference_drop(e, "c1", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "leg is NULL"));
  err = NULL;
  CHECK(hl_engine_mute(e, "c1", NULL, 1, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "leg is NULL"));
  err = NULL;
  CHECK(hl_engine_wrap_up_code(e, "c1", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "code is NULL"));
  err = NULL;
  CHECK(hl_engine_supervise(e, "c1", NULL, "whisper", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "supervisor is NULL"));
  err = NULL;
  CHECK(hl_engine_supervise(e, "c1", "sue", NULL, NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "mode is NULL"));
  err = NULL;
  CHECK(hl_engine_force_release(e, "c1", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "supervisor is NULL"));
  err = NULL;
  CHECK(hl_engine_force_not_ready(e, NULL, "sue", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "agent_id is NULL"));
  err = NULL;
  CHECK(hl_engine_force_logout(e, "ann", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "supervisor is NULL"));
  err = NULL;
  CHECK(hl_engine_recording_control(e, "c1", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "action is NULL"));
  err = NULL;
  CHECK(hl_engine_consult(e, NULL, "bob", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "call_id is NULL"));
  err = NULL;
  CHECK(hl_engine_supervise(e, "c1", "sue", "whisper\xff", NULL, 0, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "mode"));
  CHECK(contains(message, "UTF-8"));
  hl_engine_destroy(e);
}

/* Posts `json` and expects a refusal whose message is exactly `expected`. */
static void post_refused(hl_engine *e, const char *json, const char *expected) {
  hl_error *err = NULL;
  char message[256];
  CHECK(hl_engine_post(e, json, &err) == HL_EINVAL);
  message_of(err, message, sizeof message);
  CHECK(strcmp(message, expected) == 0);
  if (strcmp(message, expected) != 0) fprintf(stderr, "  %s\n  -> %s\n", json, message);
}

static void posted_call_control_json_is_checked_by_its_json_path(void) {
  hl_engine *e = new_engine();
  post_refused(e, "{\"event\": \"supervise\", \"call_id\": \"c1\", \"supervisor\": \"sue\","
               " \"mdoe\": \"whisper\"}",
               "$.mdoe: unknown field (expected one of: event, call_id, supervisor, mode, leg)");
  post_refused(e, "{\"event\": \"mute\", \"call_id\": \"c1\", \"leg\": \"c1\", \"muted\": 1}",
               "$.muted: expected true or false");
  post_refused(e, "{\"event\": \"leg_answered\", \"call_id\": \"c1\"}", "$.leg: missing");
  post_refused(e, "{\"event\": \"consult\", \"call_id\": \"c1\", \"target\": 5}",
               "$.target: expected a string");
  hl_engine_destroy(e);
}

static void the_new_event_kinds_have_their_json_names(void) {
  CHECK(strcmp(hl_event_kind_name(HL_EVENT_HOLD), "hold") == 0);
  CHECK(strcmp(hl_event_kind_name(HL_EVENT_LEG_ANSWERED), "leg_answered") == 0);
  CHECK(strcmp(hl_event_kind_name(HL_EVENT_SUPERVISE), "supervise") == 0);
  CHECK(strcmp(hl_event_kind_name(HL_EVENT_RECORDING_CONTROL), "recording_control") == 0);
  CHECK(hl_event_kind_name((hl_event_kind)(HL_EVENT_RECORDING_CONTROL + 1)) == NULL);
  CHECK(strcmp(hl_command_kind_name(HL_COMMAND_HOLD), "hold") == 0);
  CHECK(strcmp(hl_command_kind_name(HL_COMMAND_DIAL), "dial") == 0);
  CHECK(strcmp(hl_command_kind_name(HL_COMMAND_MIX), "mix") == 0);
  CHECK(strcmp(hl_command_kind_name(HL_COMMAND_RECORD_CONTROL), "record_control") == 0);
  CHECK(hl_command_kind_name((hl_command_kind)(HL_COMMAND_RECORD_CONTROL + 1)) == NULL);
}

static hl_command blank_command(hl_command_kind kind) {
  hl_command c;
  memset(&c, 0, sizeof c);
  c.size = sizeof c;
  c.kind = kind;
  c.time = 5;
  c.call_id = "c1";
  c.agent_id = "";
  c.queue_id = "";
  c.prompts_json = "[]";
  c.target = "";
  c.function = "";
  c.args_json = "{}";
  c.leg = "";
  c.mix_json = "{}";
  c.action = "";
  return c;
}

static char *to_json(const hl_command *c, hl_status expected) {
  char *json = NULL;
  CHECK(hl_command_to_json(c, &json, NULL) == expected);
  return json;
}

static void call_control_commands_turn_into_their_json(void) {
  hl_command c = blank_command(HL_COMMAND_HOLD);
  char *json;
  c.prompts_json = "[{\"audio\":\"moh.wav\"}]";
  json = to_json(&c, HL_OK);
  CHECK(contains(json, "\"kind\":\"hold\""));
  CHECK(contains(json, "\"prompts\":[{\"audio\":\"moh.wav\"}]"));
  hl_free(json);

  c = blank_command(HL_COMMAND_DIAL);
  c.leg = "sue";
  c.agent_id = "sue";
  json = to_json(&c, HL_OK);
  CHECK(contains(json, "\"kind\":\"dial\""));
  CHECK(contains(json, "\"leg\":\"sue\""));
  CHECK(contains(json, "\"agent_id\":\"sue\""));
  hl_free(json);

  c = blank_command(HL_COMMAND_MIX);
  c.mix_json = "{\"legs\":{\"c1\":[\"ann\"],\"ann\":[\"c1\",\"sue\"],\"sue\":[\"c1\",\"ann\"]}}";
  json = to_json(&c, HL_OK);
  CHECK(contains(json, "\"mix\":{\"legs\":{"));
  CHECK(contains(json, "\"ann\":[\"c1\",\"sue\"]"));
  hl_free(json);

  c = blank_command(HL_COMMAND_RECORD_CONTROL);
  c.action = "pause";
  json = to_json(&c, HL_OK);
  CHECK(contains(json, "\"action\":\"pause\""));
  hl_free(json);

  c = blank_command(HL_COMMAND_HANGUP_LEG);
  c.leg = "c1:1";
  json = to_json(&c, HL_OK);
  CHECK(contains(json, "\"kind\":\"hangup_leg\""));
  CHECK(contains(json, "\"leg\":\"c1:1\""));
  hl_free(json);
}

static void a_mix_that_is_not_json_is_refused_by_name(void) {
  hl_command c = blank_command(HL_COMMAND_MIX);
  hl_error *err = NULL;
  char *json = NULL;
  char message[256];
  c.mix_json = "{\"legs\": ";
  CHECK(hl_command_to_json(&c, &json, &err) == HL_EINVAL);
  CHECK(json == NULL);
  message_of(err, message, sizeof message);
  CHECK(contains(message, "command->mix_json"));
  /* NULL, like the other strings of a host-built command, is empty. */
  c.mix_json = NULL;
  CHECK(hl_command_to_json(&c, &json, NULL) == HL_OK);
  CHECK(contains(json, "\"mix\":{}"));
  hl_free(json);
}

static void a_first_size_command_still_turns_into_json(void) {
  hl_command full = blank_command(HL_COMMAND_PLAY);
  command_v1 *old = calloc(1, sizeof *old);
  char *json;
  full.prompts_json = "[{\"tts\":\"hello\"}]";
  memcpy(old, &full, sizeof *old);
  old->size = (uint32_t)FIRST_COMMAND_SIZE;
  json = to_json((const hl_command *)old, HL_OK);
  CHECK(contains(json, "\"kind\":\"play\""));
  CHECK(contains(json, "hello"));
  CHECK(!contains(json, "\"leg\""));
  hl_free(json);
  /* A mix needs mix_json, which that size lacks. */
  old->kind = HL_COMMAND_MIX;
  CHECK(to_json((const hl_command *)old, HL_EINVAL) == NULL);
  free(old);
}

/* The mirrors above are the first headers' layouts, byte for byte. */
static void the_first_layouts_end_where_the_new_fields_begin(void) {
  CHECK(sizeof(event_v1) == FIRST_EVENT_SIZE);
  CHECK(sizeof(command_v1) == FIRST_COMMAND_SIZE);
}

int main(void) {
  the_first_layouts_end_where_the_new_fields_begin();
  a_first_size_event_still_applies();
  a_first_size_event_lacks_the_new_fields();
  a_first_size_event_reads_no_optional_field_past_its_end();
  an_event_smaller_than_the_first_size_is_refused();
  each_call_control_function_names_its_missing_field();
  posted_call_control_json_is_checked_by_its_json_path();
  the_new_event_kinds_have_their_json_names();
  call_control_commands_turn_into_their_json();
  a_mix_that_is_not_json_is_refused_by_name();
  a_first_size_command_still_turns_into_json();
  return check_summary();
}
