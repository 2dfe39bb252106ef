/* Live call control through the telephony vtable (version 3): a call
 * answered by an agent is held and resumed and a supervisor whispers, each
 * command reaching its slot with the right arguments; a slot left NULL, or
 * a table of version 2 (declared and sized as that header had it), leaves
 * the command in the poll queue; a dial the host cannot place is reported
 * back as the leg ended, so the engine is never left waiting for it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"recording\": \"on_demand\","
    "               \"music_on_hold\": [\"audio/hold.wav\", \"tts:Please hold\"]}],"
    " \"agents\": [{\"id\": \"sam\", \"queues\": [\"sales\"]},"
    "              {\"id\": \"sue\", \"role\": \"supervisor\"}]}";

/* hl_telephony as version 2 of the header declared it: it ended at destroy. */
typedef struct telephony_v2 {
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
  void (*destroy)(void *user);
} telephony_v2;

/* What the switch was asked, one line per call: "dial c1 leg=sue agent=sue target=NULL". */
typedef struct phone {
  char log[8192];
  uint64_t reservation;
  int refuse_dial; /* dial returns HL_EUSER */
} phone;

static void note(phone *p, const char *line) {
  strncat(p->log, line, sizeof p->log - strlen(p->log) - 2);
  strncat(p->log, "\n", sizeof p->log - strlen(p->log) - 1);
}

static const char *or_null(const char *s) { return s ? s : "NULL"; }

static int on_ring(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  (void)call_id;
  (void)agent;
  ((phone *)user)->reservation = reservation;
  return HL_OK;
}

static int on_bridge(void *user, const char *call_id, const char *agent) {
  (void)user;
  (void)call_id;
  (void)agent;
  return HL_OK;
}

static int on_hold(void *user, const char *call_id, const char *prompts_json) {
  char line[512];
  snprintf(line, sizeof line, "hold %s %s", call_id, prompts_json);
  note(user, line);
  return HL_OK;
}

static int on_resume(void *user, const char *call_id) {
  char line[256];
  snprintf(line, sizeof line, "resume %s", call_id);
  note(user, line);
  return HL_OK;
}

static int on_dial(void *user, const char *call_id, const char *leg, const char *agent_id,
                   const char *target) {
  phone *p = user;
  char line[512];
  snprintf(line, sizeof line, "dial %s leg=%s agent=%s target=%s", call_id, leg,
           or_null(agent_id), or_null(target));
  note(p, line);
  return p->refuse_dial ? HL_EUSER : HL_OK;
}

static int on_hangup_leg(void *user, const char *call_id, const char *leg) {
  char line[256];
  snprintf(line, sizeof line, "hangup_leg %s leg=%s", call_id, leg);
  note(user, line);
  return HL_OK;
}

static int on_mix(void *user, const char *call_id, const char *mix_json) {
  char line[1024];
  snprintf(line, sizeof line, "mix %s %s", call_id, mix_json);
  note(user, line);
  return HL_OK;
}

static int on_record_control(void *user, const char *call_id, const char *action) {
  char line[256];
  snprintf(line, sizeof line, "record_control %s action=%s", call_id, action);
  note(user, line);
  return HL_OK;
}

static hl_telephony full_table(phone *p) {
  hl_telephony t = HL_TELEPHONY_INIT;
  t.user = p;
  t.ring_agent = on_ring;
  t.bridge = on_bridge;
  t.hold = on_hold;
  t.resume = on_resume;
  t.dial = on_dial;
  t.hangup_leg = on_hangup_leg;
  t.mix = on_mix;
  t.record_control = on_record_control;
  return t;
}

/* An engine whose agent sam has answered call c1; the poll queues emptied. */
static hl_engine *answered_call(phone *p) {
  hl_engine *e = NULL;
  hl_call_info info = HL_CALL_INFO_INIT;
  char *json = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "sam", 0, NULL) == HL_OK);
  info.call_id = "c1";
  info.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &info, 1000, NULL) == HL_OK);
  if (p->reservation == 0) { /* no ring slot: the ring waits in the queue */
    hl_command *c = NULL;
    while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
      if (c->kind == HL_COMMAND_RING_AGENT) p->reservation = c->reservation;
      hl_free(c);
    }
  }
  CHECK(hl_engine_agent_answered(e, p->reservation, 2000, NULL) == HL_OK);
  while (hl_engine_poll_command(e, &json) == HL_OK) hl_free(json);
  while (hl_engine_poll_notification(e, &json) == HL_OK) hl_free(json);
  return e;
}

