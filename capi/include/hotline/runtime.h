/*
 * Hotline C ABI: driving the engine, and hearing from it.
 *
 * Three ways to drive an engine:
 *   - it runs its own libuv loop: hl_engine_run() blocks until hl_engine_stop();
 *   - it joins the host's libuv loop: hl_engine_attach(engine, loop);
 *   - the host steps it by hand with hl_engine_advance() (simulation, tests).
 * With a loop, one timer follows the engine's next deadline, hl_engine_post()
 * hands events in from any thread, and tickets the IVR creates are written
 * by a store of the engine's own (hl_engine_use_store) on libuv's thread
 * pool, so the loop never waits on the disk.
 *
 * Notifications go to a listener callback, or to hl_engine_poll_notification.
 * A listener is never called from inside itself: what a callback causes,
 * refusals and host errors included, is delivered after it returns.
 */
#ifndef HOTLINE_RUNTIME_H
#define HOTLINE_RUNTIME_H

#include "hotline/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uv_loop_s; /* libuv's uv_loop_t */

/* Receives each notification as JSON text, valid during the call. */
typedef void (*hl_listener)(void *user, const char *notification_json);
/* NULL removes the listener (notifications queue for polling again). */
HL_API hl_status hl_engine_set_listener(hl_engine *engine, hl_listener listener, void *user);

/* Joins `loop` (on the loop's thread). Detach before closing the loop, and
 * let the loop run once more so libuv can close the engine's handles.
 * Detaching (and hl_engine_destroy, and the end of hl_engine_run) first
 * finishes the store writes still queued (tickets, survey scores, audit
 * records) for at most the engine option store_drain_seconds (5 s unless
 * set); those left are reported as a "host_error" ("store") and dropped. */
HL_API hl_status hl_engine_attach(hl_engine *engine, struct uv_loop_s *loop, hl_error **err);
HL_API hl_status hl_engine_detach(hl_engine *engine);
/* Runs a loop of the engine's own until hl_engine_stop(). */
HL_API hl_status hl_engine_run(hl_engine *engine, hl_error **err);
/* Thread-safe: makes hl_engine_run (or the attached loop) return.
 * HL_ESTATE when no loop is attached or running. */
HL_API hl_status hl_engine_stop(hl_engine *engine);
/* Thread-safe: an event as JSON, run on the loop thread, for example
 *   {"event": "digit", "call_id": "c1", "digit": "5"}
 *   {"event": "call_arrived", "call_id": "c1", "caller": "+4930...", "flow_id": "main"}
 *   {"event": "agent_answered", "reservation": 7}
 * docs/events.md lists every event and its fields. The event is checked
 * here, field by field: a wrong type, a negative or out-of-range number,
 * text that is not UTF-8, a missing or unknown field or nesting deeper than
 * 64 is refused at once with HL_EINVAL and the JSON path
 * ("$.reservation: expected an unsigned integer"), and nothing is queued.
 * An event that then fails on the loop (an unknown call id) is reported as
 * a "host_error" notification and the loop goes on. Events posted before a
 * loop is attached or running wait for it. */
HL_API hl_status hl_engine_post(hl_engine *engine, const char *event_json, hl_error **err);
/* Thread-safe: the typed form of hl_engine_post. The event and what it
 * points to are copied (and checked) before the call returns. */
HL_API hl_status hl_engine_post_event(hl_engine *engine, const hl_event *event, hl_error **err);
/* The time the engine's loop goes by (epoch milliseconds). */
HL_API int64_t hl_engine_now(void);
/* Tickets from the IVR's ticket node are written to a store of the
 * engine's own (the same configuration as hl_store_open; for SQLite, its own
 * connection to the file) on libuv's thread pool, off the loop thread.
 * Without one, ticket requests go to the telephony vtable's host_request.
 * Arriving callers are looked up in the store by caller id over a second
 * connection; with "locking": "exclusive" there is one connection, which the
 * lookups and the ticket writes take in turn (a lookup may wait for a write),
 * and a second call with a store on the same file is refused (HL_EBUSY): the
 * engine's store still holds it. */
HL_API hl_status hl_engine_use_store(hl_engine *engine, const char *store_config_json,
                                     hl_error **err);

/* A statistics snapshot as JSON (HL_EINVAL for a time more than a year
 * after the engine's last activity: the snapshot accounts every interval in
 * between): per queue, contacts waiting, the longest
 * wait and agents by state now, and today's offered, answered, abandoned,
 * refused (turned away at the queue's max length), service level, ASA and
 * AHT; per agent, state and handled contacts. `now_ms` HL_TIME_ENGINE takes
 * the engine's own time (its latest event or advance), so an engine on a
 * virtual clock never sees the wall clock. */
#define HL_TIME_ENGINE INT64_MIN
HL_API hl_status hl_engine_stats(hl_engine *engine, int64_t now_ms, char **json_out,
                                 hl_error **err);

/* Writes the engine's notifications to `path` in Asterisk's queue_log
 * format (ENTERQUEUE, CONNECT, COMPLETECALLER, ABANDON, EXITWITHTIMEOUT,
 * EXITEMPTY, RINGNOANSWER, BLINDTRANSFER, AGENTLOGIN, AGENTLOGOFF, PAUSE,
 * UNPAUSE; docs/metrics.md), so app_queue's reporting tools read Hotline.
 * The file is created if needed and only appended to, one flushed line at
 * a time; NULL stops writing and closes it. HL_EIO, with the path, when it
 * cannot be opened; a later failed write is a host error ("queue_log").
 * Call it from the thread that drives the engine (before hl_engine_run or
 * hl_engine_attach for a loop-driven one). */
HL_API hl_status hl_engine_set_queue_log(hl_engine *engine, const char *path, hl_error **err);

/* Interval history (docs/metrics.md): the KPIs per queue and per agent in
 * intervals of `interval_minutes` from the one holding `from_ms` (>= 0) up to
 * `to_ms` (exclusive; HL_TIME_ENGINE: the engine's time), at most 31 days.
 * Size-first: start from HL_INTERVAL_QUERY_INIT and set what you need;
 * fields appended later keep their defaults for older hosts. The JSON is
 * {"interval_minutes", "from_ms", "to_ms", "queues": {"<id>": [row...]},
 * "calls": [row...], "agents": {"<id>": [row...]}}, every interval listed;
 * a ratio with nothing to measure is null. Free it with hl_free(). */
typedef struct hl_interval_query {
  uint32_t size;            /* sizeof(hl_interval_query) */
  int64_t from_ms;          /* epoch milliseconds */
  int64_t to_ms;            /* exclusive; HL_TIME_ENGINE: the engine's time */
  int32_t interval_minutes; /* 15, 30, 60...: a multiple of the engine's 15 */
  const char *queue_id;     /* NULL: every queue */
  const char *agent_id;     /* NULL: every agent */
  uint32_t include;         /* HL_INTERVALS_QUEUES | HL_INTERVALS_AGENTS */
} hl_interval_query;
#define HL_INTERVALS_QUEUES 1u /* per queue, and the calls that ended in the IVR */
#define HL_INTERVALS_AGENTS 2u
#define HL_INTERVAL_QUERY_INIT                                                                \
  {sizeof(hl_interval_query), 0, HL_TIME_ENGINE, 30, NULL, NULL,                           \
   HL_INTERVALS_QUEUES | HL_INTERVALS_AGENTS}
HL_API hl_status hl_engine_intervals(hl_engine *engine, const hl_interval_query *query,
                                     char **json_out, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_RUNTIME_H */
