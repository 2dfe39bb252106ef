package hotline

import (
	"errors"
	"strings"
	"testing"
)

const config = `{
  "queues": [{"id": "sales", "wrap_up_seconds": 10}],
  "agents": [{"id": "ann", "queues": ["sales"]}],
  "flows": [{"id": "front", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales"], "options": {"1": "q"}, "fail": "bye"},
    "q": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
    "bye": {"type": "hangup"}}}]}`

func take(t *testing.T, e *Engine, kind string) map[string]any {
	t.Helper()
	commands, err := e.Commands()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		if c["kind"] == kind {
			return c
		}
	}
	t.Fatalf("no %s command in %v", kind, commands)
	return nil
}

func TestWholeCall(t *testing.T) {
	now := int64(1_000_000)
	e, err := New(config, now)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.AgentLogin("ann", now))
	must(e.CallArrived(Call{ID: "call-1", Caller: "+15550100", Flow: "front",
		Customer: map[string]any{"tier": "gold"}}, now))
	play := take(t, e, "play")
	if !strings.Contains(play["prompts"].([]any)[0].(map[string]any)["tts"].(string), "Press 1") {
		t.Fatalf("unexpected prompt %v", play)
	}
	now += 3000
	must(e.PromptDone("call-1", now))
	must(e.Digit("call-1", '1', now))
	ring := take(t, e, "ring_agent")
	if ring["agent_id"] != "ann" {
		t.Fatalf("rang %v", ring["agent_id"])
	}
	now += 2000
	must(e.AgentAnswered(uint64(ring["reservation"].(float64)), now))
	take(t, e, "bridge")
	now += 60_000
	must(e.AgentHungUp("call-1", now))
	take(t, e, "hangup")
	deadline, ok, err := e.NextDeadline()
	if err != nil || !ok || deadline != now+10_000 {
		t.Fatalf("deadline %d %v %v", deadline, ok, err)
	}
	must(e.Advance(deadline))
	notes, err := e.Notifications()
	must(err)
	seen := false
	for _, n := range notes {
		if n["event"] == "wrap_up_ended" {
			seen = true
		}
	}
	if !seen {
		t.Fatal("no wrap_up_ended notification")
	}
}

func TestErrors(t *testing.T) {
	if _, err := New("{oops", 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad JSON gave %v", err)
	}
	_, err := New(`{"queues": [{"id": "q", "strategy": "fastest"}]}`, 0)
	if err == nil || !strings.Contains(err.Error(), "$.queues[0].strategy") {
		t.Fatalf("config error gave %v", err)
	}
	e, err := New(config, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = e.Digit("nope", '1', 0)
	var he *Error
	if !errors.As(err, &he) || he.Status != StatusNotFound || he.Message != "unknown call 'nope'" {
		t.Fatalf("unknown call gave %v", err)
	}
	if err := e.AgentReady("ann", 0); !errors.Is(err, ErrState) {
		t.Fatalf("illegal transition gave %v", err)
	}
	if err := e.AgentAnswered(99, 0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown reservation gave %v", err)
	}
	e.Close()
	e.Close()
	if err := e.AgentLogin("ann", 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("closed engine gave %v", err)
	}
}
