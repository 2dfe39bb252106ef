/* Contacts described with hl_contact: the channel takes the agent's
 * capacity for that channel, priority orders the queue, a preferred agent
 * is offered the contact alone until the wait ends and then the queue's
 * other agents may take it; the same contact arrives as a typed event
 * and as JSON; commands come out typed as well as in JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

static const char *kConfig =
    "{\"queues\": [{\"id\": \"web\", \"channel\": \"chat\"}, {\"id\": \"sales\"}],"
    " \"agents\": [{\"id\": \"ann\", \"queues\": [\"web\", \"sales\"],"
    "               \"capacity\": {\"voice\": 1, \"chat\": 2}},"
    "              {\"id\": \"bob\", \"queues\": [\"sales\"]}]}";

/* Drains commands: counts ring_agent commands to `agent` and remembers the
 * call of the first one in `first_call` (when not NULL). */
static int rings_to(hl_engine *e, const char *agent, char *first_call, size_t size) {
  hl_command *c = NULL;
  int n = 0;
  if (first_call) first_call[0] = '\0';
  while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
    if (c->kind == HL_COMMAND_RING_AGENT && strcmp(c->agent_id, agent) == 0) {
      if (n == 0 && first_call) snprintf(first_call, size, "%s", c->call_id);
      ++n;
    }
    hl_free(c);
  }
  return n;
}

static void a_chat_takes_the_agents_chat_capacity(void) {
  hl_engine *e = NULL;
  hl_contact chat = HL_CONTACT_INIT;
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  chat.channel = HL_CHANNEL_CHAT;
  chat.queue_id = "web";
  chat.id = "chat-1";
  CHECK(hl_engine_contact_arrived(e, &chat, 1000, &err) == HL_OK);
  hl_error_free(err);
  chat.id = "chat-2";
  CHECK(hl_engine_contact_arrived(e, &chat, 1000, NULL) == HL_OK);
  chat.id = "chat-3";
  CHECK(hl_engine_contact_arrived(e, &chat, 1000, NULL) == HL_OK);
  /* Two chats at once (capacity 2); the third waits. */
  CHECK(rings_to(e, "ann", NULL, 0) == 2);
  hl_engine_destroy(e);
}

static void a_higher_priority_is_served_first(void) {
  hl_engine *e = NULL;
  hl_contact call = HL_CONTACT_INIT;
  char first[32];
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bob", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_not_ready(e, "bob", "break", 0, NULL) == HL_OK);
  call.queue_id = "sales";
  call.id = "early";
  CHECK(hl_engine_contact_arrived(e, &call, 1000, NULL) == HL_OK);
  call.id = "urgent";
  call.priority = 5;
  CHECK(hl_engine_contact_arrived(e, &call, 2000, NULL) == HL_OK);
  call.id = "late";
  call.priority = 0;
  CHECK(hl_engine_contact_arrived(e, &call, 3000, NULL) == HL_OK);
  CHECK(rings_to(e, "bob", NULL, 0) == 0);
  CHECK(hl_engine_agent_ready(e, "bob", 4000, NULL) == HL_OK);
  CHECK(rings_to(e, "bob", first, sizeof first) == 1);
  CHECK(strcmp(first, "urgent") == 0);
  hl_engine_destroy(e);
}

static void a_preferred_agent_gets_it_first_then_the_queue_after_the_wait(void) {
  hl_engine *e = NULL;
  hl_contact call = HL_CONTACT_INIT;
  char first[32];
  int64_t deadline = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bob", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_not_ready(e, "bob", "meeting", 0, NULL) == HL_OK);
  call.queue_id = "sales";
  call.id = "vip";
  call.preferred_agent = "bob";
  call.preferred_wait_ms = 20000;
  CHECK(hl_engine_contact_arrived(e, &call, 1000, NULL) == HL_OK);
  /* Ann is free, but the contact waits for Bob... */
  CHECK(rings_to(e, "ann", NULL, 0) == 0);
  CHECK(hl_engine_advance(e, 20999, NULL) == HL_OK);
  CHECK(rings_to(e, "ann", NULL, 0) == 0);
  CHECK(hl_engine_next_deadline(e, &deadline) == HL_OK);
  CHECK(deadline == 21000);
  /* ...until the wait is over; then the queue's agents may take it. */
  CHECK(hl_engine_advance(e, 21000, NULL) == HL_OK);
  CHECK(rings_to(e, "ann", first, sizeof first) == 1);
  CHECK(strcmp(first, "vip") == 0);
  hl_engine_destroy(e);

  /* With Bob free, Bob is rung at once. */
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bob", 0, NULL) == HL_OK);
  CHECK(hl_engine_contact_arrived(e, &call, 1000, NULL) == HL_OK);
  CHECK(rings_to(e, "bob", first, sizeof first) == 1);
  CHECK(strcmp(first, "vip") == 0);
  hl_engine_destroy(e);
}

