/*
 * Hotline C ABI: the knowledge base (知识库) and standard scripts (标准话术).
 *
 * Lives in an hl_store (hotline/store.h) beside tickets and customers, on
 * every backend: SQLite, memory, and a host's own storage. Records go in and
 * come out as JSON text (fields in docs/knowledge.md); results are allocated
 * for the caller: free them with hl_free(). Input is read like every store
 * input: UTF-8 only, strict JSON, an unknown key refused as
 * "<path>: unknown field (expected one of: a, b, c)", errors naming what and
 * where, and a refused call changes nothing.
 *
 * Permissions follow the actor's role: agents read published articles (any
 * other is HL_ENOTFOUND for them) and every script; supervisors and admins
 * create, edit, publish and archive (HL_EPERM for agents). Every publish and
 * archive is written to the audit log (hl_audit_list, entity "article").
 */
#ifndef HOTLINE_KNOWLEDGE_H
#define HOTLINE_KNOWLEDGE_H

#include "hotline/common.h"
#include "hotline/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Categories form a tree by path: "cards/lost" needs "cards" first. */
HL_API hl_status hl_kb_category_create(hl_store *store, const hl_actor *actor, const char *path,
                                       char **out, hl_error **err);
/* A JSON list of categories, by path. */
HL_API hl_status hl_kb_category_list(hl_store *store, char **out, hl_error **err);

/* `article_json`: {"title", "body" (Markdown), "category" (a path), "tags",
 * "owner", "review_at" (ms since 1970)}. A new article is a draft at
 * version 1. Each call that returns an article stores it in *out as JSON,
 * with "stale": true once its review date has passed. */
HL_API hl_status hl_kb_article_create(hl_store *store, const hl_actor *actor,
                                      const char *article_json, char **out, hl_error **err);
/* Any of the creation fields; "review_at": null removes the review date.
 * A change makes a new version; an edit that changes nothing makes none. */
HL_API hl_status hl_kb_article_update(hl_store *store, const hl_actor *actor, int64_t article_id,
                                      const char *update_json, char **out, hl_error **err);
HL_API hl_status hl_kb_article_publish(hl_store *store, const hl_actor *actor,
                                       int64_t article_id, char **out, hl_error **err);
HL_API hl_status hl_kb_article_archive(hl_store *store, const hl_actor *actor,
                                       int64_t article_id, char **out, hl_error **err);
HL_API hl_status hl_kb_article_get(hl_store *store, const hl_actor *actor, int64_t article_id,
                                   char **out, hl_error **err);
/* `query_json` (NULL for all): {"status", "category" (with its subcategories),
 * "tag", "stale_only", "limit"}; a JSON list by id. */
HL_API hl_status hl_kb_article_list(hl_store *store, const hl_actor *actor,
                                    const char *query_json, char **out, hl_error **err);
/* Every version, oldest first: {"version", "at", "actor", "changed": [field
 * names], and the content as it was}. */
HL_API hl_status hl_kb_article_history(hl_store *store, const hl_actor *actor,
                                       int64_t article_id, char **out, hl_error **err);
HL_API hl_status hl_kb_article_version(hl_store *store, const hl_actor *actor,
                                       int64_t article_id, int version, char **out,
                                       hl_error **err);
/* Articles holding every word of `text`, best first; a search that finds
 * nothing is counted in the gaps report. */
HL_API hl_status hl_kb_article_search(hl_store *store, const hl_actor *actor, const char *text,
                                      int limit, char **out, hl_error **err);
/* `use`: "used" or "helped" (which counts as used too). */
HL_API hl_status hl_kb_article_record_use(hl_store *store, const hl_actor *actor,
                                          int64_t article_id, const char *use, char **out,
                                          hl_error **err);
/* Searches that found nothing in [from_ms, to_ms), by query text, most
 * frequent first: [{"query", "count", "first_at", "last_at"}]. Editors only. */
HL_API hl_status hl_kb_gaps(hl_store *store, const hl_actor *actor, int64_t from_ms,
                            int64_t to_ms, int limit, char **out, hl_error **err);

/* `script_json`: {"title", "text", "queue", "category", "ivr_path",
 * "shortcut"}; a script with a shortcut is a chat quick reply. */
HL_API hl_status hl_kb_script_create(hl_store *store, const hl_actor *actor,
                                     const char *script_json, char **out, hl_error **err);
HL_API hl_status hl_kb_script_update(hl_store *store, const hl_actor *actor, int64_t script_id,
                                     const char *update_json, char **out, hl_error **err);
HL_API hl_status hl_kb_script_get(hl_store *store, int64_t script_id, char **out,
                                  hl_error **err);
/* `query_json` (NULL for all): {"queue", "category", "ivr_path",
 * "quick_replies_only"}; a script bound to nothing applies everywhere. */
HL_API hl_status hl_kb_script_list(hl_store *store, const char *query_json, char **out,
                                   hl_error **err);
/* The quick reply with this shortcut, or HL_ENOTFOUND. */
HL_API hl_status hl_kb_quick_reply(hl_store *store, const char *shortcut, char **out,
                                   hl_error **err);
/* Fills ${customer.name}-style placeholders from `context_json` (an object):
 * {"text", "missing": [placeholders the context lacked, left in the text]}.
 * Values go in as plain text; "$${" writes a literal "${". */
HL_API hl_status hl_kb_script_render(hl_store *store, int64_t script_id,
                                     const char *context_json, char **out, hl_error **err);

/* Suggestions for a live contact. `request_json`: {"queue", "ivr_path",
 * "category", "subject", "limit"}; a JSON list, best first, of {"kind":
 * "article" | "script", "id", "title", "score", "reasons"}. */
HL_API hl_status hl_kb_suggest(hl_store *store, const hl_actor *actor, const char *request_json,
                               char **out, hl_error **err);

/* Loads content from one JSON document {"categories", "articles", "scripts"}
 * (docs/knowledge.md); *out is {"categories": n, "articles": n, "scripts": n}. */
HL_API hl_status hl_kb_load(hl_store *store, const hl_actor *actor, const char *document_json,
                            char **out, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_KNOWLEDGE_H */
