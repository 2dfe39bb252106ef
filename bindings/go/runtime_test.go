package hotline

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

const loopConfig = `{
  "queues": [{"id": "sales", "wrap_up_seconds": 1}],
  "agents": [{"id": "ann", "queues": ["sales"]}],
  "flows": [{"id": "front", "start": "ticket", "nodes": {
    "ticket": {"type": "ticket", "fields": {"subject": "Call from ${call.caller}"}, "next": "q"},
    "q": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]}}}]}`

func TestCallOnTheLoop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tickets.db")
	e, err := New(loopConfig, Now())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.UseStore(fmt.Sprintf(`{"backend": "sqlite", "path": %q}`, db)); err != nil {
		t.Fatal(err)
	}
	var events []string
	err = e.OnNotification(func(n map[string]any) {
		ev, _ := n["event"].(string)
		events = append(events, ev)
		switch ev {
		case "offer":
			_ = e.Post("agent_answered", map[string]any{"reservation": n["reservation"]})
		case "offer_accepted":
			_ = e.Post("agent_hung_up", map[string]any{"call_id": n["call_id"]})
		case "wrap_up_ended":
			_ = e.Stop()
		case "contact_queued":
			panic("a panicking listener must not break the engine")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { // the caller's events come from another goroutine
		_ = e.Post("agent_login", map[string]any{"agent_id": "ann"})
		_ = e.Post("call_arrived", map[string]any{"call_id": "c1", "caller": "+4930123456", "flow_id": "front"})
		close(done)
	}()
	<-done
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	stats, err := e.Stats(Now())
	if err != nil {
		t.Fatal(err)
	}
	sales := stats["queues"].(map[string]any)["sales"].(map[string]any)
	if sales["answered"].(float64) != 1 {
		t.Fatalf("stats: %v (events %v)", stats, events)
	}
	s, err := OpenStore(fmt.Sprintf(`{"backend": "sqlite", "path": %q}`, db))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.Search("call", 10)
	if err != nil || len(hits) != 1 || hits[0]["subject"] != "Call from +4930123456" {
		t.Fatalf("ticket: %v %v", hits, err)
	}
}

func TestPostErrors(t *testing.T) {
	e, err := New(loopConfig, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Post("dance", nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown event: %v", err)
	}
	if err := e.Stop(); !errors.Is(err, ErrState) {
		t.Fatalf("stop without a loop: %v", err)
	}
}

func TestTransfer(t *testing.T) {
	e, err := New(`{"queues": [{"id": "sales"}, {"id": "billing"}],
	  "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "bea", "queues": ["billing"]}]}`, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, a := range []string{"sam", "bea"} {
		if err := e.AgentLogin(a, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.CallArrived(Call{ID: "c1", Queue: "sales"}, 1000); err != nil {
		t.Fatal(err)
	}
	ring := func(agent string) uint64 {
		commands, err := e.Commands()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range commands {
			if c["kind"] == "ring_agent" && c["agent_id"] == agent {
				return uint64(c["reservation"].(float64))
			}
		}
		return 0
	}
	if err := e.AgentAnswered(ring("sam"), 2000); err != nil {
		t.Fatal(err)
	}
	if err := e.Transfer("c1", "nowhere", 3000); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown queue: %v", err)
	}
	if err := e.Transfer("c1", "billing", 3000); err != nil {
		t.Fatal(err)
	}
	if ring("bea") == 0 {
		t.Fatal("bea's phone should ring for the transferred caller")
	}
}
