package hotline

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/hotline-engine/hotline/bindings/go/internal/uvloop"
)

const flowsConfig = `{
  "queues": [{"id": "sales", "wrap_up_seconds": 30}],
  "agents": [{"id": "ann", "queues": ["sales"]}, {"id": "bob", "queues": ["sales"]}],
  "flows": [{"id": "voicemail", "start": "rec", "nodes": {
    "rec": {"type": "record", "prompts": ["tts:Speak after the tone"], "max_seconds": 60,
            "finish_key": "#", "variable": "message", "next": "bye"},
    "bye": {"type": "hangup"}}}]}`

func mustEngine(t *testing.T, cfg string) *Engine {
	t.Helper()
	e, err := New(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func kinds(t *testing.T, e *Engine) []string {
	t.Helper()
	commands, err := e.Commands()
	ok(t, err)
	var out []string
	for _, c := range commands {
		out = append(out, c["kind"].(string))
	}
	return out
}

func TestRecordingDoneMovesTheFlowOn(t *testing.T) {
	e := mustEngine(t, flowsConfig)
	ok(t, e.CallArrived(Call{ID: "c1", Flow: "voicemail"}, 0))
	ok(t, e.PromptDone("c1", 1000))
	rec := take(t, e, "record")
	if rec["max_ms"].(float64) != 60000 || rec["finish_key"] != "#" {
		t.Fatalf("record command %v", rec)
	}
	ok(t, e.RecordingDone("c1", "file:///vm/c1.wav", 20000))
	if got := kinds(t, e); len(got) == 0 || got[len(got)-1] != "hangup" {
		t.Fatalf("after the recording: %v", got)
	}
}

func TestAnUnansweredOfferGoesToTheNextAgent(t *testing.T) {
	e := mustEngine(t, flowsConfig)
	ok(t, e.AgentLogin("ann", 0))
	ok(t, e.AgentLogin("bob", 0))
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 1000))
	first := take(t, e, "ring_agent")
	ok(t, e.AgentNoAnswer(uint64(first["reservation"].(float64)), 20000))
	second := take(t, e, "ring_agent")
	if second["agent_id"] == first["agent_id"] {
		t.Fatalf("rang %v twice", first["agent_id"])
	}
	notes, err := e.Notifications()
	ok(t, err)
	timedOut := false
	for _, n := range notes {
		timedOut = timedOut || n["event"] == "offer_timed_out"
	}
	if !timedOut {
		t.Fatalf("no offer_timed_out in %v", notes)
	}
}

