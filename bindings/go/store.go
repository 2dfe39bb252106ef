package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"runtime"
	"unsafe"
)

// Role decides what an Actor may see and do.
type Role int

// The roles, as in the C ABI.
const (
	RoleAgent      Role = C.HL_ROLE_AGENT
	RoleSupervisor Role = C.HL_ROLE_SUPERVISOR
	RoleAdmin      Role = C.HL_ROLE_ADMIN
)

// Actor is who a store call acts for: the id goes into history and audit.
type Actor struct {
	ID   string
	Role Role
}

// Record is a ticket, customer, note, ... as decoded JSON.
type Record = map[string]any

// Store holds tickets and customers in SQLite or in memory. Close it when
// done; a finalizer closes stores that are dropped. Not safe for concurrent
// use: open one per goroutine.
type Store struct {
	h *C.hl_store
}

// OpenStore opens a store from its JSON configuration, for example
// {"backend": "sqlite", "path": "hotline.db", "default_region": "DE"}.
func OpenStore(configJSON string) (*Store, error) {
	cfg := C.CString(configJSON)
	defer C.free(unsafe.Pointer(cfg))
	var h *C.hl_store
	var cerr *C.hl_error
	if err := check(C.hl_store_open(&h, cfg, &cerr), cerr); err != nil {
		return nil, err
	}
	s := &Store{h: h}
	runtime.SetFinalizer(s, (*Store).Close)
	return s, nil
}

// Close closes the store; closing twice is harmless.
func (s *Store) Close() {
	if s.h != nil {
		C.hl_store_close(s.h)
		s.h = nil
	}
}

// SetTime stamps records with nowMs instead of the system clock (0: back to it):
// from 0 to 253402214400000 (9999-12-31T00:00:00Z), the last day whose local
// year fits a ticket number.
func (s *Store) SetTime(nowMs int64) error {
	if s.h == nil {
		return &Error{Status: StatusInvalid, Message: "store is closed"}
	}
	if C.hl_store_set_time(s.h, C.int64_t(nowMs)) != C.HL_OK {
		return &Error{Status: StatusInvalid,
			Message: fmt.Sprintf("set_time: %d is outside 0 to 253402214400000 (1970 to 9999-12-31)", nowMs)}
	}
	return nil
}

// cstrings holds C copies of Go strings for one call; C keeps none of them.
type cstrings []*C.char

func (c *cstrings) of(v string) *C.char {
	p := C.CString(v)
	*c = append(*c, p)
	return p
}

func (c cstrings) free() {
	for _, p := range c {
		C.free(unsafe.Pointer(p))
	}
}

func marshal(v any) string {
	if text, ok := v.(string); ok {
		return text
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "" // rejected by the library as invalid JSON, with its message
	}
	return string(b)
}

// call runs fn with the live handle, checks the status and decodes *out.
func (s *Store) call(result any, fn func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status) error {
	if s.h == nil {
		return &Error{Status: StatusInvalid, Message: "store is closed"}
	}
	var out *C.char
	var cerr *C.hl_error
	status := fn(s.h, &out, &cerr)
	defer C.hl_free(unsafe.Pointer(out))
	if err := check(status, cerr); err != nil {
		return err
	}
	if out == nil || result == nil {
		return nil
	}
	return json.Unmarshal([]byte(C.GoString(out)), result)
}

func (s *Store) record(fn func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status) (Record, error) {
	var r Record
	err := s.call(&r, fn)
	return r, err
}

func (s *Store) records(fn func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status) ([]Record, error) {
	var r []Record
	err := s.call(&r, fn)
	return r, err
}

// withActor runs fn with a C actor whose id lives only for the call.
func withActor[T any](a Actor, fn func(*C.hl_actor) (T, error)) (T, error) {
	id := C.CString(a.ID)
	defer C.free(unsafe.Pointer(id))
	actor := (*C.hl_actor)(C.malloc(C.size_t(unsafe.Sizeof(C.hl_actor{}))))
	defer C.free(unsafe.Pointer(actor))
	actor.id = id
	actor.role = C.hl_role(a.Role)
	return fn(actor)
}

