package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
)

// EventKind says what happened (hl_event_kind); docs/events.md lists each
// kind's fields.
type EventKind int

// The event kinds, as in the C ABI.
const (
	EventCallArrived    EventKind = C.HL_EVENT_CALL_ARRIVED    // Contact (a voice call)
	EventContactArrived EventKind = C.HL_EVENT_CONTACT_ARRIVED // Contact
	EventDigit          EventKind = C.HL_EVENT_DIGIT           // CallID, Digit
	EventPromptDone     EventKind = C.HL_EVENT_PROMPT_DONE     // CallID
	EventRecordingDone  EventKind = C.HL_EVENT_RECORDING_DONE  // CallID, Recording
	EventHostResult     EventKind = C.HL_EVENT_HOST_RESULT     // RequestID, OK, Result
	EventCallHungUp     EventKind = C.HL_EVENT_CALL_HUNG_UP    // CallID
	EventAgentAnswered  EventKind = C.HL_EVENT_AGENT_ANSWERED  // Reservation
	EventAgentRejected  EventKind = C.HL_EVENT_AGENT_REJECTED  // Reservation
	EventAgentNoAnswer  EventKind = C.HL_EVENT_AGENT_NO_ANSWER // Reservation
	EventAgentHungUp    EventKind = C.HL_EVENT_AGENT_HUNG_UP   // CallID
	EventTransfer       EventKind = C.HL_EVENT_TRANSFER        // CallID, QueueID
	EventWrapUpDone     EventKind = C.HL_EVENT_WRAP_UP_DONE    // CallID
	EventAgentLogin     EventKind = C.HL_EVENT_AGENT_LOGIN     // AgentID
	EventAgentLogout    EventKind = C.HL_EVENT_AGENT_LOGOUT    // AgentID
	EventAgentReady     EventKind = C.HL_EVENT_AGENT_READY     // AgentID
	EventAgentNotReady  EventKind = C.HL_EVENT_AGENT_NOT_READY // AgentID, Reason
	// Live call control (docs/call-control.md). A party is AgentID or Target.
	EventHold             EventKind = C.HL_EVENT_HOLD              // CallID
	EventResume           EventKind = C.HL_EVENT_RESUME            // CallID
	EventConsult          EventKind = C.HL_EVENT_CONSULT           // CallID, AgentID, QueueID or Target
	EventLegAnswered      EventKind = C.HL_EVENT_LEG_ANSWERED      // CallID, Leg
	EventLegEnded         EventKind = C.HL_EVENT_LEG_ENDED         // CallID, Leg
	EventTransferComplete EventKind = C.HL_EVENT_TRANSFER_COMPLETE // CallID
	EventConsultCancel    EventKind = C.HL_EVENT_CONSULT_CANCEL    // CallID
	EventConference       EventKind = C.HL_EVENT_CONFERENCE        // CallID
	EventConferenceAdd    EventKind = C.HL_EVENT_CONFERENCE_ADD    // CallID, AgentID or Target
	EventConferenceDrop   EventKind = C.HL_EVENT_CONFERENCE_DROP   // CallID, Leg
	EventMute             EventKind = C.HL_EVENT_MUTE              // CallID, Leg, Muted
	EventBlindTransfer    EventKind = C.HL_EVENT_BLIND_TRANSFER    // CallID, AgentID or Target
	EventWrapUpCode       EventKind = C.HL_EVENT_WRAP_UP_CODE      // CallID, Code
	EventSupervise        EventKind = C.HL_EVENT_SUPERVISE         // CallID, Supervisor, Mode (Leg)
	EventForceRelease     EventKind = C.HL_EVENT_FORCE_RELEASE     // CallID, Supervisor
	EventForceNotReady    EventKind = C.HL_EVENT_FORCE_NOT_READY   // AgentID, Supervisor (Reason)
	EventForceLogout      EventKind = C.HL_EVENT_FORCE_LOGOUT      // AgentID, Supervisor
	EventRecordingControl EventKind = C.HL_EVENT_RECORDING_CONTROL // CallID, Action
)

