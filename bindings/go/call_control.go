package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

import (
	"encoding/json"
	"unsafe"
)

// Live call control (docs/call-control.md): one method per event kind, each
// calling its hl_engine_* function. A party is an agent (agentID, target
// "") or an outside number or URI (target, agentID ""). An action the call's
// state does not allow fails with StatusState and changes nothing.

// always is s in C memory owned by the arena, "" included (a required field
// is then refused as empty by the engine, not as missing).
func (a *carena) always(s string) *C.char {
	cs := C.CString(s)
	*a = append(*a, unsafe.Pointer(cs))
	return cs
}

// callControl runs fn with the engine's handle and an arena freed after it.
func (e *Engine) callControl(
	fn func(h *C.hl_engine, a *carena, cerr **C.hl_error) C.hl_status) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var a carena
	defer a.free()
	var cerr *C.hl_error
	return check(fn(h, &a, &cerr), cerr)
}

// Hold puts the caller on hold (music on hold).
func (e *Engine) Hold(call string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_hold(h, a.always(call), C.int64_t(nowMs), er)
	})
}

// Resume brings the held caller back.
func (e *Engine) Resume(call string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_resume(h, a.always(call), C.int64_t(nowMs), er)
	})
}

// Consult reaches another party while the caller holds.
func (e *Engine) Consult(call, agentID, target string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_consult(h, a.always(call), a.str(agentID), a.str(target),
			C.int64_t(nowMs), er)
	})
}

// ConsultQueue consults the next agent of a queue while the caller holds: the
// consultation waits in the queue and rings its agents as dial legs; nobody
// there, or too long a wait, holds the call again with a consult_failed
// notification.
func (e *Engine) ConsultQueue(call, queueID string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_consult_queue(h, a.always(call), a.always(queueID), C.int64_t(nowMs), er)
	})
}

// LegAnswered reports that a leg the engine dialled answered.
func (e *Engine) LegAnswered(call, leg string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_leg_answered(h, a.always(call), a.always(leg), C.int64_t(nowMs), er)
	})
}

// LegEnded reports that a leg of the call failed or hung up.
func (e *Engine) LegEnded(call, leg string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_leg_ended(h, a.always(call), a.always(leg), C.int64_t(nowMs), er)
	})
}

// TransferComplete hands the caller to the consulted party; the agent wraps up.
func (e *Engine) TransferComplete(call string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_transfer_complete(h, a.always(call), C.int64_t(nowMs), er)
	})
}

// ConsultCancel hangs the consulted party up; the caller stays on hold.
func (e *Engine) ConsultCancel(call string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_consult_cancel(h, a.always(call), C.int64_t(nowMs), er)
	})
}

// Conference brings caller, agent and consulted party together.
func (e *Engine) Conference(call string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_conference(h, a.always(call), C.int64_t(nowMs), er)
	})
}

// ConferenceAdd dials another party into the conversation.
func (e *Engine) ConferenceAdd(call, agentID, target string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_conference_add(h, a.always(call), a.str(agentID), a.str(target),
			C.int64_t(nowMs), er)
	})
}

// ConferenceDrop hangs one leg of the conference up.
func (e *Engine) ConferenceDrop(call, leg string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_conference_drop(h, a.always(call), a.always(leg), C.int64_t(nowMs), er)
	})
}

// Mute makes a leg unheard by everyone (muted) or heard again.
func (e *Engine) Mute(call, leg string, muted bool, nowMs int64) error {
	flag := C.int(0)
	if muted {
		flag = 1
	}
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_mute(h, a.always(call), a.always(leg), flag, C.int64_t(nowMs), er)
	})
}

// BlindTransfer sends the caller to an agent or a number without a consultation.
func (e *Engine) BlindTransfer(call, agentID, target string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_blind_transfer(h, a.always(call), a.str(agentID), a.str(target),
			C.int64_t(nowMs), er)
	})
}

// WrapUpCode gives the call its disposition.
func (e *Engine) WrapUpCode(call, code string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_wrap_up_code(h, a.always(call), a.always(code), C.int64_t(nowMs), er)
	})
}

// Supervise joins a supervisor to a call with an agent as mode (SuperviseMonitor,
// ...). leg names the leg the supervisor called in on; "" makes the engine dial them.
func (e *Engine) Supervise(call, supervisor, mode, leg string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_supervise(h, a.always(call), a.always(supervisor), a.always(mode),
			a.str(leg), C.int64_t(nowMs), er)
	})
}

// ForceRelease lets a supervisor hang the call up; its agent wraps up.
func (e *Engine) ForceRelease(call, supervisor string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_force_release(h, a.always(call), a.always(supervisor),
			C.int64_t(nowMs), er)
	})
}

// ForceNotReady lets a supervisor set an agent not ready, with an optional reason.
func (e *Engine) ForceNotReady(agent, supervisor, reason string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_force_not_ready(h, a.always(agent), a.always(supervisor),
			a.str(reason), C.int64_t(nowMs), er)
	})
}

// ForceLogout lets a supervisor log an agent out.
func (e *Engine) ForceLogout(agent, supervisor string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_force_logout(h, a.always(agent), a.always(supervisor),
			C.int64_t(nowMs), er)
	})
}

// RecordingControl starts, stops, pauses or resumes the call's recording
// (RecordingStart, ...).
func (e *Engine) RecordingControl(call, action string, nowMs int64) error {
	return e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_recording_control(h, a.always(call), a.always(action),
			C.int64_t(nowMs), er)
	})
}

// CallContext is the screen pop of a live call (docs/call-control.md): the
// object its ring_agent command carries in Args (caller, dialled, queue_id,
// customer, ivr_path, digits, and open_tickets with a store), for a
// telephony whose RingAgent has no room for it. Callable from inside a
// telephony method; ErrNotFound for a call the engine does not hold.
func (e *Engine) CallContext(call string) (map[string]any, error) {
	var out *C.char
	err := e.callControl(func(h *C.hl_engine, a *carena, er **C.hl_error) C.hl_status {
		return C.hl_engine_call_context(h, a.always(call), &out, er)
	})
	if err != nil {
		return nil, err
	}
	defer C.hl_free(unsafe.Pointer(out))
	var pop map[string]any
	err = json.Unmarshal([]byte(C.GoString(out)), &pop)
	return pop, err
}
