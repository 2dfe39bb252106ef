package hotline

/*
#include "hotline.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Workload is the traffic to staff for: arrivals per hour, the average
// handling time, and T in "80 % answered within T seconds".
type Workload struct {
	ArrivalsPerHour     float64
	AHTSeconds          float64
	TargetAnswerSeconds float64
}

// StaffingGoal is what staffing must reach: a service level (a fraction), an
// occupancy cap (1: none) and the shrinkage to allow for (0: none).
type StaffingGoal struct {
	ServiceLevel float64
	MaxOccupancy float64
	Shrinkage    float64
}

// DefaultStaffingGoal is 80 % within T, no occupancy cap, no shrinkage.
var DefaultStaffingGoal = StaffingGoal{ServiceLevel: 0.8, MaxOccupancy: 1, Shrinkage: 0}

// ErlangResult is what a number of agents achieves under a workload. Stable
// is Erlang C's "agents exceed the offered load"; ProbabilityAbandon and
// AverageWaitSeconds are Erlang A's, ASASeconds Erlang C's.
type ErlangResult struct {
	Agents             int
	Stable             bool
	ProbabilityWait    float64
	ProbabilityAbandon float64
	ServiceLevel       float64
	ASASeconds         float64
	AverageWaitSeconds float64
	Occupancy          float64
}

func (w Workload) c() C.hl_workload {
	return C.hl_workload{
		size:                  C.uint32_t(unsafe.Sizeof(C.hl_workload{})),
		arrivals_per_hour:     C.double(w.ArrivalsPerHour),
		aht_seconds:           C.double(w.AHTSeconds),
		target_answer_seconds: C.double(w.TargetAnswerSeconds),
	}
}

func erlangResult(r *C.hl_erlang_result) ErlangResult {
	return ErlangResult{
		Agents:             int(r.agents),
		Stable:             r.stable != 0,
		ProbabilityWait:    float64(r.probability_wait),
		ProbabilityAbandon: float64(r.probability_abandon),
		ServiceLevel:       float64(r.service_level),
		ASASeconds:         float64(r.asa_seconds),
		AverageWaitSeconds: float64(r.average_wait_seconds),
		Occupancy:          float64(r.occupancy),
	}
}

// The calculators report no detail of their own: say which call and with what.
func erlangError(status C.hl_status, call string) error {
	if status == C.HL_OK {
		return nil
	}
	return &Error{Status: int(status), Message: fmt.Sprintf(
		"%s: %s (a negative, infinite or out-of-range value)", call,
		C.GoString(C.hl_status_str(C.int(status))))}
}

// ErlangC is Erlang C (callers wait as long as it takes) for agents.
func ErlangC(w Workload, agents int) (ErlangResult, error) {
	cw := w.c()
	out := C.hl_erlang_result{size: C.uint32_t(unsafe.Sizeof(C.hl_erlang_result{}))}
	status := C.hl_erlang_c(&cw, C.int(agents), &out)
	return erlangResult(&out), erlangError(status, fmt.Sprintf("ErlangC(%+v, %d)", w, agents))
}

// ErlangA is Erlang A (callers give up after an exponential patience with a
// mean of patienceSeconds) for agents.
func ErlangA(w Workload, agents int, patienceSeconds float64) (ErlangResult, error) {
	cw := w.c()
	out := C.hl_erlang_result{size: C.uint32_t(unsafe.Sizeof(C.hl_erlang_result{}))}
	status := C.hl_erlang_a(&cw, C.int(agents), C.double(patienceSeconds), &out)
	return erlangResult(&out), erlangError(status,
		fmt.Sprintf("ErlangA(%+v, %d, patience %g)", w, agents, patienceSeconds))
}

// ErlangAgents is the agents needed for the goal, and the agents to schedule
// once shrinkage is allowed for. patienceSeconds <= 0 uses Erlang C,
// otherwise Erlang A.
func ErlangAgents(w Workload, goal StaffingGoal, patienceSeconds float64) (agents, scheduled int, err error) {
	cw := w.c()
	cg := C.hl_staffing_goal{
		size:          C.uint32_t(unsafe.Sizeof(C.hl_staffing_goal{})),
		service_level: C.double(goal.ServiceLevel),
		max_occupancy: C.double(goal.MaxOccupancy),
		shrinkage:     C.double(goal.Shrinkage),
	}
	var a, s C.int
	status := C.hl_erlang_agents(&cw, &cg, C.double(patienceSeconds), &a, &s)
	return int(a), int(s), erlangError(status,
		fmt.Sprintf("ErlangAgents(%+v, %+v, patience %g)", w, goal, patienceSeconds))
}