func TestConfigurationChangesWhileRunning(t *testing.T) {
	e := mustEngine(t, `{"queues": [{"id": "sales"}], "agents": []}`)
	ok(t, e.SetQueue(map[string]any{"id": "billing"}))
	ok(t, e.SetAgent(`{"id": "bea", "queues": ["billing"]}`, 0))
	err := e.SetQueue(map[string]any{"id": "billing", "strategy": "fastest"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "$.strategy") {
		t.Fatalf("bad strategy: %v", err)
	}
	ok(t, e.LoadFlow(`{"id": "short", "start": "bye", "nodes": {"bye": {"type": "hangup"}}}`))
	ok(t, e.CallArrived(Call{ID: "c1", Flow: "short"}, 0))
	if got := kinds(t, e); got[len(got)-1] != "hangup" {
		t.Fatalf("the loaded flow did not run: %v", got)
	}
	ok(t, e.AgentLogin("bea", 0))
	if err := e.RemoveAgent("bea"); !errors.Is(err, ErrState) {
		t.Fatalf("removing a logged-in agent: %v", err)
	}
	ok(t, e.AgentLogout("bea", 1))
	ok(t, e.RemoveAgent("bea"))
	ok(t, e.RemoveQueue("sales"))
	if err := e.CallArrived(Call{ID: "c2", Queue: "sales"}, 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a call into a removed queue: %v", err)
	}
}

func TestTelephonyCarriesOutCommandsAndFailuresTakeTheSafePath(t *testing.T) {
	e := mustEngine(t, flowsConfig)
	var log []string
	ok(t, e.SetTelephony(&Telephony{
		Play: func(call string, prompts []Prompt, bargeIn, loop bool) error {
			log = append(log, fmt.Sprintf("play %s %s", call, prompts[0].TTS))
			return nil
		},
		RingAgent: func(call, agent string, reservation uint64) error {
			if agent == "ann" {
				return errors.New("the phone is unplugged")
			}
			log = append(log, "ring "+agent)
			return nil
		},
		Hangup: func(call string) error { panic("a panicking switch must not unwind into C") },
	}))
	ok(t, e.CallArrived(Call{ID: "c1", Flow: "voicemail"}, 0))
	if got := kinds(t, e); len(got) != 1 || got[0] != "answer" {
		t.Fatalf("Answer is unset, so only answer waits for polling: %v", got)
	}
	if len(log) != 1 || log[0] != "play c1 Speak after the tone" {
		t.Fatalf("play: %v", log)
	}
	ok(t, e.AgentLogin("ann", 0))
	ok(t, e.CallArrived(Call{ID: "c2", Queue: "sales"}, 1000))
	ok(t, e.AgentLogin("bob", 2000))
	if log[len(log)-1] != "ring bob" {
		t.Fatalf("after ann's failed ring the call goes to bob: %v", log)
	}
	// c1 records (Record is unset: polled), then reaches hangup, whose function panics.
	ok(t, e.PromptDone("c1", 3000))
	ok(t, e.RecordingDone("c1", "file:///vm/c1.wav", 4000))
	notes, err := e.Notifications()
	ok(t, err)
	var failures []string
	for _, n := range notes {
		if n["kind"] == "host_error" {
			failures = append(failures, fmt.Sprintf("%v %v", n["what"], n["status"]))
		}
	}
	want := []string{fmt.Sprintf("ring_agent %d", StatusUser), fmt.Sprintf("hangup %d", StatusUser)}
	if fmt.Sprint(failures) != fmt.Sprint(want) {
		t.Fatalf("host errors: %v, want %v", failures, want)
	}
	if got := kinds(t, e); fmt.Sprint(got) != "[record]" {
		t.Fatalf("Record is unset, so record waits for polling: %v", got)
	}
	ok(t, e.SetTelephony(nil))
	ok(t, e.CallArrived(Call{ID: "c3", Flow: "voicemail"}, 4000))
	if got := kinds(t, e); len(got) < 2 || got[1] != "play" {
		t.Fatalf("without a telephony every command is polled: %v", got)
	}
}

// mapStorage keeps records in a map with a copy for rollback.
type mapStorage struct {
	live, saved map[string]string
	failKind    string
	closed      bool
}

func key(kind string, id int64) string { return fmt.Sprintf("%s/%d", kind, id) }

func (m *mapStorage) Begin() error {
	m.saved = map[string]string{}
	for k, v := range m.live {
		m.saved[k] = v
	}
	return nil
}
func (m *mapStorage) Commit() error { m.saved = nil; return nil }
func (m *mapStorage) Rollback() {
	if m.saved != nil {
		m.live, m.saved = m.saved, nil
	}
}
func (m *mapStorage) Put(kind string, id int64, record string) error {
	if kind == m.failKind {
		return &Error{Status: StatusIO, Message: "disk full"}
	}
	m.live[key(kind, id)] = record
	return nil
}
func (m *mapStorage) Get(kind string, id int64) (string, bool, error) {
	r, found := m.live[key(kind, id)]
	return r, found, nil
}
func (m *mapStorage) Scan(kind string, visit func(int64, string) bool) error {
	for k, r := range m.live {
		var id int64
		if n, _ := fmt.Sscanf(k, kind+"/%d", &id); n == 1 && strings.HasPrefix(k, kind+"/") {
			if !visit(id, r) {
				return nil
			}
		}
	}
	return nil
}
func (m *mapStorage) Close() { m.closed = true }

func TestAStoreOverTheHostsStorage(t *testing.T) {
	storage := &mapStorage{live: map[string]string{}}
	s, err := OpenHostStore(storage, `{"default_region": "DE"}`)
	ok(t, err)
	c, err := s.CreateCustomer(agent, map[string]any{"name": "Jana", "phones": []string{"030 1234567"}})
	ok(t, err)
	if _, found := storage.live[key("customer", int64(c["id"].(float64)))]; !found {
		t.Fatalf("the customer is not in the host's storage: %v", storage.live)
	}
	found, err := s.LookupANI(agent, "+49301234567")
	ok(t, err)
	if found["name"] != "Jana" {
		t.Fatalf("lookup: %v", found)
	}
	tk, err := s.CreateTicket(agent, map[string]any{"subject": "Card blocked"})
	ok(t, err)
	id := int64(tk["id"].(float64))
	before := len(storage.live)
	storage.failKind = "note"
	if _, err := s.AddNote(agent, id, "lost", false); !errors.Is(err, ErrIO) {
		t.Fatalf("a failing put: %v", err)
	}
	if len(storage.live) != before {
		t.Fatalf("the failed operation left records behind")
	}
	s.Close()
	if !storage.closed {
		t.Fatal("closing the store did not close the storage")
	}
}

func TestStoreCallsBeyondTheBasics(t *testing.T) {
	for name, s := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			tk, err := s.CreateTicket(agent, map[string]any{"subject": "Router down",
				"priority": "urgent"})
			ok(t, err)
			id := int64(tk["id"].(float64))
			byNumber, err := s.TicketByNumber(tk["number"].(string))
			ok(t, err)
			if byNumber["id"] != tk["id"] {
				t.Fatalf("by number: %v", byNumber)
			}
			up, err := s.UpdateTicket(agent, id, map[string]any{"subject": "Router dead"})
			ok(t, err)
			if up["subject"] != "Router dead" {
				t.Fatalf("update: %v", up)
			}
			as, err := s.Assign(supervisor, id, "bob")
			ok(t, err)
			if as["assignee"] != "bob" {
				t.Fatalf("assign: %v", as)
			}
			tr, err := s.TransferTicket(supervisor, id, "field")
			ok(t, err)
			if tr["group"] != "field" {
				t.Fatalf("transfer: %v", tr)
			}
			h, err := s.History(id)
			ok(t, err)
			if len(h["history"].([]any)) < 3 {
				t.Fatalf("history: %v", h)
			}
			f, err := s.ScheduleFollowUp(agent, id, "callback", 1795514400000, "alice")
			ok(t, err)
			done, err := s.CompleteFollowUp(agent, int64(f["id"].(float64)), "reached")
			ok(t, err)
			if done["status"] != "done" {
				t.Fatalf("follow-up: %v", done)
			}

			a, err := s.CreateCustomer(agent, map[string]any{"name": "Max", "phones": []string{"030 111111"}})
			ok(t, err)
			b, err := s.CreateCustomer(agent, map[string]any{"name": "Maxi", "emails": []string{"max@example.com"}})
			ok(t, err)
			aid, bid := int64(a["id"].(float64)), int64(b["id"].(float64))
			u, err := s.UpdateCustomer(agent, aid, map[string]any{"tier": "gold"})
			ok(t, err)
			if u["tier"] != "gold" {
				t.Fatalf("update customer: %v", u)
			}
			ok(t, s.RecordContact(map[string]any{"contact_id": "c1", "customer": aid,
				"channel": "voice", "queue": "sales", "agent": "ann", "ani": "+4930111111",
				"started_at": 1795510800000, "ended_at": 1795510900000, "outcome": "answered"}))
			v, err := s.View(agent, aid)
			ok(t, err)
			if v["last_agent"] != "ann" {
				t.Fatalf("view: %v", v)
			}
			m, err := s.Merge(supervisor, aid, bid)
			ok(t, err)
			if emails := fmt.Sprint(m["emails"]); !strings.Contains(emails, "max@example.com") {
				t.Fatalf("merge: %v", m)
			}
			audit, err := s.Audit(admin, map[string]any{"entity_id": aid})
			ok(t, err)
			if len(audit) == 0 {
				t.Fatal("no audit records for the merged customer")
			}
		})
	}
}

