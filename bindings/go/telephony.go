package hotline

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hotline.h"

extern int goTelAnswer(uintptr_t h, char *call);
extern int goTelPlay(uintptr_t h, char *call, char *prompts, int barge_in, int loop);
extern int goTelStopPlayback(uintptr_t h, char *call);
extern int goTelCollectDigits(uintptr_t h, char *call, int min_digits, int max_digits,
                              char terminator);
extern int goTelRecord(uintptr_t h, char *call, int64_t max_ms, char finish_key);
extern int goTelTransfer(uintptr_t h, char *call, char *target);
extern int goTelHangup(uintptr_t h, char *call);
extern int goTelRingAgent(uintptr_t h, char *call, char *agent, uint64_t reservation);
extern int goTelStopRinging(uintptr_t h, char *call, char *agent, uint64_t reservation);
extern int goTelBridge(uintptr_t h, char *call, char *agent);
extern int goTelHostRequest(uintptr_t h, uint64_t request, char *kind, char *function,
                            char *args);
extern void goTelDestroy(uintptr_t h);
extern int goTelHold(uintptr_t h, char *call, char *prompts);
extern int goTelResume(uintptr_t h, char *call);
extern int goTelDial(uintptr_t h, char *call, char *leg, char *agent, char *target);
extern int goTelHangupLeg(uintptr_t h, char *call, char *leg);
extern int goTelMix(uintptr_t h, char *call, char *mix);
extern int goTelRecordControl(uintptr_t h, char *call, char *action);

// The Go side's handle travels as the vtable's user pointer; C holds no Go pointer.
static int tel_answer(void *u, const char *c) { return goTelAnswer((uintptr_t)u, (char *)c); }
static int tel_play(void *u, const char *c, const char *p, int b, int l) {
	return goTelPlay((uintptr_t)u, (char *)c, (char *)p, b, l);
}
static int tel_stop_playback(void *u, const char *c) {
	return goTelStopPlayback((uintptr_t)u, (char *)c);
}
static int tel_collect(void *u, const char *c, int lo, int hi, char t) {
	return goTelCollectDigits((uintptr_t)u, (char *)c, lo, hi, t);
}
static int tel_record(void *u, const char *c, int64_t ms, char k) {
	return goTelRecord((uintptr_t)u, (char *)c, ms, k);
}
static int tel_transfer(void *u, const char *c, const char *t) {
	return goTelTransfer((uintptr_t)u, (char *)c, (char *)t);
}
static int tel_hangup(void *u, const char *c) { return goTelHangup((uintptr_t)u, (char *)c); }
static int tel_ring(void *u, const char *c, const char *a, uint64_t r) {
	return goTelRingAgent((uintptr_t)u, (char *)c, (char *)a, r);
}
static int tel_stop_ringing(void *u, const char *c, const char *a, uint64_t r) {
	return goTelStopRinging((uintptr_t)u, (char *)c, (char *)a, r);
}
static int tel_bridge(void *u, const char *c, const char *a) {
	return goTelBridge((uintptr_t)u, (char *)c, (char *)a);
}
static int tel_host_request(void *u, uint64_t r, const char *k, const char *f, const char *a) {
	return goTelHostRequest((uintptr_t)u, r, (char *)k, (char *)f, (char *)a);
}

static void tel_destroy(void *u) { goTelDestroy((uintptr_t)u); }

static int tel_hold(void *u, const char *c, const char *p) {
	return goTelHold((uintptr_t)u, (char *)c, (char *)p);
}
static int tel_resume(void *u, const char *c) { return goTelResume((uintptr_t)u, (char *)c); }
static int tel_dial(void *u, const char *c, const char *l, const char *a, const char *t) {
	return goTelDial((uintptr_t)u, (char *)c, (char *)l, (char *)a, (char *)t);
}
static int tel_hangup_leg(void *u, const char *c, const char *l) {
	return goTelHangupLeg((uintptr_t)u, (char *)c, (char *)l);
}
static int tel_mix(void *u, const char *c, const char *m) {
	return goTelMix((uintptr_t)u, (char *)c, (char *)m);
}
static int tel_record_control(void *u, const char *c, const char *a) {
	return goTelRecordControl((uintptr_t)u, (char *)c, (char *)a);
}

// One bit per slot, in the order of hl_telephony: a clear bit leaves it NULL.
// destroy is always set: it releases the Go side's handle.
static hl_status set_go_telephony(hl_engine *e, uintptr_t h, unsigned slots, hl_error **err) {
	hl_telephony t;
	memset(&t, 0, sizeof t);
	t.version = HL_TELEPHONY_VERSION;
	t.user = (void *)h;
	if (slots & 1u) t.answer = tel_answer;
	if (slots & 2u) t.play = tel_play;
	if (slots & 4u) t.stop_playback = tel_stop_playback;
	if (slots & 8u) t.collect_digits = tel_collect;
	if (slots & 16u) t.record = tel_record;
	if (slots & 32u) t.transfer = tel_transfer;
	if (slots & 64u) t.hangup = tel_hangup;
	if (slots & 128u) t.ring_agent = tel_ring;
	if (slots & 256u) t.stop_ringing = tel_stop_ringing;
	if (slots & 512u) t.bridge = tel_bridge;
	if (slots & 1024u) t.host_request = tel_host_request;
	t.destroy = tel_destroy;
	if (slots & 2048u) t.hold = tel_hold;
	if (slots & 4096u) t.resume = tel_resume;
	if (slots & 8192u) t.dial = tel_dial;
	if (slots & 16384u) t.hangup_leg = tel_hangup_leg;
	if (slots & 32768u) t.mix = tel_mix;
	if (slots & 65536u) t.record_control = tel_record_control;
	return hl_engine_set_telephony(e, &t, err);
}
*/
import "C"

