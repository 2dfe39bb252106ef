package hotline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const intervalsConfig = `{"queues": [{"id": "sales"}],
  "agents": [{"id": "ann", "queues": ["sales"]}],
  "flows": [{"id": "info", "start": "bye", "nodes": {"bye": {"type": "hangup"}}}]}`

const minute = 60000

// aMorning: c1 arrives at 00:29 and is answered at 00:31; c2 ends in the
// IVR (its flow hangs up) at 00:40.
func aMorning(t *testing.T) *Engine {
	t.Helper()
	e := mustEngine(t, intervalsConfig)
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 29*minute))
	ok(t, e.AgentLogin("ann", 31*minute))
	commands, err := e.TypedCommands()
	ok(t, err)
	var reservation uint64
	for _, c := range commands {
		if c.Kind == CommandRingAgent {
			reservation = c.Reservation
		}
	}
	if reservation == 0 {
		t.Fatal("ann was not rung")
	}
	ok(t, e.AgentAnswered(reservation, 31*minute))
	ok(t, e.CallArrived(Call{ID: "c2", Flow: "info"}, 40*minute))
	return e
}

// rowsByStart indexes a list of interval rows by their start_ms.
func rowsByStart(t *testing.T, list any) map[int64]map[string]any {
	t.Helper()
	rows, isList := list.([]any)
	if !isList {
		t.Fatalf("not a list of rows: %v", list)
	}
	out := map[int64]map[string]any{}
	for _, r := range rows {
		row := r.(map[string]any)
		out[int64(row["start_ms"].(float64))] = row
	}
	return out
}

func TestAnAnswerIsCountedInTheIntervalItsCallArrivedIn(t *testing.T) {
	e := aMorning(t)
	history, err := e.Intervals(IntervalQuery{FromMs: 0, ToMs: 60 * minute, IntervalMinutes: 15})
	ok(t, err)
	sales := rowsByStart(t, history["queues"].(map[string]any)["sales"])
	if len(sales) != 4 {
		t.Fatalf("four 15-minute intervals in the hour, got %d", len(sales))
	}
	if sales[15*minute]["offered"] != 1.0 || sales[15*minute]["answered"] != 1.0 {
		t.Fatalf("00:15 offered and answered c1: %v", sales[15*minute])
	}
	if sales[30*minute]["answered"] != 0.0 || sales[30*minute]["service_level"] != nil {
		t.Fatalf("00:30 had no contact of its own: %v", sales[30*minute])
	}
	ann := rowsByStart(t, history["agents"].(map[string]any)["ann"])
	if ann[30*minute]["answered"] != 1.0 {
		t.Fatalf("ann answered at 00:31: %v", ann[30*minute])
	}
}

func TestSelfServiceAndOneAgentOnly(t *testing.T) {
	e := aMorning(t)
	history, err := e.Intervals(IntervalQuery{ToMs: 60 * minute, Agent: "ann", NoQueues: true})
	ok(t, err)
	if _, has := history["queues"]; has {
		t.Fatal("queues were left out")
	}
	history, err = e.Intervals(IntervalQuery{ToMs: 60 * minute, NoAgents: true})
	ok(t, err)
	calls := rowsByStart(t, history["calls"])
	if calls[30*minute]["self_served"] != 1.0 || calls[30*minute]["self_service_share"] != 1.0 {
		t.Fatalf("c2 ended in the IVR: %v", calls[30*minute])
	}
}

func TestBadIntervalQueriesNameTheField(t *testing.T) {
	e := aMorning(t)
	_, err := e.Intervals(IntervalQuery{ToMs: 60 * minute, IntervalMinutes: 20})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "interval_minutes") {
		t.Fatalf("20 minutes is not a multiple of 15: %v", err)
	}
	_, err = e.Intervals(IntervalQuery{ToMs: 60 * minute, Queue: "nobody"})
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "queue_id") {
		t.Fatalf("an unknown queue: %v", err)
	}
}

func TestTheQueueLogAgreesWithTheHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queue_log")
	e := mustEngine(t, intervalsConfig)
	ok(t, e.SetQueueLog(path))
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 29*minute))
	ok(t, e.AgentLogin("ann", 31*minute))
	ok(t, e.SetQueueLog(""))
	history, err := e.Intervals(IntervalQuery{ToMs: 60 * minute, NoAgents: true})
	ok(t, err)
	text, err := os.ReadFile(path)
	ok(t, err)
	entered := 0
	for _, line := range strings.Split(strings.TrimSpace(string(text)), "\n") {
		if f := strings.Split(line, "|"); len(f) >= 5 && f[2] == "sales" && f[4] == "ENTERQUEUE" {
			entered++
		}
	}
	offered := 0.0
	for _, row := range history["queues"].(map[string]any)["sales"].([]any) {
		offered += row.(map[string]any)["offered"].(float64)
	}
	if entered != 1 || offered != 1 {
		t.Fatalf("one ENTERQUEUE for the one call offered: %d lines, %v offered", entered, offered)
	}
	if err := e.SetQueueLog("/nonexistent-folder/queue_log"); !errors.Is(err, ErrIO) ||
		!strings.Contains(err.Error(), "/nonexistent-folder/queue_log") {
		t.Fatalf("an unopenable path: %v", err)
	}
}
