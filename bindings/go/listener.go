package hotline

/*
#include <stdint.h>
#include <stdlib.h>
#include "hotline.h"

extern void goHotlineListener(void *user, char *json);

// The handle travels through C as the listener's user pointer; C never
// holds a Go pointer.
static hl_status set_go_listener(hl_engine *e, uintptr_t handle) {
	return hl_engine_set_listener(e, (hl_listener)goHotlineListener, (void *)handle);
}
*/
import "C"

import (
	"encoding/json"
	"math"
	"runtime/cgo"
	"unsafe"
)

//export goHotlineListener
func goHotlineListener(user unsafe.Pointer, text *C.char) {
	h := cgo.Handle(uintptr(user))
	// A panicking listener must not unwind through C.
	defer func() { _ = recover() }()
	switch fn := h.Value().(type) {
	case func(map[string]any):
		var note map[string]any
		if json.Unmarshal([]byte(C.GoString(text)), &note) == nil {
			fn(note)
		}
	case func(Notification):
		if note, err := ParseNotification(C.GoString(text)); err == nil {
			fn(note)
		}
	}
}

// OnNotification calls fn for each notification (on the thread that drives
// the engine) instead of queuing it for Notifications. nil removes it.
func (e *Engine) OnNotification(fn func(map[string]any)) error {
	if fn == nil {
		return e.setListener(nil)
	}
	return e.setListener(fn)
}

// OnTypedNotification is OnNotification with each notification decoded
// into a Notification. nil removes it.
func (e *Engine) OnTypedNotification(fn func(Notification)) error {
	if fn == nil {
		return e.setListener(nil)
	}
	return e.setListener(fn)
}

// setListener installs fn (a func(map[string]any) or func(Notification)),
// or removes the listener when fn is nil.
func (e *Engine) setListener(fn any) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	if fn == nil {
		status := C.hl_engine_set_listener(h, nil, nil)
		e.dropListener()
		return check(status, nil)
	}
	handle := cgo.NewHandle(fn)
	if err := check(C.set_go_listener(h, C.uintptr_t(handle)), nil); err != nil {
		handle.Delete()
		return err
	}
	e.dropListener()
	e.listener = &handle
	return nil
}

func (e *Engine) dropListener() {
	if e.listener != nil {
		e.listener.Delete()
		e.listener = nil
	}
}

// Run runs the engine on a libuv loop of its own until Stop.
func (e *Engine) Run() error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(C.hl_engine_run(h, &cerr), cerr)
}

// Stop makes Run return; safe from any goroutine and from the listener.
func (e *Engine) Stop() error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	return check(C.hl_engine_stop(h), nil)
}

// Post hands an event to the running loop from any goroutine, for example
// Post("digit", map[string]any{"call_id": "c1", "digit": "5"}).
func (e *Engine) Post(event string, fields map[string]any) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	msg := map[string]any{"event": event}
	for k, v := range fields {
		msg[k] = v
	}
	b, _ := json.Marshal(msg)
	cs := C.CString(string(b))
	defer C.free(unsafe.Pointer(cs))
	var cerr *C.hl_error
	return check(C.hl_engine_post(h, cs, &cerr), cerr)
}

// UseStore gives the engine a store for the tickets its IVR opens; they are
// written off the loop thread.
func (e *Engine) UseStore(configJSON string) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	cs := C.CString(configJSON)
	defer C.free(unsafe.Pointer(cs))
	var cerr *C.hl_error
	return check(C.hl_engine_use_store(h, cs, &cerr), cerr)
}

// EngineTime, given to Stats as the time, takes the engine's own time (its
// latest event or advance), so an engine on a virtual clock never sees the
// wall clock (HL_TIME_ENGINE).
const EngineTime int64 = math.MinInt64

// Stats is a snapshot of queues (waiting, longest wait, and today's
// offered, answered, abandoned, refused, service level, ASA, AHT) and agents
// (state, handled) at nowMs, or at the engine's own time with EngineTime.
func (e *Engine) Stats(nowMs int64) (map[string]any, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	var out *C.char
	var cerr *C.hl_error
	if err := check(C.hl_engine_stats(h, C.int64_t(nowMs), &out, &cerr), cerr); err != nil {
		return nil, err
	}
	defer C.hl_free(unsafe.Pointer(out))
	var stats map[string]any
	err = json.Unmarshal([]byte(C.GoString(out)), &stats)
	return stats, err
}

// Now is the clock the loop goes by, in epoch milliseconds.
func Now() int64 { return int64(C.hl_engine_now()) }

// Transfer hands the caller to another queue; the agent goes to wrap-up.
func (e *Engine) Transfer(callID, queueID string, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	call, queue := C.CString(callID), C.CString(queueID)
	defer C.free(unsafe.Pointer(call))
	defer C.free(unsafe.Pointer(queue))
	var cerr *C.hl_error
	return check(C.hl_engine_transfer(h, call, queue, C.int64_t(nowMs), &cerr), cerr)
}

// Attach joins the host's libuv loop (a *uv_loop_t), on the loop's thread.
// Detach before closing the loop.
func (e *Engine) Attach(loop unsafe.Pointer) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(C.hl_engine_attach(h, (*C.struct_uv_loop_s)(loop), &cerr), cerr)
}

// Detach leaves the loop joined with Attach; run the loop once more so libuv
// can close the engine's handles.
func (e *Engine) Detach() error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	return check(C.hl_engine_detach(h), nil)
}
