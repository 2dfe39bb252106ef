package hotline

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hotline.h"

extern int goStorageBegin(uintptr_t h);
extern int goStorageCommit(uintptr_t h);
extern void goStorageRollback(uintptr_t h);
extern int goStoragePut(uintptr_t h, char *kind, int64_t id, char *record);
extern int goStorageGet(uintptr_t h, char *kind, int64_t id, hl_storage_visit found, void *ctx);
extern int goStorageScan(uintptr_t h, char *kind, hl_storage_visit visit, void *ctx);
extern void goStorageClose(uintptr_t h);
extern void goStorageDestroy(uintptr_t h);

static int st_begin(void *u) { return goStorageBegin((uintptr_t)u); }
static int st_commit(void *u) { return goStorageCommit((uintptr_t)u); }
static void st_rollback(void *u) { goStorageRollback((uintptr_t)u); }
static int st_put(void *u, const char *k, int64_t id, const char *r) {
	return goStoragePut((uintptr_t)u, (char *)k, id, (char *)r);
}
static int st_get(void *u, const char *k, int64_t id, hl_storage_visit f, void *ctx) {
	return goStorageGet((uintptr_t)u, (char *)k, id, f, ctx);
}
static int st_scan(void *u, const char *k, hl_storage_visit v, void *ctx) {
	return goStorageScan((uintptr_t)u, (char *)k, v, ctx);
}
static void st_close(void *u) { goStorageClose((uintptr_t)u); }
static void st_destroy(void *u) { goStorageDestroy((uintptr_t)u); }

static int call_visit(hl_storage_visit v, void *ctx, int64_t id, const char *record) {
	return v(ctx, id, record);
}

static void fill_go_storage(hl_storage *s, uintptr_t h) {
	memset(s, 0, sizeof *s);
	s->version = HL_STORAGE_VERSION;
	s->user = (void *)h;
	s->begin = st_begin;
	s->commit = st_commit;
	s->rollback = st_rollback;
	s->put = st_put;
	s->get = st_get;
	s->scan = st_scan;
	s->close = st_close;
	s->destroy = st_destroy;
}

static hl_status open_go_storage(hl_store **out, uintptr_t h, const char *config, hl_error **err) {
	hl_storage s;
	fill_go_storage(&s, h);
	return hl_store_open_host(out, &s, config, err);
}

static hl_status use_go_storage(hl_engine *e, uintptr_t h, const char *config, hl_error **err) {
	hl_storage s;
	fill_go_storage(&s, h);
	return hl_engine_use_host_storage(e, &s, config, err);
}

*/
import "C"

import (
	"errors"
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// HostStorage keeps a Store's records in the host's own database, mirroring
// the C vtable hl_storage: opaque JSON records by kind and id, inside
// transactions; queries scan a kind. An error (an *Error passes its Status
// back, any other error HL_EIO) fails the operation and Hotline rolls the
// transaction back; a panic is recovered and reported the same way.
//
// When Hotline drops the storage (the Store closes, or the engine using it
// is closed or given another store) it calls Close and then, if the storage
// also implements HostStorageDestroyer, Destroy: once each, and nothing after.
type HostStorage interface {
	// Begin starts a transaction.
	Begin() error
	// Commit keeps everything since Begin.
	Commit() error
	// Rollback drops everything since Begin.
	Rollback()
	// Put inserts or replaces the record of kind with id, stored as given.
	Put(kind string, id int64, record string) error
	// Get returns the record of kind with id, unchanged; found is false when
	// there is none.
	Get(kind string, id int64) (record string, found bool, err error)
	// Scan calls visit for every record of kind, in any order, until visit
	// returns false.
	Scan(kind string, visit func(id int64, record string) bool) error
	// Close is called once when Hotline is done with the storage.
	Close()
}

// HostStorageDestroyer is a HostStorage that wants to hear when Hotline
// drops it for good (version 2 of hl_storage): Destroy comes once, after
// Close.
type HostStorageDestroyer interface {
	Destroy()
}

// OpenHostStore opens a Store over the host's storage; configJSON as for
// OpenStore but without the SQLite file's settings ("backend", "path",
// "synchronous", "locking", "busy_timeout_ms"), which are refused ("" for
// none).
func OpenHostStore(storage HostStorage, configJSON string) (*Store, error) {
	// The handle lives until Hotline calls destroy (goStorageDestroy).
	handle := cgo.NewHandle(storage)
	var cfg *C.char
	if configJSON != "" {
		cfg = C.CString(configJSON)
		defer C.free(unsafe.Pointer(cfg))
	}
	var h *C.hl_store
	var cerr *C.hl_error
	if err := check(C.open_go_storage(&h, C.uintptr_t(handle), cfg, &cerr), cerr); err != nil {
		handle.Delete() // refused: Hotline never calls this table's destroy
		return nil, err
	}
	s := &Store{h: h}
	runtime.SetFinalizer(s, (*Store).Close)
	return s, nil
}

// UseHostStorage makes the engine write the tickets its IVR opens into the
// host's storage, off the loop thread, one at a time (so only with a loop:
// Run or Attach); configJSON as for OpenHostStore ("" for none). The store
// the engine had before is closed (a HostStorage gets Close, then Destroy);
// on failure the engine keeps it and never calls this storage.
func (e *Engine) UseHostStorage(storage HostStorage, configJSON string) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	handle := cgo.NewHandle(storage) // lives until the engine calls destroy
	var cfg *C.char
	if configJSON != "" {
		cfg = C.CString(configJSON)
		defer C.free(unsafe.Pointer(cfg))
	}
	var cerr *C.hl_error
	if err := check(C.use_go_storage(h, C.uintptr_t(handle), cfg, &cerr), cerr); err != nil {
		handle.Delete()
		return err
	}
	return nil
}

