package hotline

import (
	"runtime"
	"strings"
	"sync"
	"testing"
)

// ticketConfig opens a ticket in the IVR, then queues the call.
const ticketConfig = `{
  "queues": [{"id": "sales"}],
  "agents": [{"id": "ann", "queues": ["sales"]}],
  "flows": [{"id": "front", "start": "ticket", "nodes": {
    "ticket": {"type": "ticket", "fields": {"subject": "Callback for ${call.caller}"},
               "variable": "ticket", "next": "q"},
    "q": {"type": "queue", "queue": "sales"}}}]}`

// lockedStorage is a mapStorage behind a mutex (the engine writes from
// libuv's thread pool) that counts Close and Destroy.
type lockedStorage struct {
	mu sync.Mutex
	mapStorage
	closes, destroys, callsAfterDestroy int
}

func newLockedStorage() *lockedStorage {
	return &lockedStorage{mapStorage: mapStorage{live: map[string]string{}}}
}

func (s *lockedStorage) enter() func() {
	s.mu.Lock()
	if s.destroys > 0 {
		s.callsAfterDestroy++
	}
	return s.mu.Unlock
}
func (s *lockedStorage) Begin() error  { defer s.enter()(); return s.mapStorage.Begin() }
func (s *lockedStorage) Commit() error { defer s.enter()(); return s.mapStorage.Commit() }
func (s *lockedStorage) Rollback()     { defer s.enter()(); s.mapStorage.Rollback() }
func (s *lockedStorage) Put(kind string, id int64, record string) error {
	defer s.enter()()
	return s.mapStorage.Put(kind, id, record)
}
func (s *lockedStorage) Get(kind string, id int64) (string, bool, error) {
	defer s.enter()()
	return s.mapStorage.Get(kind, id)
}
func (s *lockedStorage) Scan(kind string, visit func(int64, string) bool) error {
	defer s.enter()()
	return s.mapStorage.Scan(kind, visit)
}
func (s *lockedStorage) Close() { s.mu.Lock(); s.closes++; s.mu.Unlock() }
func (s *lockedStorage) Destroy() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closes != 1 {
		s.callsAfterDestroy = -1000 // destroy must come after exactly one close
	}
	s.destroys++
}

func (s *lockedStorage) counts() (closes, destroys, after int, tickets []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.live {
		if strings.HasPrefix(k, "ticket/") {
			tickets = append(tickets, v)
		}
	}
	return s.closes, s.destroys, s.callsAfterDestroy, tickets
}

func TestTheHostStorageReceivesTheIvrsTicketAndIsDestroyedOnce(t *testing.T) {
	storage := newLockedStorage()
	e, err := New(ticketConfig, Now())
	ok(t, err)
	ok(t, e.UseHostStorage(storage, `{"default_region": "DE"}`))
	ok(t, e.OnTypedNotification(func(n Notification) {
		if n.Kind == NotificationRouting && n.Event == "contact_queued" {
			_ = e.Stop() // the ticket node is done: the call reached the queue
		}
	}))
	ok(t, e.Post("call_arrived",
		map[string]any{"call_id": "c1", "caller": "+4930123456", "flow_id": "front"}))
	ok(t, e.Run())
	_, destroys, _, tickets := storage.counts()
	if len(tickets) != 1 || !strings.Contains(tickets[0], "Callback for +4930123456") ||
		destroys != 0 {
		t.Fatalf("tickets %v, destroyed %d", tickets, destroys)
	}
	e.Close()
	if closes, destroys, after, _ := storage.counts(); closes != 1 || destroys != 1 || after != 0 {
		t.Fatalf("after close: closes %d destroys %d calls after %d", closes, destroys, after)
	}
}

func TestReplacingTheEnginesStorageDestroysTheOneBefore(t *testing.T) {
	first, second := newLockedStorage(), newLockedStorage()
	e := mustEngine(t, ticketConfig)
	ok(t, e.UseHostStorage(first, ""))
	ok(t, e.UseHostStorage(second, ""))
	if c, d, _, _ := first.counts(); c != 1 || d != 1 {
		t.Fatalf("first: closes %d destroys %d", c, d)
	}
	ok(t, e.UseStore(`{"backend": "memory"}`))
	if c, d, _, _ := second.counts(); c != 1 || d != 1 {
		t.Fatalf("second: closes %d destroys %d", c, d)
	}
	refused := newLockedStorage()
	if err := e.UseHostStorage(refused, `{"backend": "sqlite"}`); err == nil {
		t.Fatal("a host storage takes no backend")
	}
	if c, d, _, _ := refused.counts(); c != 0 || d != 0 {
		t.Fatalf("a refused storage was called: closes %d destroys %d", c, d)
	}
}

func TestAStoreOverHostStorageClosesThenDestroysOnce(t *testing.T) {
	storage := newLockedStorage()
	s, err := OpenHostStore(storage, "")
	ok(t, err)
	_, err = s.CreateTicket(agent, map[string]any{"subject": "x"})
	ok(t, err)
	s.Close()
	s.Close()
	if c, d, after, _ := storage.counts(); c != 1 || d != 1 || after != 0 {
		t.Fatalf("closes %d destroys %d calls after %d", c, d, after)
	}
}

func TestAReplacedTelephonyIsDestroyedOnceAndNeverCalledAfter(t *testing.T) {
	var log []string
	switchNamed := func(name string) *Telephony {
		return &Telephony{
			RingAgent: func(call, agent string, _ uint64) error {
				log = append(log, name+" rings "+agent)
				return nil
			},
			Destroy: func() { log = append(log, name+" destroyed") },
		}
	}
	e := mustEngine(t, ticketConfig)
	ok(t, e.SetTelephony(switchNamed("first")))
	ok(t, e.SetTelephony(switchNamed("second")))
	runtime.GC() // the engine's handle keeps the second Telephony alive
	ok(t, e.AgentLogin("ann", 0))
	ok(t, e.CallArrived(Call{ID: "c1", Queue: "sales"}, 1000))
	ok(t, e.SetTelephony(nil))
	ok(t, e.CallArrived(Call{ID: "c2", Queue: "sales"}, 2000))
	e.Close()
	want := "first destroyed,second rings ann,second destroyed"
	if strings.Join(log, ",") != want {
		t.Fatalf("log %v, want %s", log, want)
	}
}

func TestClosingTheEngineDestroysItsTelephonyOnce(t *testing.T) {
	destroyed := 0
	e, err := New(ticketConfig, 0)
	ok(t, err)
	ok(t, e.SetTelephony(&Telephony{Destroy: func() { destroyed++ }}))
	e.Close()
	e.Close()
	if destroyed != 1 {
		t.Fatalf("destroyed %d times", destroyed)
	}
}

func TestAPanickingDestroyNeverUnwindsIntoC(t *testing.T) {
	e, err := New(ticketConfig, 0)
	ok(t, err)
	ok(t, e.SetTelephony(&Telephony{Destroy: func() { panic("the switch is already gone") }}))
	e.Close()
	again := mustEngine(t, ticketConfig)
	ok(t, again.AgentLogin("ann", 0))
}
