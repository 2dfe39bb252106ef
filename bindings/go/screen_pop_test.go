package hotline

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
)

// screenPopConfig: a flow that collects a four-digit account number, then
// queues the caller for ann.
const screenPopConfig = `{
  "flows": [{"id": "pop", "start": "account", "nodes": {
    "account": {"type": "collect", "min_digits": 4, "max_digits": 4,
                "variable": "account", "next": "queue", "fail": "queue"},
    "queue": {"type": "queue", "queue": "sales"}}}],
  "queues": [{"id": "sales"}],
  "agents": [{"id": "ann", "queues": ["sales"]}]}`

// popStore is a SQLite store holding Li Wei (+4930123456) and one open ticket
// of hers; it returns the store's configuration and the ticket.
func popStore(t *testing.T) (string, Record) {
	t.Helper()
	cfg := fmt.Sprintf(`{"backend": "sqlite", "path": %q}`,
		filepath.Join(t.TempDir(), "store.db"))
	s, err := OpenStore(cfg)
	ok(t, err)
	defer s.Close()
	sam := Actor{ID: "sam", Role: RoleSupervisor}
	customer, err := s.CreateCustomer(sam, map[string]any{
		"name": "Li Wei", "phones": []string{"+4930123456"}})
	ok(t, err)
	ticket, err := s.CreateTicket(sam, map[string]any{
		"subject": "card blocked", "customer": customer["id"]})
	ok(t, err)
	return cfg, ticket
}

func ringThroughTheFlow(t *testing.T, e *Engine, call string) {
	t.Helper()
	ok(t, e.AgentLogin("ann", 0))
	ok(t, e.CallArrived(Call{ID: call, Caller: "+4930123456", Dialled: "95555", Flow: "pop"}, 1000))
	for _, k := range []byte("4321") {
		ok(t, e.Digit(call, k, 1100))
	}
}

func checkPop(t *testing.T, pop map[string]any, ticket Record) {
	t.Helper()
	if pop["caller"] != "+4930123456" || pop["dialled"] != "95555" || pop["queue_id"] != "sales" {
		t.Errorf("pop's call: %v", pop)
	}
	if customer, _ := pop["customer"].(map[string]any); customer["name"] != "Li Wei" {
		t.Errorf("pop's customer: %v", pop["customer"])
	}
	if !reflect.DeepEqual(pop["ivr_path"], []any{"account", "queue"}) {
		t.Errorf("ivr_path: %v", pop["ivr_path"])
	}
	if !reflect.DeepEqual(pop["digits"], map[string]any{"account": "4321"}) {
		t.Errorf("digits: %v", pop["digits"])
	}
	want := []any{map[string]any{
		"id": ticket["id"], "number": ticket["number"], "subject": "card blocked",
		"status": "new", "priority": ticket["priority"], "created_at": ticket["created_at"]}}
	if !reflect.DeepEqual(pop["open_tickets"], want) {
		t.Errorf("open_tickets: %v, want %v", pop["open_tickets"], want)
	}
}

func TestTheRingCommandCarriesTheScreenPopAndCallContextMatches(t *testing.T) {
	cfg, ticket := popStore(t)
	e := mustEngine(t, screenPopConfig)
	defer e.Close()
	ok(t, e.UseStore(cfg))
	ringThroughTheFlow(t, e, "c1")
	commands, err := e.TypedCommands()
	ok(t, err)
	var rings []Command
	for _, c := range commands {
		if c.Kind == CommandRingAgent {
			rings = append(rings, c)
		}
	}
	if len(rings) != 1 {
		t.Fatalf("rings: %v", rings)
	}
	checkPop(t, rings[0].Args, ticket)
	pop, err := e.CallContext("c1")
	ok(t, err)
	if !reflect.DeepEqual(pop, rings[0].Args) {
		t.Errorf("call context %v differs from the ring's args %v", pop, rings[0].Args)
	}
	if _, err := e.CallContext("nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown call: %v", err)
	}
}

func TestATelephonyPullsTheScreenPopFromInsideRingAgent(t *testing.T) {
	cfg, ticket := popStore(t)
	e := mustEngine(t, screenPopConfig)
	defer e.Close()
	ok(t, e.UseStore(cfg))
	var pops []map[string]any
	var pullErr error
	ok(t, e.SetTelephony(&Telephony{
		RingAgent: func(call, _ string, _ uint64) error {
			pop, err := e.CallContext(call)
			pops, pullErr = append(pops, pop), err
			return nil
		},
	}))
	ringThroughTheFlow(t, e, "c2")
	ok(t, pullErr)
	if len(pops) != 1 {
		t.Fatalf("pops: %v", pops)
	}
	checkPop(t, pops[0], ticket)
}