func storageOf(h C.uintptr_t) HostStorage {
	s, _ := cgo.Handle(h).Value().(HostStorage)
	return s
}

// storageStatus runs a HostStorage method and turns its outcome into the
// status C expects.
func storageStatus(h C.uintptr_t, fn func(s HostStorage) error) (status C.int) {
	defer func() {
		if recover() != nil {
			status = C.HL_EIO
		}
	}()
	s := storageOf(h)
	if s == nil {
		return C.HL_EIO
	}
	if err := fn(s); err != nil {
		var he *Error
		if errors.As(err, &he) && he.Status < 0 {
			return C.int(he.Status)
		}
		return C.HL_EIO
	}
	return C.HL_OK
}

//export goStorageBegin
func goStorageBegin(h C.uintptr_t) C.int {
	return storageStatus(h, func(s HostStorage) error { return s.Begin() })
}

//export goStorageCommit
func goStorageCommit(h C.uintptr_t) C.int {
	return storageStatus(h, func(s HostStorage) error { return s.Commit() })
}

//export goStorageRollback
func goStorageRollback(h C.uintptr_t) {
	storageStatus(h, func(s HostStorage) error { s.Rollback(); return nil })
}

//export goStoragePut
func goStoragePut(h C.uintptr_t, kind *C.char, id C.int64_t, record *C.char) C.int {
	return storageStatus(h, func(s HostStorage) error {
		return s.Put(C.GoString(kind), int64(id), C.GoString(record))
	})
}

// visitRecord hands one record to C's visit callback.
func visitRecord(visit C.hl_storage_visit, ctx unsafe.Pointer, id int64, record string) bool {
	text := C.CString(record)
	defer C.free(unsafe.Pointer(text))
	return C.call_visit(visit, ctx, C.int64_t(id), text) == 0
}

//export goStorageGet
func goStorageGet(h C.uintptr_t, kind *C.char, id C.int64_t, found C.hl_storage_visit,
	ctx unsafe.Pointer) C.int {
	return storageStatus(h, func(s HostStorage) error {
		record, ok, err := s.Get(C.GoString(kind), int64(id))
		if err == nil && ok {
			visitRecord(found, ctx, int64(id), record)
		}
		return err
	})
}

//export goStorageScan
func goStorageScan(h C.uintptr_t, kind *C.char, visit C.hl_storage_visit, ctx unsafe.Pointer) C.int {
	return storageStatus(h, func(s HostStorage) error {
		return s.Scan(C.GoString(kind), func(id int64, record string) bool {
			return visitRecord(visit, ctx, id, record)
		})
	})
}

//export goStorageClose
func goStorageClose(h C.uintptr_t) {
	storageStatus(h, func(s HostStorage) error { s.Close(); return nil })
}

//export goStorageDestroy
func goStorageDestroy(h C.uintptr_t) {
	handle := cgo.Handle(h)
	defer handle.Delete()
	defer func() { _ = recover() }() // a panicking Destroy must not unwind into C
	if d, ok := handle.Value().(HostStorageDestroyer); ok {
		d.Destroy()
	}
}
