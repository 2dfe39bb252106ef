package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

// Configuration while running: queues, agents and flows as in the engine's
// configuration, each JSON text or a value encoded as JSON.

// configCall runs fn with the live handle and a C copy of the JSON of v.
func (e *Engine) configCall(v any, fn func(*C.hl_engine, *C.char, **C.hl_error) C.hl_status) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cs cstrings
	defer cs.free()
	text := cs.of(marshal(v))
	var cerr *C.hl_error
	return check(fn(h, text, &cerr), cerr)
}

// SetQueue adds a queue ({"id": ..., "strategy": ..., "rings": ...}) or
// replaces the one with its id.
func (e *Engine) SetQueue(queue any) error {
	return e.configCall(queue, func(h *C.hl_engine, s *C.char, er **C.hl_error) C.hl_status {
		return C.hl_engine_set_queue(h, s, er)
	})
}

// RemoveQueue removes the queue with this id.
func (e *Engine) RemoveQueue(queueID string) error {
	return e.configCall(queueID, func(h *C.hl_engine, s *C.char, er **C.hl_error) C.hl_status {
		return C.hl_engine_remove_queue(h, s, er)
	})
}

// SetAgent adds an agent ({"id": ..., "queues": [...], "skills": ...}) or
// replaces the one with its id.
func (e *Engine) SetAgent(agent any, nowMs int64) error {
	return e.configCall(agent, func(h *C.hl_engine, s *C.char, er **C.hl_error) C.hl_status {
		return C.hl_engine_set_agent(h, s, C.int64_t(nowMs), er)
	})
}

// RemoveAgent removes an agent; it must be logged out.
func (e *Engine) RemoveAgent(agentID string) error {
	return e.configCall(agentID, func(h *C.hl_engine, s *C.char, er **C.hl_error) C.hl_status {
		return C.hl_engine_remove_agent(h, s, er)
	})
}

// LoadFlow adds an IVR flow or replaces the one with its id for new calls
// (calls in progress finish on their version).
func (e *Engine) LoadFlow(flow any) error {
	return e.configCall(flow, func(h *C.hl_engine, s *C.char, er **C.hl_error) C.hl_status {
		return C.hl_engine_load_flow(h, s, er)
	})
}
