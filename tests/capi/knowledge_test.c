/* The knowledge base through the C ABI, in memory and on a real SQLite file:
 * articles with versions, permissions and audit, search with gaps, usage,
 * scripts with placeholders, suggestions, loading, and the error paths. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_text.h"
#include "hotline.h"

static const hl_actor agent = {"alice", HL_ROLE_AGENT};
static const hl_actor supervisor = {"sam", HL_ROLE_SUPERVISOR};
static const hl_actor admin = {"ada", HL_ROLE_ADMIN};

static const int64_t start_ms = 1795510800000LL; /* 2026-11-24 09:00 UTC */

/* Expects `status` and an error message equal to `message` in *err, which it
 * frees and clears. */
static void expect_error(hl_status got, hl_status status, hl_error **err, const char *message) {
  CHECK(got == status);
  CHECK(*err != NULL && strcmp(hl_error_message(*err), message) == 0);
  if (*err != NULL && strcmp(hl_error_message(*err), message) != 0) {
    fprintf(stderr, "  message: %s\n", hl_error_message(*err));
  }
  hl_error_free(*err);
  *err = NULL;
}

static void articles(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  long long article;

  CHECK(hl_store_set_time(store, start_ms) == HL_OK);
  CHECK(hl_kb_category_create(store, &supervisor, "cards", &out, &err) == HL_OK);
  hl_free(out);
  CHECK(hl_kb_category_create(store, &supervisor, "cards/lost", &out, &err) == HL_OK);
  CHECK(contains(out, "\"path\":\"cards/lost\""));
  hl_free(out);
  CHECK(hl_kb_category_list(store, &out, &err) == HL_OK);
  CHECK(contains(out, "\"name\":\"lost\""));
  hl_free(out);

  CHECK(hl_kb_article_create(store, &supervisor,
                             "{\"title\": \"银行卡挂失\", \"body\": \"先冻结卡片，再补办新卡。\", "
                             "\"category\": \"cards/lost\", \"tags\": [\"挂失\"], "
                             "\"review_at\": 1795600000000}",
                             &out, &err) == HL_OK);
  CHECK(contains(out, "\"status\":\"draft\""));
  CHECK(json_int(out, "version") == 1);
  article = json_int(out, "id");
  hl_free(out);

  /* A draft does not exist for agents. */
  CHECK(hl_kb_article_get(store, &agent, article, &out, &err) == HL_ENOTFOUND);
  CHECK(out == NULL);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_kb_article_publish(store, &agent, article, &out, &err) == HL_EPERM);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_kb_article_publish(store, &supervisor, article, &out, &err) == HL_OK);
  CHECK(contains(out, "\"status\":\"published\""));
  hl_free(out);
  CHECK(hl_kb_article_get(store, &agent, article, &out, &err) == HL_OK);
  CHECK(contains(out, "\"stale\":false"));
  hl_free(out);
  /* Past the review date the article reads as stale. */
  CHECK(hl_store_set_time(store, 1795600000000LL) == HL_OK);
  CHECK(hl_kb_article_get(store, &agent, article, &out, &err) == HL_OK);
  CHECK(contains(out, "\"stale\":true"));
  hl_free(out);
  CHECK(hl_kb_article_update(store, &admin, article,
                             "{\"title\": \"银行卡挂失与补办\", \"review_at\": null}", &out,
                             &err) == HL_OK);
  CHECK(contains(out, "\"stale\":false"));
  CHECK(contains(out, "\"review_at\":null"));
  CHECK(json_int(out, "version") == 3);
  hl_free(out);
  CHECK(hl_kb_article_history(store, &agent, article, &out, &err) == HL_OK);
  CHECK(contains(out, "\"changed\":[\"created\"]"));
  CHECK(contains(out, "\"changed\":[\"status\"]"));
  CHECK(contains(out, "\"changed\":[\"title\",\"review_at\"]"));
  hl_free(out);
  CHECK(hl_kb_article_version(store, &agent, article, 1, &out, &err) == HL_OK);
  CHECK(contains(out, "\"title\":\"银行卡挂失\""));
  CHECK(contains(out, "\"status\":\"draft\""));
  hl_free(out);

  CHECK(hl_kb_article_search(store, &agent, "补办", 10, &out, &err) == HL_OK);
  CHECK(json_int(out, "id") == article);
  hl_free(out);
  CHECK(hl_kb_article_search(store, &agent, "mortgage", 10, &out, &err) == HL_OK);
  CHECK(strcmp(out, "[]") == 0);
  hl_free(out);
  CHECK(hl_kb_gaps(store, &supervisor, start_ms, 1795600000001LL, 10, &out, &err) == HL_OK);
  CHECK(contains(out, "\"query\":\"mortgage\""));
  CHECK(json_int(out, "count") == 1);
  hl_free(out);

  CHECK(hl_kb_article_record_use(store, &agent, article, "helped", &out, &err) == HL_OK);
  CHECK(json_int(out, "used") == 1);
  CHECK(json_int(out, "helped") == 1);
  hl_free(out);
  CHECK(hl_kb_article_list(store, &agent, "{\"category\": \"cards\"}", &out, &err) == HL_OK);
  CHECK(json_int(out, "id") == article);
  hl_free(out);
  CHECK(hl_kb_article_list(store, &agent, NULL, &out, &err) == HL_OK);
  CHECK(json_int(out, "id") == article);
  hl_free(out);

  CHECK(hl_audit_list(store, &admin, "{\"entity\": \"article\"}", &out, &err) == HL_OK);
  CHECK(contains(out, "\"action\":\"publish\""));
  CHECK(contains(out, "\"actor\":\"sam\""));
  hl_free(out);
}

