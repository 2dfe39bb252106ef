// Package hotline is the Go binding of Hotline, an embeddable contact-center
// engine, over its C ABI. An Engine is stepped by the caller's clock
// (milliseconds). Events go in one call per kind, as a typed Event
// (ApplyEvent, PostEvent) or a Contact of any channel (ContactArrived);
// commands and notifications come out typed (TypedCommands,
// TypedNotifications) or as decoded JSON maps, or go to a Telephony and a
// listener as they arise. A Store keeps tickets
// and customers (SQLite, memory, or the host's own storage), and ErlangC,
// ErlangA and ErlangAgents size a team.
//
// The package finds an installed Hotline through pkg-config (hotline.pc):
// install the library, or point PKG_CONFIG_PATH at the folder holding
// hotline.pc (see README.md).
package hotline

/*
#cgo pkg-config: hotline
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// Status codes of the C ABI.
const (
	StatusInvalid  = int(C.HL_EINVAL)
	StatusNotFound = int(C.HL_ENOTFOUND)
	StatusExists   = int(C.HL_EEXISTS)
	StatusState    = int(C.HL_ESTATE)
	StatusFull     = int(C.HL_EFULL)
	StatusPerm     = int(C.HL_EPERM)
	StatusBusy     = int(C.HL_EBUSY)
	StatusIO       = int(C.HL_EIO)
	StatusUser     = int(C.HL_EUSER)
)

// Sentinel errors for errors.Is.
var (
	ErrInvalid  = errors.New("invalid argument")
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	ErrState    = errors.New("illegal state")
	ErrFull     = errors.New("full")
	ErrPerm     = errors.New("permission denied")
	ErrBusy     = errors.New("busy")
	ErrIO       = errors.New("storage or host I/O failed")
	ErrUser     = errors.New("aborted by a host callback")
	ErrClosed   = errors.New("engine is closed")
)

// Error is a failed call: the C status and the library's message.
type Error struct {
	Status  int
	Message string
}

// Error is the library's message: what failed and where.
func (e *Error) Error() string { return e.Message }

// Is lets errors.Is match an Error against the sentinels by status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrInvalid:
		return e.Status == StatusInvalid
	case ErrNotFound:
		return e.Status == StatusNotFound
	case ErrExists:
		return e.Status == StatusExists
	case ErrState:
		return e.Status == StatusState
	case ErrFull:
		return e.Status == StatusFull
	case ErrPerm:
		return e.Status == StatusPerm
	case ErrBusy:
		return e.Status == StatusBusy
	case ErrIO:
		return e.Status == StatusIO
	case ErrUser:
		return e.Status == StatusUser
	}
	return false
}

// Version is the loaded library's version.
func Version() string { return C.GoString(C.hl_version()) }

// Engine owns a C engine handle. Close it when done; a finalizer closes
// engines that are dropped. An Engine is not safe for concurrent use.
type Engine struct {
	h        *C.hl_engine
	listener *cgo.Handle // the listener's handle, deleted on Close or replacement
}

func check(status C.hl_status, err *C.hl_error) error {
	if status == C.HL_OK {
		return nil
	}
	code := int(status)
	message := C.GoString(C.hl_status_str(C.int(status)))
	if err != nil { // the error says what and where; its status is the call's
		message = C.GoString(C.hl_error_message(err))
		if s := int(C.hl_error_status(err)); s != 0 {
			code = s
		}
		C.hl_error_free(err)
	}
	return &Error{Status: code, Message: message}
}

// New creates an engine from a JSON configuration (queues, agents, flows,
// calendars).
func New(configJSON string, nowMs int64) (*Engine, error) {
	cfg := C.CString(configJSON)
	defer C.free(unsafe.Pointer(cfg))
	var h *C.hl_engine
	var cerr *C.hl_error
	if err := check(C.hl_engine_create(&h, cfg, C.int64_t(nowMs), &cerr), cerr); err != nil {
		return nil, err
	}
	e := &Engine{h: h}
	runtime.SetFinalizer(e, (*Engine).Close)
	return e, nil
}

// Close destroys the engine; closing twice is harmless.
func (e *Engine) Close() {
	if e.h != nil {
		C.hl_engine_destroy(e.h)
		e.h = nil
	}
	e.dropListener() // a Telephony's handle goes in its destroy callback
}

func (e *Engine) handle() (*C.hl_engine, error) {
	if e.h == nil {
		return nil, &Error{Status: StatusInvalid, Message: ErrClosed.Error()}
	}
	return e.h, nil
}

// withString calls fn with a C copy of s; C keeps no Go pointer.
func withString(s string, fn func(*C.char) C.hl_status, err **C.hl_error) error {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	status := fn(cs)
	return check(status, *err)
}

func (e *Engine) idEvent(id string, nowMs int64,
	fn func(*C.hl_engine, *C.char, C.int64_t, **C.hl_error) C.hl_status) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return withString(id, func(cs *C.char) C.hl_status { return fn(h, cs, C.int64_t(nowMs), &cerr) }, &cerr)
}

// AgentLogin logs the agent in.
func (e *Engine) AgentLogin(agent string, nowMs int64) error {
	return e.idEvent(agent, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_login(h, s, t, er)
	})
}

// AgentLogout logs the agent out.
func (e *Engine) AgentLogout(agent string, nowMs int64) error {
	return e.idEvent(agent, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_logout(h, s, t, er)
	})
}

// AgentReady makes the agent available for contacts.
func (e *Engine) AgentReady(agent string, nowMs int64) error {
	return e.idEvent(agent, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_ready(h, s, t, er)
	})
}

// AgentNotReady takes the agent out of routing, with a reason (lunch, training, ...).
func (e *Engine) AgentNotReady(agent, reason string, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	ca, cr := C.CString(agent), C.CString(reason)
	defer C.free(unsafe.Pointer(ca))
	defer C.free(unsafe.Pointer(cr))
	var cerr *C.hl_error
	return check(C.hl_engine_agent_not_ready(h, ca, cr, C.int64_t(nowMs), &cerr), cerr)
}

// Call describes an arriving call: Flow runs an IVR flow; without one the
// call joins Queue. Customer, when not nil, is the customer the host resolved.
type Call struct {
	ID, Caller, Dialled, Flow, Queue string
	Customer                         map[string]any
}

// CallArrived hands the engine a new call: into its IVR flow, or straight into a queue.
func (e *Engine) CallArrived(call Call, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	info := C.hl_call_info{size: C.uint32_t(unsafe.Sizeof(C.hl_call_info{}))}
	var owned []*C.char
	str := func(s string) *C.char {
		if s == "" {
			return nil
		}
		cs := C.CString(s)
		owned = append(owned, cs)
		return cs
	}
	defer func() {
		for _, cs := range owned {
			C.free(unsafe.Pointer(cs))
		}
	}()
	info.call_id = str(call.ID)
	info.caller = str(call.Caller)
	info.dialled = str(call.Dialled)
	info.flow_id = str(call.Flow)
	info.queue_id = str(call.Queue)
	if call.Customer != nil {
		text, jerr := json.Marshal(call.Customer)
		if jerr != nil {
			return &Error{Status: StatusInvalid, Message: fmt.Sprintf("customer: %v", jerr)}
		}
		info.customer_json = str(string(text))
	}
	var cerr *C.hl_error
	return check(C.hl_engine_call_arrived(h, &info, C.int64_t(nowMs), &cerr), cerr)
}

// Digit reports a key the caller pressed.
func (e *Engine) Digit(call string, key byte, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return withString(call, func(cs *C.char) C.hl_status {
		return C.hl_engine_digit(h, cs, C.char(key), C.int64_t(nowMs), &cerr)
	}, &cerr)
}

// PromptDone reports that the prompts of the last play command ended.
func (e *Engine) PromptDone(call string, nowMs int64) error {
	return e.idEvent(call, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_prompt_done(h, s, t, er)
	})
}

// CallHungUp reports that the caller hung up.
func (e *Engine) CallHungUp(call string, nowMs int64) error {
	return e.idEvent(call, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_call_hung_up(h, s, t, er)
	})
}

// AgentHungUp reports that the agent ended the call; wrap-up starts.
func (e *Engine) AgentHungUp(call string, nowMs int64) error {
	return e.idEvent(call, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_hung_up(h, s, t, er)
	})
}

// WrapUpDone ends the agent's wrap-up before its timer does.
func (e *Engine) WrapUpDone(call string, nowMs int64) error {
	return e.idEvent(call, nowMs, func(h *C.hl_engine, s *C.char, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_wrap_up_done(h, s, t, er)
	})
}

// HostResult answers a host request (lookup, create_ticket, register_callback)
// with its request id; result is encoded as JSON.
func (e *Engine) HostResult(request uint64, ok bool, result any, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	text, jerr := json.Marshal(result)
	if jerr != nil {
		return &Error{Status: StatusInvalid, Message: fmt.Sprintf("result: %v", jerr)}
	}
	okInt := C.int(0)
	if ok {
		okInt = 1
	}
	var cerr *C.hl_error
	return withString(string(text), func(cs *C.char) C.hl_status {
		return C.hl_engine_host_result(h, C.uint64_t(request), okInt, cs, C.int64_t(nowMs), &cerr)
	}, &cerr)
}

func (e *Engine) reservationEvent(reservation uint64, nowMs int64,
	fn func(*C.hl_engine, C.uint64_t, C.int64_t, **C.hl_error) C.hl_status) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(fn(h, C.uint64_t(reservation), C.int64_t(nowMs), &cerr), cerr)
}

// AgentAnswered reports that the agent picked up the offer with this reservation.
func (e *Engine) AgentAnswered(reservation uint64, nowMs int64) error {
	return e.reservationEvent(reservation, nowMs, func(h *C.hl_engine, r C.uint64_t, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_answered(h, r, t, er)
	})
}

// AgentRejected reports that the agent declined the offer.
func (e *Engine) AgentRejected(reservation uint64, nowMs int64) error {
	return e.reservationEvent(reservation, nowMs, func(h *C.hl_engine, r C.uint64_t, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_rejected(h, r, t, er)
	})
}

// AgentNoAnswer reports that the agent's phone rang out without an answer.
func (e *Engine) AgentNoAnswer(reservation uint64, nowMs int64) error {
	return e.reservationEvent(reservation, nowMs, func(h *C.hl_engine, r C.uint64_t, t C.int64_t, er **C.hl_error) C.hl_status {
		return C.hl_engine_agent_no_answer(h, r, t, er)
	})
}

// RecordingDone reports that the recording the engine asked for ended, kept
// at recording (a path or URI the host chooses).
func (e *Engine) RecordingDone(call, recording string, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cs cstrings
	defer cs.free()
	c, r := cs.of(call), cs.of(recording)
	var cerr *C.hl_error
	return check(C.hl_engine_recording_done(h, c, r, C.int64_t(nowMs), &cerr), cerr)
}

// NextDeadline is when Advance should next be called; ok is false when no
// deadline is pending.
func (e *Engine) NextDeadline() (deadline int64, ok bool, err error) {
	h, err := e.handle()
	if err != nil {
		return 0, false, err
	}
	var out C.int64_t
	if err := check(C.hl_engine_next_deadline(h, &out), nil); err != nil {
		return 0, false, err
	}
	if int64(out) == math.MaxInt64 {
		return 0, false, nil
	}
	return int64(out), true, nil
}

// Advance fires everything due by nowMs (timeouts, wrap-up ends, ring widening).
func (e *Engine) Advance(nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(C.hl_engine_advance(h, C.int64_t(nowMs), &cerr), cerr)
}

func pollCommand(h *C.hl_engine, t **C.char) C.hl_status { return C.hl_engine_poll_command(h, t) }

func pollNotification(h *C.hl_engine, t **C.char) C.hl_status {
	return C.hl_engine_poll_notification(h, t)
}

// drainText takes every pending item of one queue as JSON text.
func (e *Engine) drainText(poll func(*C.hl_engine, **C.char) C.hl_status) ([]string, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	var out []string
	for {
		var text *C.char
		status := poll(h, &text)
		if status == C.HL_ENOTFOUND {
			return out, nil
		}
		if status != C.HL_OK {
			return out, check(status, nil)
		}
		out = append(out, C.GoString(text))
		C.hl_free(unsafe.Pointer(text))
	}
}

func (e *Engine) drain(poll func(*C.hl_engine, **C.char) C.hl_status) ([]map[string]any, error) {
	texts, err := e.drainText(poll)
	out := make([]map[string]any, 0, len(texts))
	for _, raw := range texts {
		var m map[string]any
		if jerr := json.Unmarshal([]byte(raw), &m); jerr != nil {
			return out, jerr
		}
		out = append(out, m)
	}
	return out, err
}

// Commands returns the pending commands as decoded JSON maps, oldest first
// (TypedCommands reads the same queue, typed).
func (e *Engine) Commands() ([]map[string]any, error) { return e.drain(pollCommand) }

// Notifications returns the pending notifications as decoded JSON maps,
// oldest first (TypedNotifications reads the same queue, typed).
func (e *Engine) Notifications() ([]map[string]any, error) { return e.drain(pollNotification) }