import (
	"encoding/json"
	"errors"
	"runtime/cgo"
)

// Prompt is one prompt of a play request: an audio URI or text to speak.
type Prompt struct {
	Audio string `json:"audio,omitempty"`
	TTS   string `json:"tts,omitempty"`
}

// Telephony is the switch's side of the engine, mirroring the C vtable
// hl_telephony. Set the requests your switch carries out; a nil one leaves
// its commands for Commands. The engine calls them on the thread that drives
// it. Return nil when the switch took the request on, or an error when it
// could not (an *Error passes its Status back, any other error HL_EUSER); the
// engine then takes the safe path and sends a "host_error" notification. A
// panic is recovered and reported as HL_EUSER: nothing unwinds into C.
//
// The engine holds the Telephony (version 3 of hl_telephony) until it drops
// it: another one is set, SetTelephony(nil), or the engine closes. Then it
// calls Destroy, once, and no other function after that.
type Telephony struct {
	// Answer answers the call.
	Answer func(callID string) error
	// Play plays prompts; report PromptDone when they end (not for loop).
	Play func(callID string, prompts []Prompt, bargeIn, loop bool) error
	// StopPlayback stops what is playing to the call.
	StopPlayback func(callID string) error
	// CollectDigits starts DTMF detection; each key comes back through Digit.
	// terminator is 0 when there is none.
	CollectDigits func(callID string, minDigits, maxDigits int, terminator byte) error
	// Record records the caller; report RecordingDone.
	Record func(callID string, maxMs int64, finishKey byte) error
	// Transfer sends the call to a number or address outside the engine.
	Transfer func(callID, target string) error
	// Hangup hangs up the call.
	Hangup func(callID string) error
	// RingAgent offers the call to the agent's phone; answer with
	// AgentAnswered (or AgentRejected, AgentNoAnswer) and the reservation.
	RingAgent func(callID, agentID string, reservation uint64) error
	// StopRinging stops offering the call to the agent's phone.
	StopRinging func(callID, agentID string, reservation uint64) error
	// Bridge connects the caller and the agent.
	Bridge func(callID, agentID string) error
	// HostRequest is the host's own function: kind is "lookup",
	// "create_ticket" or "register_callback"; answer with HostResult.
	HostRequest func(requestID uint64, kind, function string, args any) error
	// Destroy, when set, is called once when the engine drops this Telephony.
	Destroy func()

	// Live call control (docs/call-control.md). A leg is the caller's (the
	// call id), an agent's (the agent id) or a dialled number's ("<call id>:<n>").

	// Hold takes the caller out of the conversation and loops prompts to them.
	Hold func(callID string, prompts []Prompt) error
	// Resume puts the caller back into the conversation as the last Mix says.
	Resume func(callID string) error
	// Dial adds leg to the call: rings agentID's phone (target "") or calls
	// target (agentID ""); report LegAnswered or LegEnded.
	Dial func(callID, leg, agentID, target string) error
	// HangupLeg drops that leg from the call.
	HangupLeg func(callID, leg string) error
	// Mix sets who hears whom for every leg of the call (it replaces the last).
	Mix func(callID string, mix Mix) error
	// RecordControl starts, stops, pauses or resumes the call's recording.
	RecordControl func(callID, action string) error
}

func (t *Telephony) slots() C.uint {
	var bits C.uint
	set := []bool{t.Answer != nil, t.Play != nil, t.StopPlayback != nil,
		t.CollectDigits != nil, t.Record != nil, t.Transfer != nil, t.Hangup != nil,
		t.RingAgent != nil, t.StopRinging != nil, t.Bridge != nil, t.HostRequest != nil,
		t.Hold != nil, t.Resume != nil, t.Dial != nil, t.HangupLeg != nil, t.Mix != nil,
		t.RecordControl != nil}
	for i, on := range set {
		if on {
			bits |= 1 << uint(i)
		}
	}
	return bits
}

// SetTelephony hands commands to t as the engine emits them, each to the
// function of its kind; nil goes back to polling with Commands. The
// Telephony set before gets its Destroy call.
func (e *Engine) SetTelephony(t *Telephony) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	if t == nil {
		return check(C.hl_engine_set_telephony(h, nil, &cerr), cerr)
	}
	// The handle lives until the engine calls destroy (goTelDestroy).
	handle := cgo.NewHandle(t)
	if err := check(C.set_go_telephony(h, C.uintptr_t(handle), t.slots(), &cerr), cerr); err != nil {
		handle.Delete() // refused: the engine never calls this table's destroy
		return err
	}
	return nil
}