static void scripts(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  long long greeting;

  CHECK(hl_kb_script_create(store, &supervisor,
                            "{\"title\": \"Lost card opening\", \"queue\": \"retail\", "
                            "\"ivr_path\": \"bank/cards/lost\", \"text\": \"Hello ${customer.name}, "
                            "agent ${agent.number} here; ref ${ticket.number}.\"}",
                            &out, &err) == HL_OK);
  greeting = json_int(out, "id");
  hl_free(out);
  CHECK(hl_kb_script_render(store, greeting,
                            "{\"customer\": {\"name\": \"张三\"}, \"agent\": {\"number\": 1017}}",
                            &out, &err) == HL_OK);
  CHECK(contains(out, "\"text\":\"Hello 张三, agent 1017 here; ref ${ticket.number}.\""));
  CHECK(contains(out, "\"missing\":[\"ticket.number\"]"));
  hl_free(out);
  CHECK(hl_kb_script_create(store, &supervisor,
                            "{\"title\": \"Thanks\", \"text\": \"Thank you!\", "
                            "\"shortcut\": \"/thx\"}",
                            &out, &err) == HL_OK);
  hl_free(out);
  CHECK(hl_kb_quick_reply(store, "/thx", &out, &err) == HL_OK);
  CHECK(contains(out, "\"text\":\"Thank you!\""));
  hl_free(out);
  CHECK(hl_kb_script_list(store, "{\"quick_replies_only\": true}", &out, &err) == HL_OK);
  CHECK(!contains(out, "Lost card opening"));
  hl_free(out);
  CHECK(hl_kb_script_update(store, &admin, greeting, "{\"title\": \"Lost card\"}", &out, &err) ==
        HL_OK);
  hl_free(out);
  CHECK(hl_kb_script_get(store, greeting, &out, &err) == HL_OK);
  CHECK(contains(out, "\"title\":\"Lost card\""));
  CHECK(contains(out, "\"updated_by\":\"ada\""));
  hl_free(out);

  CHECK(hl_kb_suggest(store, &agent,
                      "{\"queue\": \"retail\", \"ivr_path\": \"bank/cards/lost\", "
                      "\"category\": \"cards/lost\", \"subject\": \"卡片挂失\"}",
                      &out, &err) == HL_OK);
  /* The article: category 4, "挂失" in its title 2, "卡片" in its body 1, used
   * once and helped once 0.5 + 1; then the script: queue 4, IVR path 4. */
  CHECK(strncmp(out, "[{\"id\":", 7) == 0);
  CHECK(contains(out, "\"kind\":\"article\",\"reasons\":[\"category\",\"words: 卡片 挂失\","
                      "\"used 1, helped 1\"],\"score\":8.5"));
  CHECK(contains(out, "},{\"id\":"));
  CHECK(contains(out, "\"kind\":\"script\",\"reasons\":[\"queue\",\"ivr_path\"],\"score\":8.0"));
  CHECK(strstr(out, "\"kind\":\"article\"") < strstr(out, "\"kind\":\"script\""));
  hl_free(out);
}

