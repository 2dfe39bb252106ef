/*
 * Hotline C ABI: tickets and customers.
 *
 * An hl_store holds tickets, customers, their contacts and the audit log,
 * in SQLite (the default) or in memory, configured by JSON:
 *
 *   {"backend": "sqlite", "path": "hotline.db", "synchronous": "normal",
 *    "default_region": "DE", "calendar": {...business hours...},
 *    "sla": {"urgent": {"first_response_minutes": 30, "resolution_minutes": 240}},
 *    "categories": ["billing"]}
 *
 * Records go in and come out as JSON text (see docs/stores.md for the
 * fields). Results are allocated for the caller: free them with hl_free().
 * Every text passed in, JSON or not, must be UTF-8: other bytes are refused
 * with HL_EINVAL naming the field, before anything is written. JSON is read
 * strictly: nesting beyond 64 levels, a value of the wrong type and an
 * unknown key are refused with the JSON path, an unknown key as
 * "<path>: unknown field (expected one of: a, b, c)".
 * Every call that acts for someone takes an hl_actor: their id goes into
 * history and audit records, their role decides what they may see and do.
 *
 * An hl_store is used from one thread at a time; open one per thread. Only
 * one can write to a database file at a time: others get HL_EBUSY after the
 * busy timeout. "locking": "exclusive" makes a store the file's only
 * connection until it is closed (any other open, in this process or another,
 * gets HL_EBUSY), which makes each read cheaper; the default is "shared".
 * "path" is a file's path: a name SQLite would read as a URI ("file:...")
 * is refused with HL_EINVAL, and so are the file's settings given with
 * "backend": "memory".
 */
#ifndef HOTLINE_STORE_H
#define HOTLINE_STORE_H

#include "hotline/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hl_store hl_store;

typedef enum hl_role { HL_ROLE_AGENT = 0, HL_ROLE_SUPERVISOR = 1, HL_ROLE_ADMIN = 2 } hl_role;

typedef struct hl_actor {
  const char *id;
  hl_role role;
} hl_actor;

HL_API hl_status hl_store_open(hl_store **out, const char *config_json, hl_error **err);
HL_API void hl_store_close(hl_store *store); /* accepts NULL */
/* Stamps records with `now_ms` instead of the system clock (simulations,
 * tests); 0 goes back to the system clock. HL_EINVAL for a time before 1970
 * or after 9999-12-31T00:00:00Z (253402214400000), whose local year would not
 * fit a ticket number. */
HL_API hl_status hl_store_set_time(hl_store *store, int64_t now_ms);

/* Tickets. `ticket_json`: {"subject", "description", "category", "priority",
 * "channel", "customer", "contact_id", "assignee", "group"}. Each call that
 * returns a ticket stores it in *out as JSON. */
HL_API hl_status hl_ticket_create(hl_store *store, const hl_actor *actor, const char *ticket_json,
                                  char **out, hl_error **err);
HL_API hl_status hl_ticket_get(hl_store *store, int64_t ticket_id, char **out, hl_error **err);
HL_API hl_status hl_ticket_get_by_number(hl_store *store, const char *number, char **out,
                                         hl_error **err);
/* {"subject", "description", "category", "priority", "customer"}: any of them. */
HL_API hl_status hl_ticket_update(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                  const char *update_json, char **out, hl_error **err);
/* "new", "open", "pending", "resolved", "closed". */
HL_API hl_status hl_ticket_set_status(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                      const char *status, char **out, hl_error **err);
HL_API hl_status hl_ticket_assign(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                  const char *agent_id, char **out, hl_error **err);
HL_API hl_status hl_ticket_transfer(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                    const char *group, char **out, hl_error **err);
HL_API hl_status hl_ticket_add_note(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                    const char *body, int internal, char **out, hl_error **err);
/* Satisfaction 1..5; 2 or less schedules a recovery follow-up. */
HL_API hl_status hl_ticket_rate(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                int score, char **out, hl_error **err);
/* {"history": [...], "notes": [...], "follow_ups": [...]} */
HL_API hl_status hl_ticket_history(hl_store *store, int64_t ticket_id, char **out,
                                   hl_error **err);
