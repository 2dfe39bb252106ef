package hotline

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// typedConfig has a queue that holds one waiting contact and a one-key menu.
const typedConfig = `{
  "queues": [{"id": "sales", "max_length": 1}],
  "agents": [{"id": "ann", "queues": ["sales"]}],
  "flows": [{"id": "front", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales"], "options": {"1": "q"},
             "fail": "bye"},
    "q": {"type": "queue", "queue": "sales"},
    "bye": {"type": "hangup"}}}]}`

func TestKindNamesComeFromTheLibrary(t *testing.T) {
	if EventContactArrived.String() != "contact_arrived" ||
		EventAgentNotReady.String() != "agent_not_ready" {
		t.Fatalf("event names %v %v", EventContactArrived, EventAgentNotReady)
	}
	if CommandRingAgent.String() != "ring_agent" ||
		CommandRegisterCallback.String() != "register_callback" {
		t.Fatalf("command names %v %v", CommandRingAgent, CommandRegisterCallback)
	}
	if EventKind(999).String() != "EventKind(999)" || CommandKind(0).String() != "CommandKind(0)" {
		t.Fatal("an unknown kind prints as its number")
	}
}

func TestTypedEventsAppliedByHandDriveAWholeCall(t *testing.T) {
	e := mustEngine(t, typedConfig)
	ok(t, e.ApplyEvent(Event{Kind: EventAgentLogin, AgentID: "ann"}, 0))
	ok(t, e.ApplyEvent(Event{Kind: EventCallArrived,
		Contact: &Contact{ID: "c1", Caller: "+4930123", Flow: "front"}}, 1000))
	ok(t, e.ApplyEvent(Event{Kind: EventPromptDone, CallID: "c1"}, 2000))
	ok(t, e.ApplyEvent(Event{Kind: EventDigit, CallID: "c1", Digit: '1'}, 2500))
	commands, err := e.TypedCommands()
	ok(t, err)
	var ring *Command
	for i := range commands {
		if commands[i].Kind == CommandRingAgent {
			ring = &commands[i]
		}
	}
	if ring == nil || ring.CallID != "c1" || ring.AgentID != "ann" || ring.QueueID != "sales" {
		t.Fatalf("no ring to ann in %+v", commands)
	}
	ok(t, e.ApplyEvent(Event{Kind: EventAgentAnswered, Reservation: ring.Reservation}, 3000))
	stats, err := e.Stats(EngineTime)
	ok(t, err)
	if s := stats["agents"].(map[string]any)["ann"].(map[string]any)["state"]; s != "busy" {
		t.Fatalf("ann is %v", s)
	}
	err = e.ApplyEvent(Event{Kind: EventDigit, CallID: "c1", Digit: 'x'}, 3500)
	if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "digit") {
		t.Fatalf("a bad digit: %v", err)
	}
	err = e.ApplyEvent(Event{Kind: EventAgentReady, AgentID: "nobody"}, 3500)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown agent: %v", err)
	}
}

func TestTypedCommandsCarryTheirFieldsAndTheLibrarysJSON(t *testing.T) {
	e := mustEngine(t, typedConfig)
	ok(t, e.CallArrived(Call{ID: "c1", Flow: "front"}, 1000))
	ok(t, e.PromptDone("c1", 2000))
	typed, err := e.TypedCommands()
	ok(t, err)
	if len(typed) != 3 || typed[0].Kind != CommandAnswer || typed[1].Kind != CommandPlay ||
		typed[2].Kind != CommandCollectDigits {
		t.Fatalf("commands %+v", typed)
	}
	play, collect := typed[1], typed[2]
	if len(play.Prompts) != 1 || play.Prompts[0].TTS != "Press 1 for sales" || !play.BargeIn {
		t.Fatalf("play %+v", play)
	}
	if collect.MinDigits != 1 || collect.MaxDigits != 1 || collect.Time != 2000 {
		t.Fatalf("collect %+v", collect)
	}
	// The same commands polled as JSON match the library's JSON of the typed ones.
	ok(t, e.CallArrived(Call{ID: "c1bis", Flow: "front"}, 1000))
	ok(t, e.PromptDone("c1bis", 2000))
	maps, err := e.Commands()
	ok(t, err)
	for i, c := range typed {
		text, err := c.JSON()
		ok(t, err)
		var got map[string]any
		ok(t, json.Unmarshal([]byte(text), &got))
		want := maps[i]
		want["call_id"] = "c1"
		if c.Kind == CommandPlay {
			// Every play has a request id of its own (echoed in prompt_done): the
			// second call's play is the next one.
			if want["request_id"] != float64(c.RequestID+1) || c.RequestID == 0 {
				t.Errorf("play request ids: typed %d, polled %v", c.RequestID, want["request_id"])
			}
			want["request_id"] = float64(c.RequestID)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("command %d: typed %v, polled %v", i, got, want)
		}
	}
	if _, more, err := e.NextCommand(); more || err != nil {
		t.Fatalf("the queue should be empty: %v %v", more, err)
	}
}