// telephonyStatus runs a Telephony function and turns its outcome into the
// status C expects.
func telephonyStatus(h C.uintptr_t, fn func(t *Telephony) error) (status C.int) {
	defer func() {
		if recover() != nil {
			status = C.HL_EUSER
		}
	}()
	t, ok := cgo.Handle(h).Value().(*Telephony)
	if !ok {
		return C.HL_EUSER
	}
	if err := fn(t); err != nil {
		var he *Error
		if errors.As(err, &he) && he.Status < 0 {
			return C.int(he.Status)
		}
		return C.HL_EUSER
	}
	return C.HL_OK
}

//export goTelAnswer
func goTelAnswer(h C.uintptr_t, call *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error { return t.Answer(C.GoString(call)) })
}

//export goTelPlay
func goTelPlay(h C.uintptr_t, call, prompts *C.char, bargeIn, loop C.int) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		var list []Prompt
		if err := json.Unmarshal([]byte(C.GoString(prompts)), &list); err != nil {
			return err
		}
		return t.Play(C.GoString(call), list, bargeIn != 0, loop != 0)
	})
}

//export goTelStopPlayback
func goTelStopPlayback(h C.uintptr_t, call *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error { return t.StopPlayback(C.GoString(call)) })
}

//export goTelCollectDigits
func goTelCollectDigits(h C.uintptr_t, call *C.char, minDigits, maxDigits C.int, term C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.CollectDigits(C.GoString(call), int(minDigits), int(maxDigits), byte(term))
	})
}

//export goTelRecord
func goTelRecord(h C.uintptr_t, call *C.char, maxMs C.int64_t, key C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.Record(C.GoString(call), int64(maxMs), byte(key))
	})
}

//export goTelTransfer
func goTelTransfer(h C.uintptr_t, call, target *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.Transfer(C.GoString(call), C.GoString(target))
	})
}

//export goTelHangup
func goTelHangup(h C.uintptr_t, call *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error { return t.Hangup(C.GoString(call)) })
}

//export goTelRingAgent
func goTelRingAgent(h C.uintptr_t, call, agent *C.char, reservation C.uint64_t) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.RingAgent(C.GoString(call), C.GoString(agent), uint64(reservation))
	})
}

//export goTelStopRinging
func goTelStopRinging(h C.uintptr_t, call, agent *C.char, reservation C.uint64_t) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.StopRinging(C.GoString(call), C.GoString(agent), uint64(reservation))
	})
}

//export goTelBridge
func goTelBridge(h C.uintptr_t, call, agent *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.Bridge(C.GoString(call), C.GoString(agent))
	})
}

//export goTelHostRequest
func goTelHostRequest(h C.uintptr_t, request C.uint64_t, kind, function, args *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		var decoded any
		if text := C.GoString(args); text != "" {
			if err := json.Unmarshal([]byte(text), &decoded); err != nil {
				return err
			}
		}
		return t.HostRequest(uint64(request), C.GoString(kind), C.GoString(function), decoded)
	})
}

//export goTelDestroy
func goTelDestroy(h C.uintptr_t) {
	handle := cgo.Handle(h)
	defer handle.Delete()
	defer func() { _ = recover() }() // a panicking Destroy must not unwind into C
	if t, ok := handle.Value().(*Telephony); ok && t.Destroy != nil {
		t.Destroy()
	}
}

//export goTelHold
func goTelHold(h C.uintptr_t, call, prompts *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		var list []Prompt
		if err := json.Unmarshal([]byte(C.GoString(prompts)), &list); err != nil {
			return err
		}
		return t.Hold(C.GoString(call), list)
	})
}

//export goTelResume
func goTelResume(h C.uintptr_t, call *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error { return t.Resume(C.GoString(call)) })
}

//export goTelDial
func goTelDial(h C.uintptr_t, call, leg, agent, target *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		// C passes NULL for the party it does not dial; GoString(NULL) is "".
		return t.Dial(C.GoString(call), C.GoString(leg), C.GoString(agent), C.GoString(target))
	})
}

//export goTelHangupLeg
func goTelHangupLeg(h C.uintptr_t, call, leg *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.HangupLeg(C.GoString(call), C.GoString(leg))
	})
}

//export goTelMix
func goTelMix(h C.uintptr_t, call, mix *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		var m Mix
		if err := json.Unmarshal([]byte(C.GoString(mix)), &m); err != nil {
			return err
		}
		return t.Mix(C.GoString(call), m)
	})
}

//export goTelRecordControl
func goTelRecordControl(h C.uintptr_t, call, action *C.char) C.int {
	return telephonyStatus(h, func(t *Telephony) error {
		return t.RecordControl(C.GoString(call), C.GoString(action))
	})
}
