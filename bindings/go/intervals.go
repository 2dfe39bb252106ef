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

// SetQueueLog appends the engine's notifications to path in Asterisk's
// queue_log format, one flushed line at a time; an empty path stops and
// closes it (hl_engine_set_queue_log). ErrIO, naming the path, when the
// file cannot be opened.
func (e *Engine) SetQueueLog(path string) error {
	h, err := e.handle()
	if err != nil {
		return err
	}
	var cpath *C.char
	if path != "" {
		cpath = C.CString(path)
		defer C.free(unsafe.Pointer(cpath))
	}
	var cerr *C.hl_error
	return check(C.hl_engine_set_queue_log(h, cpath, &cerr), cerr)
}

// IntervalQuery asks for the interval history (hl_interval_query): from the
// interval holding FromMs up to ToMs (exclusive; EngineTime: the engine's
// own time), in intervals of IntervalMinutes (15, 30, 60...; 0: 30). Queue
// and Agent, when set, keep only that queue or agent; NoQueues and NoAgents
// leave out the queues' rows (and the calls') or the agents'.
type IntervalQuery struct {
	FromMs, ToMs    int64
	IntervalMinutes int
	Queue, Agent    string
	NoQueues        bool
	NoAgents        bool
}

// Intervals returns the interval history as decoded JSON: "interval_minutes",
// "from_ms", "to_ms", "queues" (id → rows), "calls" (rows: calls and those
// that ended in the IVR) and "agents" (id → rows), every interval listed; a
// ratio with nothing to measure is nil (hl_engine_intervals; the fields are
// in docs/metrics.md).
func (e *Engine) Intervals(q IntervalQuery) (map[string]any, error) {
	h, err := e.handle()
	if err != nil {
		return nil, err
	}
	var cq C.hl_interval_query
	cq.size = C.uint32_t(unsafe.Sizeof(cq))
	cq.from_ms = C.int64_t(q.FromMs)
	cq.to_ms = C.int64_t(q.ToMs)
	cq.interval_minutes = C.int32_t(q.IntervalMinutes)
	if q.IntervalMinutes == 0 {
		cq.interval_minutes = 30
	}
	if q.Queue != "" {
		cq.queue_id = C.CString(q.Queue)
		defer C.free(unsafe.Pointer(cq.queue_id))
	}
	if q.Agent != "" {
		cq.agent_id = C.CString(q.Agent)
		defer C.free(unsafe.Pointer(cq.agent_id))
	}
	if !q.NoQueues {
		cq.include |= C.HL_INTERVALS_QUEUES
	}
	if !q.NoAgents {
		cq.include |= C.HL_INTERVALS_AGENTS
	}
	var out *C.char
	var cerr *C.hl_error
	if err := check(C.hl_engine_intervals(h, &cq, &out, &cerr), cerr); err != nil {
		return nil, err
	}
	defer C.hl_free(unsafe.Pointer(out))
	var history map[string]any
	err = json.Unmarshal([]byte(C.GoString(out)), &history)
	return history, err
}