// CreateTicket creates a ticket from its fields (subject, priority, customer, ...).
func (s *Store) CreateTicket(a Actor, fields any) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		j := cs.of(marshal(fields))
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_ticket_create(h, actor, j, out, err)
		})
	})
}

// Ticket reads a ticket by id.
func (s *Store) Ticket(id int64) (Record, error) {
	return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_get(h, C.int64_t(id), out, err)
	})
}

// SetStatus moves a ticket through its workflow (open, pending, resolved, closed).
func (s *Store) SetStatus(a Actor, id int64, status string) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		st := cs.of(status)
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_ticket_set_status(h, actor, C.int64_t(id), st, out, err)
		})
	})
}

// AddNote adds a public or internal note.
func (s *Store) AddNote(a Actor, id int64, body string, internal bool) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		b := cs.of(body)
		in := C.int(0)
		if internal {
			in = 1
		}
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_ticket_add_note(h, actor, C.int64_t(id), b, in, out, err)
		})
	})
}

// Rate records satisfaction 1..5; 2 or less schedules a recovery follow-up.
func (s *Store) Rate(a Actor, id int64, score int) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_ticket_rate(h, actor, C.int64_t(id), C.int(score), out, err)
		})
	})
}

// Search finds tickets holding every word of text, best match first, each
// with a "snippet" marking the matched words in [ ].
func (s *Store) Search(text string, limit int) ([]Record, error) {
	var cs cstrings
	defer cs.free()
	t := cs.of(text)
	return s.records(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_search(h, t, C.int(limit), out, err)
	})
}

// ListTickets pages through tickets by a query (status, group, after, ...).
func (s *Store) ListTickets(query any) (Record, error) {
	var cs cstrings
	defer cs.free()
	q := cs.of(marshal(query))
	return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_list(h, q, out, err)
	})
}

// FollowUps lists follow-ups by a query (ticket, status, assignee, due_before).
func (s *Store) FollowUps(query any) ([]Record, error) {
	var cs cstrings
	defer cs.free()
	q := cs.of(marshal(query))
	return s.records(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_follow_up_list(h, q, out, err)
	})
}

// CreateCustomer creates a customer (name, phones, emails, tier, ...).
func (s *Store) CreateCustomer(a Actor, fields any) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		j := cs.of(marshal(fields))
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_create(h, actor, j, out, err)
		})
	})
}

// Customer reads a customer, masked for the actor's role.
func (s *Store) Customer(a Actor, id int64) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_get(h, actor, C.int64_t(id), out, err)
		})
	})
}

// LookupANI is caller id: the customer with this number, or nil.
func (s *Store) LookupANI(a Actor, ani string) (Record, error) {
	r, err := withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		n := cs.of(ani)
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_lookup_ani(h, actor, n, out, err)
		})
	})
	if e, ok := err.(*Error); ok && e.Status == StatusNotFound {
		return nil, nil
	}
	return r, err
}

// SearchCustomers finds live customers by name, a Chinese name also by its
// pinyin ("zhangsan" finds 张三), best match first.
func (s *Store) SearchCustomers(a Actor, text string, limit int) ([]Record, error) {
	return withActor(a, func(actor *C.hl_actor) ([]Record, error) {
		var cs cstrings
		defer cs.free()
		t := cs.of(text)
		return s.records(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_search(h, actor, t, C.int(limit), out, err)
		})
	})
}

// ImportCSV imports customers; options as {"mapping", "duplicates", "dry_run"}.
func (s *Store) ImportCSV(a Actor, csv string, options any) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		c, o := cs.of(csv), cs.of(marshal(options))
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_import_csv(h, actor, c, o, out, err)
		})
	})
}

// Export returns everything held about one customer (admins only).
func (s *Store) Export(a Actor, id int64) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_export(h, actor, C.int64_t(id), out, err)
		})
	})
}

// Erase removes a customer's personal data (admins only).
func (s *Store) Erase(a Actor, id int64) error {
	_, err := withActor(a, func(actor *C.hl_actor) (struct{}, error) {
		return struct{}{}, s.call(nil, func(h *C.hl_store, _ **C.char, err **C.hl_error) C.hl_status {
			return C.hl_customer_erase(h, actor, C.int64_t(id), err)
		})
	})
	return err
}