/* A JSON list of tickets holding every word of `text` (Chinese and Japanese
 * words too: see docs/stores.md), best match first (BM25), then the most
 * recently updated; each ticket with a "snippet": the piece of its subject or
 * description around the match, matched words between [ and ]. */
HL_API hl_status hl_ticket_search(hl_store *store, const char *text, int limit, char **out,
                                  hl_error **err);
/* `query_json`: {"status", "assignee", "group", "customer", "open_only",
 * "due_before", "order": "newest" | "resolution_due", "limit", "after"};
 * the result {"tickets": [...], "next": cursor or null}. */
HL_API hl_status hl_ticket_list(hl_store *store, const char *query_json, char **out,
                                hl_error **err);
/* SLA targets breached or due within `within_ms`: a JSON list. */
HL_API hl_status hl_ticket_sla_alerts(hl_store *store, int64_t within_ms, char **out,
                                      hl_error **err);
/* Follow-ups: kind "callback", "visit" or "recovery". */
HL_API hl_status hl_follow_up_schedule(hl_store *store, const hl_actor *actor, int64_t ticket_id,
                                       const char *kind, int64_t due_at_ms,
                                       const char *assignee, char **out, hl_error **err);
HL_API hl_status hl_follow_up_complete(hl_store *store, const hl_actor *actor,
                                       int64_t follow_up_id, const char *outcome, char **out,
                                       hl_error **err);
/* `query_json`: {"ticket", "status", "assignee", "due_before", "limit"}. */
HL_API hl_status hl_follow_up_list(hl_store *store, const char *query_json, char **out,
                                   hl_error **err);

/* Customers. `customer_json`: {"name", "phones", "emails", "tier", "tags",
 * "attributes", "national_id", "payment_info"}. Sensitive fields come back
 * masked for agents. */
HL_API hl_status hl_customer_create(hl_store *store, const hl_actor *actor,
                                    const char *customer_json, char **out, hl_error **err);
HL_API hl_status hl_customer_update(hl_store *store, const hl_actor *actor, int64_t customer_id,
                                    const char *update_json, char **out, hl_error **err);
HL_API hl_status hl_customer_get(hl_store *store, const hl_actor *actor, int64_t customer_id,
                                 char **out, hl_error **err);
/* Caller id: HL_ENOTFOUND (and *out NULL) when no customer has the number. */
HL_API hl_status hl_customer_lookup_ani(hl_store *store, const hl_actor *actor, const char *ani,
                                        char **out, hl_error **err);
/* Live customers whose name holds every word of `text`, a Chinese name also
 * found by its pinyin without tones ("zhangsan" or "zhang san" finds 张三):
 * a JSON list of at most `limit`, best match first, each as
 * hl_customer_get returns it. */
HL_API hl_status hl_customer_search(hl_store *store, const hl_actor *actor, const char *text,
                                    int limit, char **out, hl_error **err);
/* {"customer", "contacts", "open_tickets", "last_agent"} */
HL_API hl_status hl_customer_view(hl_store *store, const hl_actor *actor, int64_t customer_id,
                                  char **out, hl_error **err);
/* {"contact_id", "customer", "channel", "queue", "agent", "ani", "started_at",
 * "ended_at", "outcome"} */
HL_API hl_status hl_customer_record_contact(hl_store *store, const char *contact_json,
                                            hl_error **err);
/* `options_json`: {"mapping": {"CSV column": "field"}, "duplicates": "report" |
 * "merge" | "skip", "dry_run": false}; the result is the import report. */
HL_API hl_status hl_customer_import_csv(hl_store *store, const hl_actor *actor, const char *csv,
                                        const char *options_json, char **out, hl_error **err);
HL_API hl_status hl_customer_merge(hl_store *store, const hl_actor *actor, int64_t survivor_id,
                                   int64_t duplicate_id, char **out, hl_error **err);
HL_API hl_status hl_customer_export(hl_store *store, const hl_actor *actor, int64_t customer_id,
                                    char **out, hl_error **err);
HL_API hl_status hl_customer_erase(hl_store *store, const hl_actor *actor, int64_t customer_id,
                                   hl_error **err);
/* `query_json`: {"entity", "entity_id", "actor", "limit"}; most recent first. */
HL_API hl_status hl_audit_list(hl_store *store, const hl_actor *actor, const char *query_json,
                               char **out, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_STORE_H */
