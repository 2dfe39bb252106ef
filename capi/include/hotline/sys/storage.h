/*
 * Hotline C ABI for hosts: storage for tickets and customers.
 *
 * The built-in stores are SQLite (a file) and memory (hl_store_open). A host
 * that keeps its data in a database of its own implements this vtable
 * instead: JSON records by kind and id, with transactions. Hotline keeps its
 * records in it and answers queries by scanning a kind, so the host needs no
 * schema of Hotline's; for millions of records, prefer the SQLite store.
 *
 * Kinds: "ticket", "note", "change", "follow_up", "customer", "contact",
 * "audit", "sequence", "counter". Records are opaque JSON text: store them
 * as given and hand them back unchanged.
 *
 * Every function returns HL_OK or an error status (HL_EIO, HL_EBUSY, ...);
 * the operation then fails with that status and nothing of it is kept
 * (Hotline rolls the transaction back). Functions are called on the thread
 * that uses the hl_store; behind an engine (hl_engine_use_host_storage), on
 * libuv's thread pool, one call at a time.
 *
 * Versions. The table only grows at the end, and `version` says which
 * slots the host's table has: version 1 ends at close, version 2 adds
 * destroy. The library accepts every version from 1 to HL_STORAGE_VERSION
 * and reads only the slots of the version it is given, so a host built
 * against an older header keeps working unchanged; a slot the host's
 * version lacks is treated as NULL. Start from HL_STORAGE_INIT so a rebuilt
 * host gets the current version with every slot NULL.
 */
#ifndef HOTLINE_SYS_STORAGE_H
#define HOTLINE_SYS_STORAGE_H

#include "hotline/engine.h"
#include "hotline/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The current version of hl_storage: 2 (version 1 had no destroy). */
#define HL_STORAGE_VERSION 2

/* Receives one record, valid during the call; return 0 to go on, non-zero
 * to stop a scan. */
typedef int (*hl_storage_visit)(void *ctx, int64_t id, const char *record_json);

typedef struct hl_storage {
  int version; /* 1..HL_STORAGE_VERSION: the slots this table has */
  void *user;
  int (*begin)(void *user);
  int (*commit)(void *user);
  void (*rollback)(void *user);
  /* Inserts or replaces the record of `kind` with `id`. */
  int (*put)(void *user, const char *kind, int64_t id, const char *record_json);
  /* Calls `found` with the record if there is one; HL_OK either way. */
  int (*get)(void *user, const char *kind, int64_t id, hl_storage_visit found, void *ctx);
  /* Calls `visit` for every record of `kind`, in any order, until it
   * returns non-zero. */
  int (*scan)(void *user, const char *kind, hl_storage_visit visit, void *ctx);
  /* Optional: called once when the library is done with the storage (the
   * hl_store closes, the engine drops it). */
  void (*close)(void *user);
  /* Version 2. Optional: called once with `user` when the library drops
   * this table, after close; no slot of it is called after that. */
  void (*destroy)(void *user);
} hl_storage;

#define HL_STORAGE_INIT \
  {HL_STORAGE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/* A store over the host's storage; `config_json` as for hl_store_open but
 * without the SQLite file's settings ("backend", "path", "synchronous",
 * "locking", "busy_timeout_ms"), which are refused (it may be NULL). The
 * table is copied. A version below 1 or above HL_STORAGE_VERSION, or a
 * missing required slot (begin, commit, rollback, put, get, scan), is
 * refused with HL_EINVAL. On success the store owns the table until
 * hl_store_close (close, then destroy); on failure the library did not
 * take it and calls neither. */
HL_API hl_status hl_store_open_host(hl_store **out, const hl_storage *storage,
                                    const char *config_json, hl_error **err);

/* Tickets from the IVR's ticket node are written into the host's storage,
 * as hl_engine_use_store writes them into a store of the engine's own: on
 * libuv's thread pool, one at a time, off the loop thread (so only with a
 * loop: hl_engine_run or hl_engine_attach). `config_json` as for
 * hl_store_open_host (it may be NULL). The table is copied and refused as
 * hl_store_open_host refuses it; the engine owns it from success on, until
 * the engine is destroyed or hl_engine_use_store / _use_host_storage
 * replaces it (close, then destroy, on the thread that drops it, after any
 * write in progress has finished). On failure the engine keeps the store it
 * had and never calls this table's close or destroy. */
HL_API hl_status hl_engine_use_host_storage(hl_engine *engine, const hl_storage *storage,
                                            const char *config_json, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SYS_STORAGE_H */