static void skills_and_bad_contacts(void) {
  hl_engine *e = NULL;
  hl_contact call = HL_CONTACT_INIT;
  hl_skill_requirement needs = {"french", 2};
  hl_error *err = NULL;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "bob", 0, NULL) == HL_OK);
  call.queue_id = "sales";
  call.id = "fr";
  call.skills = &needs;
  call.skill_count = 1;
  CHECK(hl_engine_contact_arrived(e, &call, 1000, NULL) == HL_OK);
  CHECK(rings_to(e, "bob", NULL, 0) == 0); /* bob has no French */
  call.id = "x";
  call.skill_count = 0;
  call.channel = (hl_channel)7;
  CHECK(hl_engine_contact_arrived(e, &call, 1000, &err) == HL_EINVAL);
  CHECK(err != NULL && strncmp(hl_error_message(err), "contact->channel", 16) == 0);
  hl_error_free(err);
  call.channel = HL_CHANNEL_VOICE;
  call.priority = 2000000;
  CHECK(hl_engine_contact_arrived(e, &call, 1000, &err) == HL_EINVAL);
  CHECK(err != NULL && strncmp(hl_error_message(err), "contact->priority", 17) == 0);
  hl_error_free(err);
  call.priority = 0;
  call.preferred_wait_ms = -1;
  CHECK(hl_engine_contact_arrived(e, &call, 1000, NULL) == HL_EINVAL);
  call.preferred_wait_ms = 0;
  call.size = 8;
  CHECK(hl_engine_contact_arrived(e, &call, 1000, NULL) == HL_EINVAL);
  CHECK(hl_engine_contact_arrived(e, NULL, 1000, NULL) == HL_EINVAL);
  hl_engine_destroy(e);
}

static void one_contact_three_forms(void) {
  hl_engine *e = NULL;
  hl_contact chat = HL_CONTACT_INIT;
  hl_event event = HL_EVENT_INIT;
  hl_command *c = NULL;
  char *json = NULL;
  int rings = 0;
  CHECK(hl_engine_create(&e, kConfig, 0, NULL) == HL_OK);
  CHECK(hl_engine_agent_login(e, "ann", 0, NULL) == HL_OK);
  chat.id = "typed";
  chat.channel = HL_CHANNEL_CHAT;
  chat.queue_id = "web";
  event.kind = HL_EVENT_CONTACT_ARRIVED;
  event.contact = &chat;
  CHECK(hl_engine_apply_event(e, &event, 1000, NULL) == HL_OK);
  CHECK(strcmp(hl_event_kind_name(HL_EVENT_CONTACT_ARRIVED), "contact_arrived") == 0);
  CHECK(hl_event_kind_name((hl_event_kind)999) == NULL);
  while (hl_engine_poll_command_typed(e, &c) == HL_OK) {
    if (c->kind == HL_COMMAND_RING_AGENT) {
      ++rings;
      CHECK(strcmp(c->call_id, "typed") == 0);
      CHECK(strcmp(c->queue_id, "web") == 0);
      CHECK(c->reservation != 0);
      CHECK(strcmp(hl_command_kind_name(c->kind), "ring_agent") == 0);
      CHECK(hl_command_to_json(c, &json, NULL) == HL_OK);
      CHECK(json != NULL && strstr(json, "\"kind\":\"ring_agent\"") != NULL);
      CHECK(json != NULL && strstr(json, "\"call_id\":\"typed\"") != NULL);
      hl_free(json);
    }
    hl_free(c);
  }
  CHECK(rings == 1);
  CHECK(hl_engine_poll_command_typed(e, &c) == HL_ENOTFOUND);
  CHECK(c == NULL);
  hl_engine_destroy(e);
}

int main(void) {
  a_chat_takes_the_agents_chat_capacity();
  a_higher_priority_is_served_first();
  a_preferred_agent_gets_it_first_then_the_queue_after_the_wait();
  skills_and_bad_contacts();
  one_contact_three_forms();
  return check_summary();
}
