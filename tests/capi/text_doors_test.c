/* Every text door of the engine's C ABI refuses bytes that are not UTF-8,
 * naming the argument, before anything changes; a refused arrival leaves no
 * call behind, and the calls around it keep every command. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"sales\"]}],"
    " \"flows\": [{\"id\": \"front\", \"start\": \"menu\", \"nodes\": {"
    "   \"menu\": {\"type\": \"menu\", \"prompts\": [\"tts:Press 1\"],"
    "              \"options\": {\"1\": \"q\"}, \"fail\": \"bye\"},"
    "   \"q\": {\"type\": \"queue\", \"queue\": \"sales\"},"
    "   \"bye\": {\"type\": \"hangup\"}}}]}";

static const char *kBad = "caf\xe9"; /* Latin-1: not UTF-8 */

/* Expects HL_EINVAL with a message that starts with `name`. */
static void names(hl_status st, hl_error **errp, const char *name) {
  hl_error *err = *errp;
  *errp = NULL;
  CHECK(st == HL_EINVAL);
  CHECK(err != NULL && strncmp(hl_error_message(err), name, strlen(name)) == 0);
  if (err && strncmp(hl_error_message(err), name, strlen(name)) != 0) {
    fprintf(stderr, "  expected %s: %s\n", name, hl_error_message(err));
  }
  hl_error_free(err);
}

static int live_calls(hl_engine *e) {
  char *stats = NULL;
  int n = -1;
  const char *at;
  if (hl_engine_stats(e, HL_TIME_ENGINE, &stats, NULL) != HL_OK) return -1;
  at = strstr(stats, "\"live_calls\":");
  if (at) sscanf(at + strlen("\"live_calls\":"), "%d", &n);
  hl_free(stats);
  return n;
}

/* Drains the command queue, counting the commands of each of `ids`. */
static void count_commands(hl_engine *e, const char *const *ids, int *counts, int n) {
  char *json = NULL;
  char pattern[64];
  int i;
  for (i = 0; i < n; ++i) counts[i] = 0;
  while (hl_engine_poll_command(e, &json) == HL_OK) {
    for (i = 0; i < n; ++i) {
      snprintf(pattern, sizeof pattern, "\"call_id\":\"%s\"", ids[i]);
      if (strstr(json, pattern)) ++counts[i];
    }
    hl_free(json);
  }
}