/* The next polled command of `kind`, or NULL (the others before it dropped). */
static hl_command *poll_kind(hl_engine *e, hl_command_kind kind) {
  hl_command *c = NULL;
  while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
    if (c->kind == kind) return c;
    hl_free(c);
  }
  return NULL;
}

static int poll_queue_is_empty(hl_engine *e) {
  char *json = NULL;
  if (hl_engine_poll_command(e, &json) == HL_ENOTFOUND) return 1;
  fprintf(stderr, "left in the poll queue: %s\n", json);
  hl_free(json);
  return 0;
}

static void hold_and_resume_reach_their_slots_with_the_queues_music(void) {
  phone p;
  hl_telephony t;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  t = full_table(&p);
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(hl_engine_hold(e, "c1", 5000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "hold c1 [{\"audio\":\"audio/hold.wav\"},{\"tts\":\"Please hold\"}]\n") ==
        0);
  p.log[0] = '\0';
  CHECK(hl_engine_resume(e, "c1", 9000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "resume c1\n") == 0);
  CHECK(poll_queue_is_empty(e));
  hl_engine_destroy(e);
}

static void a_whisper_dials_the_supervisor_then_mixes_them_to_the_agent_alone(void) {
  phone p;
  hl_telephony t;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  t = full_table(&p);
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(hl_engine_supervise(e, "c1", "sue", "whisper", NULL, 5000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "dial c1 leg=sue agent=sue target=NULL\n") == 0);
  p.log[0] = '\0';
  CHECK(hl_engine_leg_answered(e, "c1", "sue", 7000, NULL) == HL_OK);
  /* The supervisor hears both; only the agent hears the supervisor. */
  CHECK(contains(p.log, "mix c1 {\"legs\":{"));
  CHECK(contains(p.log, "\"c1\":[\"sam\"]"));
  CHECK(contains(p.log, "\"sam\":[\"c1\",\"sue\"]"));
  CHECK(contains(p.log, "\"sue\":[\"c1\",\"sam\"]"));
  CHECK(poll_queue_is_empty(e));
  hl_engine_destroy(e);
}

static void a_consultation_dials_a_number_and_cancelling_hangs_its_leg_up(void) {
  phone p;
  hl_telephony t;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  t = full_table(&p);
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(hl_engine_consult(e, "c1", NULL, "+15550100", 5000, NULL) == HL_OK);
  CHECK(contains(p.log, "hold c1 "));
  CHECK(contains(p.log, "dial c1 leg=c1:1 agent=NULL target=+15550100\n"));
  p.log[0] = '\0';
  CHECK(hl_engine_consult_cancel(e, "c1", 6000, NULL) == HL_OK);
  CHECK(contains(p.log, "hangup_leg c1 leg=c1:1\n"));
  hl_engine_destroy(e);
}

static void recording_on_demand_reaches_record_control(void) {
  phone p;
  hl_telephony t;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  t = full_table(&p);
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(hl_engine_recording_control(e, "c1", "start", 5000, NULL) == HL_OK);
  CHECK(hl_engine_recording_control(e, "c1", "pause", 6000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "record_control c1 action=start\nrecord_control c1 action=pause\n") == 0);
  hl_engine_destroy(e);
}

static void a_null_version_3_slot_leaves_its_command_in_the_poll_queue(void) {
  phone p;
  hl_telephony t;
  hl_engine *e;
  hl_command *c;
  memset(&p, 0, sizeof p);
  t = full_table(&p);
  t.hold = NULL;
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  CHECK(hl_engine_hold(e, "c1", 5000, NULL) == HL_OK);
  CHECK(p.log[0] == '\0');
  c = poll_kind(e, HL_COMMAND_HOLD);
  CHECK(c != NULL);
  if (c) {
    CHECK(strcmp(c->call_id, "c1") == 0);
    CHECK(strcmp(c->prompts_json, "[{\"audio\":\"audio/hold.wav\"},{\"tts\":\"Please hold\"}]") ==
          0);
    hl_free(c);
  }
  CHECK(hl_engine_resume(e, "c1", 6000, NULL) == HL_OK); /* its slot is set */
  CHECK(strcmp(p.log, "resume c1\n") == 0);
  CHECK(poll_queue_is_empty(e));
  hl_engine_destroy(e);
}