func TestSLAAlertsListTargetsDueSoon(t *testing.T) {
	s, err := OpenStore(`{"backend": "memory", "sla": {"urgent":
	  {"first_response_minutes": 30, "resolution_minutes": 240}}}`)
	ok(t, err)
	defer s.Close()
	const now = 1795510800000
	ok(t, s.SetTime(now))
	tk, err := s.CreateTicket(agent, map[string]any{"subject": "Router down", "priority": "urgent"})
	ok(t, err)
	soon, err := s.SLAAlerts(10 * 60 * 1000)
	ok(t, err)
	if len(soon) != 0 {
		t.Fatalf("nothing is due within 10 minutes: %v", soon)
	}
	within, err := s.SLAAlerts(45 * 60 * 1000)
	ok(t, err)
	if len(within) != 1 || within[0]["ticket"] != tk["id"] ||
		within[0]["target"] != "first_response" || within[0]["breached"] != false ||
		within[0]["due_at"].(float64) != now+30*60*1000 {
		t.Fatalf("the first response is due within 45 minutes: %v", within)
	}
}

func TestErlangCalculators(t *testing.T) {
	w := Workload{ArrivalsPerHour: 200, AHTSeconds: 180, TargetAnswerSeconds: 20}
	r, err := ErlangC(w, 14)
	ok(t, err)
	if math.Abs(r.ProbabilityWait-0.1741) > 5e-4 || math.Abs(r.ASASeconds-7.8) > 0.05 || !r.Stable {
		t.Fatalf("Erlang C: %+v", r)
	}
	a, err := ErlangA(w, 12, 120)
	ok(t, err)
	if a.ProbabilityAbandon <= 0 || a.ProbabilityAbandon >= 0.1 {
		t.Fatalf("Erlang A: %+v", a)
	}
	n, scheduled, err := ErlangAgents(w, StaffingGoal{ServiceLevel: 0.8, MaxOccupancy: 1, Shrinkage: 0.3}, 0)
	ok(t, err)
	if n != 14 || scheduled != 20 {
		t.Fatalf("agents %d, scheduled %d", n, scheduled)
	}
	_, err = ErlangC(Workload{ArrivalsPerHour: 200, AHTSeconds: -1}, 14)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "AHTSeconds:-1") {
		t.Fatalf("a negative handling time: %v", err)
	}
	if _, _, err := ErlangAgents(w, StaffingGoal{ServiceLevel: 1.5, MaxOccupancy: 1}, 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("a service level above 1: %v", err)
	}
}

func TestTheEngineJoinsTheHostsLoop(t *testing.T) {
	loop, err := uvloop.New()
	ok(t, err)
	e := mustEngine(t, flowsConfig)
	var seen []map[string]any
	ok(t, e.OnNotification(func(n map[string]any) { seen = append(seen, n) }))
	ok(t, e.Attach(loop.Pointer()))
	ok(t, e.Post("agent_login", map[string]any{"agent_id": "ann"}))
	available := false
	for i := 0; i < 100 && !available; i++ {
		loop.RunOnce()
		for _, n := range seen {
			available = available || (n["event"] == "agent_state_changed" && n["to"] == "available")
		}
	}
	if !available {
		t.Fatalf("the posted login never ran on the loop: %v", seen)
	}
	ok(t, e.Detach())
	loop.RunOnce()
	if err := loop.Close(); err != nil {
		t.Fatalf("the engine left handles on the loop: %v", err)
	}
}