static void every_text_door_refuses_non_utf8_and_names_the_argument(void) {
  hl_engine *e = NULL;
  hl_error *err = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  hl_contact contact = HL_CONTACT_INIT;
  hl_skill_requirement skill = {"billing", 1};
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);

  call.call_id = kBad;
  call.flow_id = "front";
  names(hl_engine_call_arrived(e, &call, 0, &err), &err, "contact->id");
  call.call_id = "c1";
  call.caller = kBad;
  names(hl_engine_call_arrived(e, &call, 0, &err), &err, "contact->caller");
  call.caller = "+4930";
  call.dialled = kBad;
  names(hl_engine_call_arrived(e, &call, 0, &err), &err, "contact->dialled");
  call.dialled = NULL;
  call.flow_id = kBad;
  names(hl_engine_call_arrived(e, &call, 0, &err), &err, "contact->flow_id");
  call.flow_id = NULL;
  call.queue_id = kBad;
  names(hl_engine_call_arrived(e, &call, 0, &err), &err, "contact->queue_id");
  call.queue_id = "sales";
  call.customer_json = "{\"name\": \"caf\xe9\"}";
  names(hl_engine_call_arrived(e, &call, 0, &err), &err, "contact->customer_json");
  contact.id = "c2";
  contact.queue_id = "sales";
  contact.preferred_agent = kBad;
  names(hl_engine_contact_arrived(e, &contact, 0, &err), &err, "contact->preferred_agent");
  contact.preferred_agent = NULL;
  skill.skill = kBad;
  contact.skills = &skill;
  contact.skill_count = 1;
  names(hl_engine_contact_arrived(e, &contact, 0, &err), &err, "contact->skills[0].skill");
  contact.skills = NULL;
  contact.skill_count = 0;
  contact.attributes_json = "{\"lang\": \"\xff\"}";
  names(hl_engine_contact_arrived(e, &contact, 0, &err), &err, "contact->attributes_json");
  CHECK(live_calls(e) == 0); /* no refused arrival left a call behind */
  {
    const char *ids[] = {"c1", "c2"};
    int counts[2];
    count_commands(e, ids, counts, 2);
    CHECK(counts[0] == 0 && counts[1] == 0);
  }

  names(hl_engine_agent_login(e, kBad, 0, &err), &err, "agent_id");
  names(hl_engine_agent_not_ready(e, "ann", kBad, 0, &err), &err, "reason");
  names(hl_engine_digit(e, kBad, '1', 0, &err), &err, "call_id");
  names(hl_engine_prompt_done(e, kBad, 0, &err), &err, "call_id");
  names(hl_engine_recording_done(e, "c1", kBad, 0, &err), &err, "recording");
  names(hl_engine_call_hung_up(e, kBad, 0, &err), &err, "call_id");
  names(hl_engine_agent_hung_up(e, kBad, 0, &err), &err, "call_id");
  names(hl_engine_transfer(e, "c1", kBad, 0, &err), &err, "queue_id");
  names(hl_engine_wrap_up_done(e, kBad, 0, &err), &err, "call_id");
  names(hl_engine_host_result(e, 1, 1, "{\"a\": \"\xff\"}", 0, &err), &err, "result_json");
  names(hl_engine_remove_queue(e, kBad, &err), &err, "queue_id");
  names(hl_engine_remove_agent(e, kBad, &err), &err, "agent_id");
  names(hl_engine_set_queue(e, "{\"id\": \"caf\xe9\"}", &err), &err, "queue_json");
  names(hl_engine_set_agent(e, "{\"id\": \"caf\xe9\"}", 0, &err), &err, "agent_json");
  names(hl_engine_load_flow(e, "{\"id\": \"caf\xe9\"}", &err), &err, "flow_json");
  names(hl_engine_post(e, "{\"event\": \"agent_login\", \"agent_id\": \"caf\xe9\"}", &err), &err,
        "event_json");
  hl_engine_destroy(e);
}

/* A refused arrival between two good ones: both good calls get all their
 * commands, and advancing the clock afterwards still works. */
static void a_refused_call_loses_no_other_calls_commands(void) {
  hl_engine *e = NULL;
  hl_call_info call = HL_CALL_INFO_INIT;
  int64_t deadline = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  call.flow_id = "front";
  call.call_id = "good-1";
  CHECK(hl_engine_call_arrived(e, &call, 0, NULL) == HL_OK);
  call.call_id = "bad";
  call.caller = kBad;
  CHECK(hl_engine_call_arrived(e, &call, 0, NULL) == HL_EINVAL);
  call.call_id = "good-2";
  call.caller = NULL;
  CHECK(hl_engine_call_arrived(e, &call, 0, NULL) == HL_OK);
  CHECK(live_calls(e) == 2);
  {
    const char *ids[] = {"good-1", "good-2", "bad"};
    int counts[3];
    count_commands(e, ids, counts, 3);
    CHECK(counts[0] > 0);
    CHECK(counts[1] == counts[0]); /* the same flow: the same commands */
    CHECK(counts[2] == 0);
  }
  CHECK(hl_engine_prompt_done(e, "good-1", 10, NULL) == HL_OK);
  CHECK(hl_engine_next_deadline(e, &deadline) == HL_OK);
  CHECK(deadline != INT64_MAX);
  CHECK(hl_engine_advance(e, deadline, NULL) == HL_OK);
  hl_engine_destroy(e);
}

int main(void) {
  every_text_door_refuses_non_utf8_and_names_the_argument();
  a_refused_call_loses_no_other_calls_commands();
  return check_summary();
}