static void error_paths(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;

  expect_error(hl_kb_article_create(store, &agent, "{\"title\": \"x\"}", &out, &err), HL_EPERM,
               &err, "alice may not create articles: the knowledge base is edited by supervisors "
               "and admins");
  expect_error(hl_kb_article_create(store, &supervisor, "{\"titel\": \"x\"}", &out, &err),
               HL_EINVAL, &err,
               "$.titel: unknown field (expected one of: title, body, category, tags, owner, "
               "review_at)");
  expect_error(hl_kb_article_create(store, &supervisor, "{\"title\": \"x\", \"tags\": [1]}",
                                    &out, &err),
               HL_EINVAL, &err, "$.tags[0]: expected a string");
  /* Bytes that are not UTF-8 are refused at the door, with where they are. */
  CHECK(hl_kb_article_create(store, &supervisor, "{\"title\": \"bad \xC3\x28\"}", &out, &err) ==
        HL_EINVAL);
  CHECK(contains(hl_error_message(err), "article_json: not valid JSON"));
  CHECK(contains(hl_error_message(err), "column"));
  hl_error_free(err);
  err = NULL;
  expect_error(hl_kb_article_list(store, &agent, "{\"status\": \"old\"}", &out, &err),
               HL_EINVAL, &err, "$.status: expected draft, published or archived");
  expect_error(hl_kb_suggest(store, &agent, "{\"limit\": 0}", &out, &err), HL_EINVAL, &err,
               "$.limit: expected 1 to 1000, not 0");
  expect_error(hl_kb_article_record_use(store, &agent, 1, "liked", &out, &err), HL_EINVAL, &err,
               "use: expected used or helped, not 'liked'");
  expect_error(hl_kb_script_render(store, 1, "[1]", &out, &err), HL_EINVAL, &err,
               "context: expected an object");
  CHECK(hl_kb_article_get(store, &agent, 999999, &out, &err) == HL_ENOTFOUND);
  CHECK(out == NULL);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_kb_article_search(store, &agent, NULL, 10, &out, &err) == HL_EINVAL);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_kb_article_get(NULL, &agent, 1, &out, &err) == HL_EINVAL);
  hl_error_free(err);
  err = NULL;
  CHECK(hl_kb_category_list(store, NULL, NULL) == HL_EINVAL);
  expect_error(hl_kb_load(store, &supervisor, "{\"scripts\": [{\"title\": \"t\", \"txt\": 1}]}",
                          &out, &err),
               HL_EINVAL, &err,
               "$.scripts[0].txt: unknown field (expected one of: title, text, queue, category, "
               "ivr_path, shortcut)");
}

static void load(hl_store *store) {
  char *out = NULL;
  hl_error *err = NULL;
  CHECK(hl_kb_load(store, &supervisor,
                   "{\"categories\": [\"accounts\"], \"articles\": [{\"title\": \"Opening an "
                   "account\", \"category\": \"accounts\", \"status\": \"published\"}], "
                   "\"scripts\": [{\"title\": \"Wait\", \"text\": \"请稍等\", \"shortcut\": "
                   "\"/wait\"}]}",
                   &out, &err) == HL_OK);
  CHECK(out != NULL && strcmp(out, "{\"articles\":1,\"categories\":1,\"scripts\":1}") == 0);
  hl_free(out);
  CHECK(hl_kb_article_search(store, &agent, "account", 5, &out, &err) == HL_OK);
  CHECK(contains(out, "Opening an account"));
  hl_free(out);
}

static void story(hl_store *store) {
  articles(store);
  scripts(store);
  error_paths(store);
  load(store);
}

int main(void) {
  char dir[] = "/tmp/hotline-capi-kb-XXXXXX";
  char config[512], db[128], wal[160], shm[160];
  hl_store *store = NULL;
  hl_error *err = NULL;

  CHECK(hl_store_open(&store, "{\"backend\": \"memory\"}", &err) == HL_OK);
  story(store);
  hl_store_close(store);

  CHECK(mkdtemp(dir) != NULL);
  snprintf(db, sizeof db, "%s/hotline.db", dir);
  snprintf(config, sizeof config, "{\"backend\": \"sqlite\", \"path\": \"%s\"}", db);
  CHECK(hl_store_open(&store, config, &err) == HL_OK);
  story(store);
  hl_store_close(store);
  /* Reopened, the knowledge base is still there. */
  CHECK(hl_store_open(&store, config, &err) == HL_OK);
  {
    char *out = NULL;
    CHECK(hl_kb_article_search(store, &agent, "挂失", 5, &out, &err) == HL_OK);
    CHECK(contains(out, "银行卡挂失与补办"));
    hl_free(out);
  }
  hl_store_close(store);
  snprintf(wal, sizeof wal, "%s-wal", db);
  snprintf(shm, sizeof shm, "%s-shm", db);
  unlink(db);
  unlink(wal);
  unlink(shm);
  rmdir(dir);
  return check_summary();
}
