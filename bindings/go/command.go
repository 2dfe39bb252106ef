package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// CommandKind says what the engine asks of the switch or the host
// (hl_command_kind); docs/events.md lists each kind's fields.
type CommandKind int

// The command kinds, as in the C ABI.
const (
	CommandAnswer           CommandKind = C.HL_COMMAND_ANSWER
	CommandPlay             CommandKind = C.HL_COMMAND_PLAY
	CommandStopPlayback     CommandKind = C.HL_COMMAND_STOP_PLAYBACK
	CommandCollectDigits    CommandKind = C.HL_COMMAND_COLLECT_DIGITS
	CommandRecord           CommandKind = C.HL_COMMAND_RECORD
	CommandTransfer         CommandKind = C.HL_COMMAND_TRANSFER
	CommandHangup           CommandKind = C.HL_COMMAND_HANGUP
	CommandRingAgent        CommandKind = C.HL_COMMAND_RING_AGENT
	CommandStopRinging      CommandKind = C.HL_COMMAND_STOP_RINGING
	CommandBridge           CommandKind = C.HL_COMMAND_BRIDGE
	CommandLookup           CommandKind = C.HL_COMMAND_LOOKUP
	CommandCreateTicket     CommandKind = C.HL_COMMAND_CREATE_TICKET
	CommandRegisterCallback CommandKind = C.HL_COMMAND_REGISTER_CALLBACK
	// Live call control (docs/call-control.md).
	CommandHold          CommandKind = C.HL_COMMAND_HOLD           // Prompts: music for the caller
	CommandResume        CommandKind = C.HL_COMMAND_RESUME         // the caller rejoins
	CommandDial          CommandKind = C.HL_COMMAND_DIAL           // Leg, AgentID or Target
	CommandHangupLeg     CommandKind = C.HL_COMMAND_HANGUP_LEG     // Leg
	CommandMix           CommandKind = C.HL_COMMAND_MIX            // Mix
	CommandRecordControl CommandKind = C.HL_COMMAND_RECORD_CONTROL // Action
)

// Mix says who hears whom on a call: for every leg, the legs it hears.
type Mix struct {
	Legs map[string][]string `json:"legs"`
}

// String is the kind's name as in JSON ("ring_agent"), from the library
// (hl_command_kind_name); an unknown kind prints as its number.
func (k CommandKind) String() string {
	if name := C.hl_command_kind_name(C.hl_command_kind(k)); name != nil {
		return C.GoString(name)
	}
	return fmt.Sprintf("CommandKind(%d)", int(k))
}

// Command is a typed command (hl_command): Kind says which fields it uses,
// the others hold their zero values. Prompts and Args are decoded from
// their JSON.
type Command struct {
	Kind        CommandKind
	Time        int64 // the engine's time when it was made
	CallID      string
	AgentID     string
	QueueID     string
	Reservation uint64
	RequestID   uint64
	Prompts     []Prompt // play
	BargeIn     bool     // play
	Loop        bool     // play: repeat until stopped (music on hold)
	MinDigits   int      // collect_digits
	MaxDigits   int      // collect_digits
	Terminator  byte     // collect_digits: 0 when none
	FinishKey   byte     // record: 0 when none
	MaxMs       int64    // record
	Target      string   // transfer, register_callback; a callback's number
	Function    string   // lookup
	Args        map[string]any
	Leg         string // dial, hangup_leg
	Mix         Mix    // mix
	Action      string // record_control
}

