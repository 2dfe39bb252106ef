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
 * that uses the hl_store.
 */
#ifndef HOTLINE_SYS_STORAGE_H
#define HOTLINE_SYS_STORAGE_H

#include "hotline/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HL_STORAGE_VERSION 1

/* Receives one record, valid during the call; return 0 to go on, non-zero
 * to stop a scan. */
typedef int (*hl_storage_visit)(void *ctx, int64_t id, const char *record_json);

typedef struct hl_storage {
  int version; /* HL_STORAGE_VERSION */
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
  /* Optional: called once when the hl_store closes. */
  void (*close)(void *user);
} hl_storage;

/* A store over the host's storage; `config_json` as for hl_store_open but
 * without "backend" and "path" (it may be NULL). The vtable is copied. */
HL_API hl_status hl_store_open_host(hl_store **out, const hl_storage *storage,
                                    const char *config_json, hl_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_SYS_STORAGE_H */
