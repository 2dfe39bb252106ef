package hotline

import (
	"errors"
	"strings"
	"testing"
)

const contactConfig = `{
  "queues": [{"id": "web", "channel": "chat"}, {"id": "sales"}],
  "agents": [{"id": "ann", "queues": ["web", "sales"], "capacity": {"voice": 1, "chat": 2}},
             {"id": "bob", "queues": ["sales"]}]}`

// ringsTo drains the commands and returns the calls rung to agent, oldest first.
func ringsTo(t *testing.T, e *Engine, agent string) []string {
	t.Helper()
	commands, err := e.TypedCommands()
	ok(t, err)
	var calls []string
	for _, c := range commands {
		if c.Kind == CommandRingAgent && c.AgentID == agent {
			calls = append(calls, c.CallID)
		}
	}
	return calls
}

func TestAChatContactTakesTheAgentsChatCapacity(t *testing.T) {
	e := mustEngine(t, contactConfig)
	ok(t, e.AgentLogin("ann", 0))
	for _, id := range []string{"chat-1", "chat-2", "chat-3"} {
		ok(t, e.ContactArrived(Contact{ID: id, Channel: ChannelChat, Queue: "web"}, 1000))
	}
	if got := ringsTo(t, e, "ann"); strings.Join(got, ",") != "chat-1,chat-2" {
		t.Fatalf("two chats at once (capacity 2), the third waits; rang %v", got)
	}
	stats, err := e.Stats(EngineTime)
	ok(t, err)
	if w := stats["queues"].(map[string]any)["web"].(map[string]any)["waiting"]; w != float64(1) {
		t.Fatalf("waiting %v", w)
	}
}

func TestAHigherPriorityIsServedFirst(t *testing.T) {
	e := mustEngine(t, contactConfig)
	ok(t, e.AgentLogin("bob", 0))
	ok(t, e.AgentNotReady("bob", "break", 0))
	ok(t, e.ContactArrived(Contact{ID: "early", Queue: "sales"}, 1000))
	ok(t, e.ContactArrived(Contact{ID: "urgent", Priority: 5, Queue: "sales"}, 2000))
	ok(t, e.ContactArrived(Contact{ID: "late", Queue: "sales"}, 3000))
	ok(t, e.AgentReady("bob", 4000))
	if got := ringsTo(t, e, "bob"); len(got) != 1 || got[0] != "urgent" {
		t.Fatalf("rang %v", got)
	}
}

func TestAPreferredAgentIsOfferedFirstThenTheQueueAfterTheWait(t *testing.T) {
	vip := Contact{ID: "vip", Queue: "sales", PreferredAgent: "bob", PreferredWaitMs: 20_000}
	e := mustEngine(t, contactConfig)
	ok(t, e.AgentLogin("ann", 0))
	ok(t, e.AgentLogin("bob", 0))
	ok(t, e.AgentNotReady("bob", "meeting", 0))
	ok(t, e.ContactArrived(vip, 1000))
	if got := ringsTo(t, e, "ann"); len(got) != 0 {
		t.Fatalf("Ann was rung before Bob's wait ended: %v", got)
	}
	if d, pending, err := e.NextDeadline(); err != nil || !pending || d != 21_000 {
		t.Fatalf("deadline %d %v %v", d, pending, err)
	}
	ok(t, e.Advance(21_000))
	if got := ringsTo(t, e, "ann"); len(got) != 1 || got[0] != "vip" {
		t.Fatalf("after the wait: %v", got)
	}

	free := mustEngine(t, contactConfig)
	ok(t, free.AgentLogin("ann", 0))
	ok(t, free.AgentLogin("bob", 0))
	ok(t, free.ContactArrived(vip, 1000))
	if got := ringsTo(t, free, "bob"); len(got) != 1 || got[0] != "vip" {
		t.Fatalf("a free preferred agent is rung at once: %v", got)
	}
}

func TestSkillsWithLevelsAndAttributesReachTheRouter(t *testing.T) {
	e := mustEngine(t, `{
	  "queues": [{"id": "sales", "rings": [{"target": "contact.region == agent.region"}]}],
	  "agents": [{"id": "ann", "queues": ["sales"], "skills": {"french": 1},
	              "attributes": {"region": "north"}},
	             {"id": "bob", "queues": ["sales"], "skills": {"french": 3},
	              "attributes": {"region": "south"}}]}`)
	ok(t, e.AgentLogin("ann", 0))
	ok(t, e.AgentLogin("bob", 0))
	french := []SkillRequirement{{Skill: "french", Level: 2}}
	ok(t, e.ContactArrived(Contact{ID: "fr", Skills: french, Queue: "sales",
		Attributes: map[string]any{"region": "south"}}, 1000))
	if got := ringsTo(t, e, "bob"); len(got) != 1 || got[0] != "fr" {
		t.Fatalf("rang %v", got)
	}
	ok(t, e.ContactArrived(Contact{ID: "north", Skills: french, Queue: "sales",
		Attributes: map[string]any{"region": "north"}}, 1000))
	if got := ringsTo(t, e, "ann"); len(got) != 0 {
		t.Fatalf("Ann has French 1 < 2 but was rung: %v", got)
	}
}

func TestABadContactIsRefusedWithTheFieldAndNothingChanges(t *testing.T) {
	e := mustEngine(t, contactConfig)
	ok(t, e.AgentLogin("bob", 0))
	tooSkilled := []SkillRequirement{{Skill: "french", Level: 5000}}
	for field, c := range map[string]Contact{
		"contact->priority":          {ID: "x", Priority: 2_000_000, Queue: "sales"},
		"contact->skills[0].level":   {ID: "x", Skills: tooSkilled, Queue: "sales"},
		"contact->preferred_wait_ms": {ID: "x", PreferredWaitMs: -1, Queue: "sales"},
		"contact->channel":           {ID: "x", Channel: Channel(7), Queue: "sales"},
		"contact->id":                {Queue: "sales"},
	} {
		err := e.ContactArrived(c, 1000)
		if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
	if got := ringsTo(t, e, "bob"); len(got) != 0 {
		t.Fatalf("a refused contact was routed: %v", got)
	}
}