// TicketByNumber reads a ticket by its number ("T-2026-000123").
func (s *Store) TicketByNumber(number string) (Record, error) {
	var cs cstrings
	defer cs.free()
	n := cs.of(number)
	return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_get_by_number(h, n, out, err)
	})
}

// actorRecord runs a store call that acts for a and returns one record; text
// holds the call's string arguments, copied to C for the call.
func (s *Store) actorRecord(a Actor, text []string,
	fn func(h *C.hl_store, actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status) (Record, error) {
	return withActor(a, func(actor *C.hl_actor) (Record, error) {
		var cs cstrings
		defer cs.free()
		args := make([]*C.char, len(text))
		for i, t := range text {
			args[i] = cs.of(t)
		}
		return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return fn(h, actor, args, out, err)
		})
	})
}

// UpdateTicket changes any of subject, description, category, priority, customer.
func (s *Store) UpdateTicket(a Actor, id int64, fields any) (Record, error) {
	return s.actorRecord(a, []string{marshal(fields)}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_update(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// Assign gives a ticket to an agent.
func (s *Store) Assign(a Actor, id int64, agentID string) (Record, error) {
	return s.actorRecord(a, []string{agentID}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_assign(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// TransferTicket hands a ticket to another group.
func (s *Store) TransferTicket(a Actor, id int64, group string) (Record, error) {
	return s.actorRecord(a, []string{group}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_transfer(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// History is a ticket's {"history": [...], "notes": [...], "follow_ups": [...]}.
func (s *Store) History(id int64) (Record, error) {
	return s.record(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_history(h, C.int64_t(id), out, err)
	})
}

// SLAAlerts lists SLA targets breached or due within withinMs.
func (s *Store) SLAAlerts(withinMs int64) ([]Record, error) {
	return s.records(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_ticket_sla_alerts(h, C.int64_t(withinMs), out, err)
	})
}

// ScheduleFollowUp schedules a "callback", "visit" or "recovery" follow-up.
func (s *Store) ScheduleFollowUp(a Actor, ticketID int64, kind string, dueAtMs int64,
	assignee string) (Record, error) {
	return s.actorRecord(a, []string{kind, assignee}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_follow_up_schedule(h, actor, C.int64_t(ticketID), args[0],
			C.int64_t(dueAtMs), args[1], out, err)
	})
}

// CompleteFollowUp records a follow-up's outcome.
func (s *Store) CompleteFollowUp(a Actor, followUpID int64, outcome string) (Record, error) {
	return s.actorRecord(a, []string{outcome}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_follow_up_complete(h, actor, C.int64_t(followUpID), args[0], out, err)
	})
}

// UpdateCustomer changes a customer's fields.
func (s *Store) UpdateCustomer(a Actor, id int64, fields any) (Record, error) {
	return s.actorRecord(a, []string{marshal(fields)}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_customer_update(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// View is the 360° view of a customer: customer, contacts, open_tickets,
// last_agent.
func (s *Store) View(a Actor, id int64) (Record, error) {
	return s.actorRecord(a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_customer_view(h, actor, C.int64_t(id), out, err)
	})
}

// RecordContact adds a contact to a customer's history (contact_id, customer,
// channel, queue, agent, ani, started_at, ended_at, outcome).
func (s *Store) RecordContact(contact any) error {
	var cs cstrings
	defer cs.free()
	c := cs.of(marshal(contact))
	return s.call(nil, func(h *C.hl_store, _ **C.char, err **C.hl_error) C.hl_status {
		return C.hl_customer_record_contact(h, c, err)
	})
}

// Merge folds the duplicate customer into the survivor.
func (s *Store) Merge(a Actor, survivorID, duplicateID int64) (Record, error) {
	return s.actorRecord(a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_customer_merge(h, actor, C.int64_t(survivorID), C.int64_t(duplicateID), out, err)
	})
}

// Audit lists audit records by a query (entity, entity_id, actor, limit),
// most recent first.
func (s *Store) Audit(a Actor, query any) ([]Record, error) {
	return withActor(a, func(actor *C.hl_actor) ([]Record, error) {
		var cs cstrings
		defer cs.free()
		q := cs.of(marshal(query))
		return s.records(func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_audit_list(h, actor, q, out, err)
		})
	})
}