static void a_version_2_table_finds_call_control_commands_in_the_poll_queue(void) {
  phone p;
  hl_engine *e;
  hl_command *c;
  char *json = NULL;
  telephony_v2 *old = calloc(1, sizeof *old); /* exactly version 2's size */
  memset(&p, 0, sizeof p);
  old->version = 2;
  old->user = &p;
  old->ring_agent = on_ring;
  old->bridge = on_bridge;
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, (const hl_telephony *)old, NULL) == HL_OK);
  free(old);
  CHECK(hl_engine_hold(e, "c1", 5000, NULL) == HL_OK);
  CHECK(hl_engine_poll_command(e, &json) == HL_OK);
  CHECK(contains(json, "\"kind\":\"hold\""));
  CHECK(contains(json, "\"prompts\":[{\"audio\":\"audio/hold.wav\"}"));
  hl_free(json);
  CHECK(hl_engine_resume(e, "c1", 6000, NULL) == HL_OK);
  CHECK(hl_engine_poll_command(e, &json) == HL_OK);
  CHECK(contains(json, "\"kind\":\"resume\""));
  hl_free(json);
  CHECK(hl_engine_supervise(e, "c1", "sue", "whisper", NULL, 7000, NULL) == HL_OK);
  /* The JSON form names the leg and the party, and leaves out the absent target. */
  CHECK(hl_engine_poll_command(e, &json) == HL_OK);
  CHECK(contains(json, "\"kind\":\"dial\""));
  CHECK(contains(json, "\"leg\":\"sue\""));
  CHECK(contains(json, "\"agent_id\":\"sue\""));
  CHECK(!contains(json, "\"target\""));
  hl_free(json);
  CHECK(hl_engine_leg_answered(e, "c1", "sue", 8000, NULL) == HL_OK);
  c = poll_kind(e, HL_COMMAND_MIX);
  CHECK(c != NULL);
  if (c) {
    CHECK(c->size == sizeof(hl_command));
    CHECK(contains(c->mix_json, "\"sue\":[\"c1\",\"sam\"]"));
    CHECK(strcmp(c->leg, "") == 0); /* never NULL, even unset */
    CHECK(strcmp(c->action, "") == 0);
    hl_free(c);
  }
  CHECK(p.log[0] == '\0'); /* no version 3 slot was ever read */
  hl_engine_destroy(e);
}

static void a_failed_dial_is_reported_back_as_the_leg_ended(void) {
  phone p;
  hl_telephony t;
  hl_engine *e;
  char *json = NULL;
  int host_errors = 0;
  hl_error *err = NULL;
  memset(&p, 0, sizeof p);
  t = full_table(&p);
  e = answered_call(&p);
  CHECK(hl_engine_set_telephony(e, &t, NULL) == HL_OK);
  p.refuse_dial = 1;
  CHECK(hl_engine_supervise(e, "c1", "sue", "whisper", NULL, 5000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "dial c1 leg=sue agent=sue target=NULL\n") == 0);
  while (hl_engine_poll_notification(e, &json) == HL_OK) {
    if (contains(json, "\"kind\":\"host_error\"") && contains(json, "dial")) ++host_errors;
    hl_free(json);
  }
  CHECK(host_errors == 1);
  /* The leg is gone (it never joined, so no leg notification): answering it
   * now is an error, and supervising again dials again. */
  CHECK(hl_engine_leg_answered(e, "c1", "sue", 6000, &err) == HL_ENOTFOUND);
  hl_error_free(err);
  p.refuse_dial = 0;
  p.log[0] = '\0';
  CHECK(hl_engine_supervise(e, "c1", "sue", "whisper", NULL, 7000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "dial c1 leg=sue agent=sue target=NULL\n") == 0);
  hl_engine_destroy(e);
}

int main(void) {
  hold_and_resume_reach_their_slots_with_the_queues_music();
  a_whisper_dials_the_supervisor_then_mixes_them_to_the_agent_alone();
  a_consultation_dials_a_number_and_cancelling_hangs_its_leg_up();
  recording_on_demand_reaches_record_control();
  a_null_version_3_slot_leaves_its_command_in_the_poll_queue();
  a_version_2_table_finds_call_control_commands_in_the_poll_queue();
  a_failed_dial_is_reported_back_as_the_leg_ended();
  return check_summary();
}