// The modes of EventSupervise (Event.Mode).
const (
	SuperviseMonitor  = "monitor"   // the supervisor hears both; nobody hears them
	SuperviseWhisper  = "whisper"   // only the agent hears the supervisor
	SuperviseBarge    = "barge"     // everyone hears everyone
	SuperviseTakeOver = "take_over" // the agent leaves; the supervisor has the call
)

// The actions of EventRecordingControl and CommandRecordControl.
const (
	RecordingStart  = "start"
	RecordingStop   = "stop"
	RecordingPause  = "pause"
	RecordingResume = "resume"
)

// String is the kind's name as in JSON ("digit"), from the library
// (hl_event_kind_name); an unknown kind prints as its number.
func (k EventKind) String() string {
	if name := C.hl_event_kind_name(C.hl_event_kind(k)); name != nil {
		return C.GoString(name)
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is a typed event (hl_event): Kind says which of the other fields it
// reads, and it ignores the rest. The two arrival kinds read Contact.
type Event struct {
	Kind        EventKind
	CallID      string
	AgentID     string
	QueueID     string // EventTransfer: the queue the caller moves to; EventConsult: the queue consulted
	Reason      string // EventAgentNotReady, or ""
	Recording   string
	Digit       byte // one DTMF key: 0-9, * or #
	Reservation uint64
	RequestID   uint64
	OK          bool     // EventHostResult: the request succeeded
	Result      any      // EventHostResult: encoded as JSON; nil for none
	Contact     *Contact // EventCallArrived, EventContactArrived
	Leg         string   // a leg of the call: the call id, an agent id or "<call id>:<n>"
	Target      string   // an outside number or URI (the party when AgentID is "")
	Mode        string   // EventSupervise: SuperviseMonitor, ...
	Code        string   // EventWrapUpCode: the disposition
	Action      string   // EventRecordingControl: RecordingStart, ...
	Supervisor  string   // the supervisor acting
	Muted       bool     // EventMute: mute (true) or unmute
}

// cEvent is the hl_event for ev, in the arena's memory.
func (a *carena) cEvent(ev *Event) (*C.hl_event, error) {
	out := (*C.hl_event)(a.alloc(C.sizeof_hl_event))
	out.size = C.uint32_t(C.sizeof_hl_event)
	out.kind = C.hl_event_kind(ev.Kind)
	out.call_id = a.str(ev.CallID)
	out.agent_id = a.str(ev.AgentID)
	out.queue_id = a.str(ev.QueueID)
	out.reason = a.str(ev.Reason)
	out.recording = a.str(ev.Recording)
	out.digit = C.char(ev.Digit)
	out.reservation = C.uint64_t(ev.Reservation)
	out.request_id = C.uint64_t(ev.RequestID)
	out.leg = a.str(ev.Leg)
	out.target = a.str(ev.Target)
	out.mode = a.str(ev.Mode)
	out.code = a.str(ev.Code)
	out.action = a.str(ev.Action)
	out.supervisor = a.str(ev.Supervisor)
	if ev.Muted {
		out.muted = 1
	}
	if ev.OK {
		out.ok = 1
	}
	if ev.Result != nil {
		text, err := json.Marshal(ev.Result)
		if err != nil {
			return nil, &Error{Status: StatusInvalid, Message: fmt.Sprintf("result: %v", err)}
		}
		out.result_json = a.str(string(text))
	}
	if ev.Contact != nil {
		c, err := a.cContact(ev.Contact)
		if err != nil {
			return nil, err
		}
		out.contact = c
	}
	return out, nil
}

// ApplyEvent applies a typed event at once, on the calling goroutine (the
// one that drives the engine).
func (e *Engine) ApplyEvent(ev Event, nowMs int64) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var a carena
	defer a.free()
	c, err := a.cEvent(&ev)
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(C.hl_engine_apply_event(h, c, C.int64_t(nowMs), &cerr), cerr)
}

// PostEvent hands a typed event to the running loop from any goroutine. It
// is checked (and copied) before PostEvent returns: a bad field is refused
// with its name and nothing is queued.
func (e *Engine) PostEvent(ev Event) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var a carena
	defer a.free()
	c, err := a.cEvent(&ev)
	if err != nil {
		return err
	}
	var cerr *C.hl_error
	return check(C.hl_engine_post_event(h, c, &cerr), cerr)
}