func TestIvrNodeAndRefusalNotificationsAreTyped(t *testing.T) {
	e := mustEngine(t, typedConfig)
	ok(t, e.CallArrived(Call{ID: "c1", Flow: "front"}, 0))
	ok(t, e.PromptDone("c1", 100))
	ok(t, e.Digit("c1", '1', 200))
	ok(t, e.ContactArrived(Contact{ID: "c2", Queue: "sales"}, 300))
	notes, err := e.TypedNotifications()
	ok(t, err)
	var moves []string
	var refused []Notification
	for _, n := range notes {
		switch n.Kind {
		case NotificationIvrNode:
			moves = append(moves, n.Event+" "+n.Node)
		case NotificationContactRefused:
			refused = append(refused, n)
		}
		if n.Raw["kind"] != string(n.Kind) {
			t.Fatalf("raw %v", n.Raw)
		}
	}
	if strings.Join(moves, ",") != "entered menu,left menu,entered q" {
		t.Fatalf("ivr_node moves %v", moves)
	}
	if len(refused) != 1 || refused[0].CallID != "c2" || refused[0].QueueID != "sales" ||
		refused[0].Reason == "" {
		t.Fatalf("refusals %+v", refused)
	}
	stats, err := e.Stats(EngineTime)
	ok(t, err)
	if r := stats["queues"].(map[string]any)["sales"].(map[string]any)["refused"]; r != float64(1) {
		t.Fatalf("refused %v", r)
	}
}

func TestStatsAtEngineTimeNeverSeeTheWallClock(t *testing.T) {
	e := mustEngine(t, typedConfig)
	ok(t, e.ContactArrived(Contact{ID: "c1", Queue: "sales"}, 0))
	ok(t, e.Advance(5000))
	stats, err := e.Stats(EngineTime)
	ok(t, err)
	sales := stats["queues"].(map[string]any)["sales"].(map[string]any)
	if stats["time"] != float64(5000) || sales["longest_wait_ms"] != float64(5000) {
		t.Fatalf("at the engine's time: %v", stats)
	}
}

func TestAPostedTypedEventIsCheckedBeforeItIsQueued(t *testing.T) {
	e := mustEngine(t, typedConfig)
	err := e.PostEvent(Event{Kind: EventDigit, CallID: "c1", Digit: 'x'})
	if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "digit") {
		t.Fatalf("a bad digit: %v", err)
	}
	err = e.PostEvent(Event{Kind: EventContactArrived,
		Contact: &Contact{ID: "c", Priority: -2_000_000}})
	if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "contact->priority") {
		t.Fatalf("a bad priority: %v", err)
	}
	if err := e.PostEvent(Event{Kind: EventKind(999)}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("an unknown kind: %v", err)
	}
	// JSON events are strict: an unknown field is refused in the shared format.
	err = e.Post("agent_login", map[string]any{"agnet": "ann"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "$.agnet: unknown field") {
		t.Fatalf("an unknown field: %v", err)
	}
}

func TestATypedEventPostedFromAnotherGoroutineRunsOnTheLoop(t *testing.T) {
	e, err := New(typedConfig, Now())
	ok(t, err)
	defer e.Close()
	var accepted []Notification
	ok(t, e.OnTypedNotification(func(n Notification) {
		switch n.Event {
		case "offer":
			_ = e.PostEvent(Event{Kind: EventAgentAnswered, Reservation: n.Reservation})
		case "offer_accepted":
			accepted = append(accepted, n)
			_ = e.Stop()
		}
	}))
	done := make(chan error, 1)
	go func() {
		if err := e.PostEvent(Event{Kind: EventAgentLogin, AgentID: "ann"}); err != nil {
			done <- err
			return
		}
		done <- e.PostEvent(Event{Kind: EventContactArrived,
			Contact: &Contact{ID: "chat-1", Channel: ChannelVoice, Priority: 3, Queue: "sales"}})
	}()
	ok(t, <-done)
	ok(t, e.Run())
	if len(accepted) != 1 || accepted[0].CallID != "chat-1" {
		t.Fatalf("accepted %+v", accepted)
	}
}