func commandFrom(c *C.hl_command) (Command, error) {
	out := Command{
		Kind: CommandKind(c.kind), Time: int64(c.time),
		CallID: C.GoString(c.call_id), AgentID: C.GoString(c.agent_id),
		QueueID: C.GoString(c.queue_id), Reservation: uint64(c.reservation),
		RequestID: uint64(c.request_id), BargeIn: c.barge_in != 0, Loop: c.loop != 0,
		MinDigits: int(c.min_digits), MaxDigits: int(c.max_digits),
		Terminator: byte(c.terminator), FinishKey: byte(c.finish_key), MaxMs: int64(c.max_ms),
		Target: C.GoString(c.target), Function: C.GoString(c.function),
		Leg: C.GoString(c.leg), Action: C.GoString(c.action),
	}
	if text := C.GoString(c.mix_json); text != "" {
		if err := json.Unmarshal([]byte(text), &out.Mix); err != nil {
			return out, fmt.Errorf("mix: %w", err)
		}
	}
	if text := C.GoString(c.prompts_json); text != "" {
		if err := json.Unmarshal([]byte(text), &out.Prompts); err != nil {
			return out, fmt.Errorf("prompts: %w", err)
		}
	}
	if text := C.GoString(c.args_json); text != "" {
		if err := json.Unmarshal([]byte(text), &out.Args); err != nil {
			return out, fmt.Errorf("args: %w", err)
		}
	}
	return out, nil
}

// NextCommand takes the oldest pending command, typed; ok is false when none
// is pending. It reads the same queue as Commands.
func (e *Engine) NextCommand() (command Command, ok bool, err error) {
	h, err := e.handle()
	if err != nil {
		return Command{}, false, err
	}
	var c *C.hl_command
	status := C.hl_engine_poll_command_typed(h, &c)
	if status == C.HL_ENOTFOUND {
		return Command{}, false, nil
	}
	if err := check(status, nil); err != nil {
		return Command{}, false, err
	}
	defer C.hl_free(unsafe.Pointer(c))
	command, err = commandFrom(c)
	return command, err == nil, err
}

// TypedCommands takes the pending commands, typed, oldest first.
func (e *Engine) TypedCommands() ([]Command, error) {
	var out []Command
	for {
		c, ok, err := e.NextCommand()
		if err != nil || !ok {
			return out, err
		}
		out = append(out, c)
	}
}

// JSON is the command as the JSON object Commands hands out, written by the
// library (hl_command_to_json).
func (c Command) JSON() (string, error) {
	var a carena
	defer a.free()
	cc := (*C.hl_command)(a.alloc(C.sizeof_hl_command))
	cc.size = C.uint32_t(C.sizeof_hl_command)
	cc.kind = C.hl_command_kind(c.Kind)
	cc.time = C.int64_t(c.Time)
	text := func(s string) *C.char { // never NULL in an hl_command
		cs := C.CString(s)
		a = append(a, unsafe.Pointer(cs))
		return cs
	}
	cc.call_id, cc.agent_id, cc.queue_id = text(c.CallID), text(c.AgentID), text(c.QueueID)
	cc.reservation, cc.request_id = C.uint64_t(c.Reservation), C.uint64_t(c.RequestID)
	prompts, err := json.Marshal(c.Prompts)
	if err != nil {
		return "", err
	}
	if c.Prompts == nil {
		prompts = []byte("[]")
	}
	cc.prompts_json = text(string(prompts))
	if c.BargeIn {
		cc.barge_in = 1
	}
	if c.Loop {
		cc.loop = 1
	}
	cc.min_digits, cc.max_digits = C.int(c.MinDigits), C.int(c.MaxDigits)
	cc.terminator, cc.finish_key = C.char(c.Terminator), C.char(c.FinishKey)
	cc.max_ms = C.int64_t(c.MaxMs)
	cc.target, cc.function = text(c.Target), text(c.Function)
	args := []byte("{}")
	if c.Args != nil {
		if args, err = json.Marshal(c.Args); err != nil {
			return "", err
		}
	}
	cc.args_json = text(string(args))
	mix := []byte("{}")
	if c.Mix.Legs != nil {
		if mix, err = json.Marshal(c.Mix); err != nil {
			return "", err
		}
	}
	cc.leg, cc.mix_json, cc.action = text(c.Leg), text(string(mix)), text(c.Action)
	var out *C.char
	var cerr *C.hl_error
	if err := check(C.hl_command_to_json(cc, &out, &cerr), cerr); err != nil {
		return "", err
	}
	defer C.hl_free(unsafe.Pointer(out))
	return C.GoString(out), nil
}
