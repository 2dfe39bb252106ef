/* The telephony vtable's play with its request id (version 4): a host with
 * play_request gets each play's request id, and echoing the agent-number
 * announcement's id in prompt_done brings the bridge while another id does
 * not; a version 4 table without the slot, and a version 3 table (whose
 * play_request slot, past its version's end, is never read), get play. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\", \"announce_agent\": [\"tts:Agent ${agent.number}\"]}],"
    " \"agents\": [{\"id\": \"sam\", \"queues\": [\"sales\"], \"number\": \"1042\"}]}";

typedef struct phone {
  char log[4096];
  uint64_t reservation;
  uint64_t last_play; /* the request id play_request was given */
} phone;

static void note(phone *p, const char *line) {
  strncat(p->log, line, sizeof p->log - strlen(p->log) - 2);
  strncat(p->log, "\n", sizeof p->log - strlen(p->log) - 1);
}

static int on_ring(void *user, const char *call_id, const char *agent, uint64_t reservation) {
  (void)call_id;
  (void)agent;
  ((phone *)user)->reservation = reservation;
  return HL_OK;
}

static int on_bridge(void *user, const char *call_id, const char *agent) {
  char line[256];
  snprintf(line, sizeof line, "bridge %s %s", call_id, agent);
  note(user, line);
  return HL_OK;
}

static int on_play(void *user, const char *call_id, const char *prompts, int barge_in, int loop) {
  char line[512];
  snprintf(line, sizeof line, "play %s %s barge_in=%d loop=%d", call_id, prompts, barge_in, loop);
  note(user, line);
  return HL_OK;
}

static int on_play_request(void *user, uint64_t request_id, const char *call_id,
                           const char *prompts, int barge_in, int loop) {
  phone *p = user;
  char line[512];
  p->last_play = request_id;
  snprintf(line, sizeof line, "play_request %s %s barge_in=%d loop=%d", call_id, prompts,
           barge_in, loop);
  note(p, line);
  return HL_OK;
}

/* An engine with `t` installed in which sam has answered call c1. */
static hl_engine *answered_call(phone *p, const hl_telephony *t) {
  hl_engine *e = NULL;
  hl_call_info info = HL_CALL_INFO_INIT;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_set_telephony(e, t, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "sam", 0, NULL) == HL_OK);
  info.call_id = "c1";
  info.queue_id = "sales";
  CHECK(hl_engine_call_arrived(e, &info, 1000, NULL) == HL_OK);
  CHECK(p->reservation != 0);
  CHECK(hl_engine_agent_answered(e, p->reservation, 2000, NULL) == HL_OK);
  return e;
}

static hl_status prompt_done(hl_engine *e, uint64_t request_id, int64_t now) {
  hl_event ev = HL_EVENT_INIT;
  ev.kind = HL_EVENT_PROMPT_DONE;
  ev.call_id = "c1";
  ev.request_id = request_id;
  return hl_engine_apply_event(e, &ev, now, NULL);
}

static void a_version_4_host_gets_the_request_id_and_its_echo_brings_the_bridge(void) {
  phone p;
  hl_telephony t = HL_TELEPHONY_INIT;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  CHECK(t.version == 4);
  t.user = &p;
  t.ring_agent = on_ring;
  t.bridge = on_bridge;
  t.play = on_play;
  t.play_request = on_play_request;
  e = answered_call(&p, &t);
  CHECK(strcmp(p.log, "play_request c1 [{\"tts\":\"Agent 1042\"}] barge_in=0 loop=0\n") == 0);
  CHECK(p.last_play != 0);
  p.log[0] = '\0';
  /* Another play's end (one the host played before the answer) is not the
   * announcement's: no bridge yet. */
  CHECK(prompt_done(e, p.last_play + 1000, 3000) == HL_OK);
  CHECK(p.log[0] == '\0');
  CHECK(prompt_done(e, p.last_play, 4000) == HL_OK);
  CHECK(strcmp(p.log, "bridge c1 sam\n") == 0);
  hl_engine_destroy(e);
}

static void a_version_4_host_without_the_slot_gets_play(void) {
  phone p;
  hl_telephony t = HL_TELEPHONY_INIT;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  t.user = &p;
  t.ring_agent = on_ring;
  t.bridge = on_bridge;
  t.play = on_play;
  e = answered_call(&p, &t);
  CHECK(strcmp(p.log, "play c1 [{\"tts\":\"Agent 1042\"}] barge_in=0 loop=0\n") == 0);
  p.log[0] = '\0';
  CHECK(prompt_done(e, 0, 3000) == HL_OK); /* no id: taken as the announcement's end */
  CHECK(strcmp(p.log, "bridge c1 sam\n") == 0);
  hl_engine_destroy(e);
}

static void a_version_3_host_gets_play_and_its_later_slot_is_never_read(void) {
  phone p;
  hl_telephony t = HL_TELEPHONY_INIT;
  hl_engine *e;
  memset(&p, 0, sizeof p);
  t.version = 3;
  t.user = &p;
  t.ring_agent = on_ring;
  t.bridge = on_bridge;
  t.play = on_play;
  /* Past version 3's end: a host built against that header has other bytes here. */
  t.play_request = on_play_request;
  e = answered_call(&p, &t);
  CHECK(strcmp(p.log, "play c1 [{\"tts\":\"Agent 1042\"}] barge_in=0 loop=0\n") == 0);
  CHECK(p.last_play == 0);
  p.log[0] = '\0';
  CHECK(hl_engine_prompt_done(e, "c1", 3000, NULL) == HL_OK);
  CHECK(strcmp(p.log, "bridge c1 sam\n") == 0);
  hl_engine_destroy(e);
}

int main(void) {
  a_version_4_host_gets_the_request_id_and_its_echo_brings_the_bridge();
  a_version_4_host_without_the_slot_gets_play();
  a_version_3_host_gets_play_and_its_later_slot_is_never_read();
  return check_summary();
}
