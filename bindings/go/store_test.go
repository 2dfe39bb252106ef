package hotline

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

var (
	agent      = Actor{"alice", RoleAgent}
	supervisor = Actor{"sam", RoleSupervisor}
	admin      = Actor{"ada", RoleAdmin}
)

func openStores(t *testing.T) map[string]*Store {
	t.Helper()
	stores := map[string]*Store{}
	for name, cfg := range map[string]string{
		"memory": `{"backend": "memory", "default_region": "DE"}`,
		"sqlite": fmt.Sprintf(`{"backend": "sqlite", "path": %q, "default_region": "DE"}`,
			filepath.Join(t.TempDir(), "hotline.db")),
	} {
		s, err := OpenStore(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetTime(1795510800000); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		stores[name] = s
	}
	return stores
}

func TestTicketsAndCustomers(t *testing.T) {
	for name, s := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			c, err := s.CreateCustomer(agent, map[string]any{"name": "Jana", "phones": []string{"030 1234567"}})
			if err != nil {
				t.Fatal(err)
			}
			hit, err := s.LookupANI(agent, "+49301234567")
			if err != nil || hit["id"] != c["id"] {
				t.Fatalf("caller id: %v %v", hit, err)
			}
			if miss, err := s.LookupANI(agent, "+49307654321"); miss != nil || err != nil {
				t.Fatalf("expected no customer, got %v %v", miss, err)
			}
			tk, err := s.CreateTicket(agent, map[string]any{"subject": "Card blocked", "customer": c["id"]})
			if err != nil {
				t.Fatal(err)
			}
			if tk["number"] != "T-2026-000001" {
				t.Fatalf("number %v", tk["number"])
			}
			id := int64(tk["id"].(float64))
			if _, err := s.AddNote(agent, id, "Unblocked", false); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SetStatus(agent, id, "resolved"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Rate(agent, id, 1); err != nil {
				t.Fatal(err)
			}
			fu, err := s.FollowUps(map[string]any{"assignee": "supervisors"})
			if err != nil || len(fu) != 1 || fu[0]["kind"] != "recovery" {
				t.Fatalf("recovery follow-up: %v %v", fu, err)
			}
			hits, err := s.Search("blocked", 10)
			if err != nil || len(hits) != 1 {
				t.Fatalf("search: %v %v", hits, err)
			}
			report, err := s.ImportCSV(supervisor, "name,phone\nLi,+86 138 0013 8000\n", map[string]any{})
			if err != nil || report["created"].(float64) != 1 {
				t.Fatalf("import: %v %v", report, err)
			}
			if _, err := s.Export(supervisor, int64(c["id"].(float64))); !errors.Is(err, ErrPerm) {
				t.Fatalf("export by a supervisor: %v", err)
			}
			if err := s.Erase(admin, int64(c["id"].(float64))); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStoreErrors(t *testing.T) {
	for name, s := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			_, err := s.CreateTicket(agent, `{"subject": `)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "not valid JSON") {
				t.Fatalf("bad JSON: %v", err)
			}
			if _, err := s.Ticket(4242); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown ticket: %v", err)
			}
			tk, _ := s.CreateTicket(agent, map[string]any{"subject": "x"})
			if _, err := s.SetStatus(agent, int64(tk["id"].(float64)), "closed"); !errors.Is(err, ErrState) {
				t.Fatalf("illegal transition: %v", err)
			}
			s.Close()
			if _, err := s.Ticket(1); !errors.Is(err, ErrInvalid) {
				t.Fatalf("closed store: %v", err)
			}
		})
	}
}

func TestSearchInChinese(t *testing.T) {
	for name, s := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			zhang, err := s.CreateCustomer(agent, map[string]any{"name": "张三", "phones": []string{"030 7777777"}})
			if err != nil {
				t.Fatal(err)
			}
			tk, err := s.CreateTicket(agent, map[string]any{"subject": "订单号A123退款"})
			if err != nil {
				t.Fatal(err)
			}
			hits, err := s.Search("退款", 10)
			if err != nil || len(hits) != 1 || hits[0]["id"] != tk["id"] {
				t.Fatalf("search: %v %v", hits, err)
			}
			if hits[0]["snippet"] != "订单号A123[退款]" {
				t.Fatalf("snippet: %v", hits[0]["snippet"])
			}
			found, err := s.SearchCustomers(agent, "zhangsan", 10)
			if err != nil || len(found) != 1 || found[0]["id"] != zhang["id"] {
				t.Fatalf("customer by pinyin: %v %v", found, err)
			}
			if none, err := s.SearchCustomers(agent, "wangwu", 10); err != nil || len(none) != 0 {
				t.Fatalf("expected no customer, got %v %v", none, err)
			}
		})
	}
}

func TestExclusiveLockingKeepsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alone.db")
	alone, err := OpenStore(fmt.Sprintf(`{"path": %q, "locking": "exclusive", "default_region": "DE"}`, path))
	if err != nil {
		t.Fatal(err)
	}
	c, err := alone.CreateCustomer(agent, map[string]any{"name": "Jana", "phones": []string{"030 1234567"}})
	if err != nil {
		t.Fatal(err)
	}
	if hit, err := alone.LookupANI(agent, "030 1234567"); err != nil || hit["id"] != c["id"] {
		t.Fatalf("caller id: %v %v", hit, err)
	}
	other, err := OpenStore(fmt.Sprintf(`{"path": %q, "busy_timeout_ms": 0}`, path))
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "exclusive locking") {
		t.Fatalf("a second open of a file held exclusively: %v", err)
	}
	if other != nil {
		other.Close()
	}
	alone.Close()
	shared, err := OpenStore(fmt.Sprintf(`{"path": %q, "default_region": "DE"}`, path))
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	if hit, err := shared.LookupANI(agent, "+49301234567"); err != nil || hit["id"] != c["id"] {
		t.Fatalf("after the exclusive store closed: %v %v", hit, err)
	}
}

func TestClockOutside1970To9999IsRefused(t *testing.T) {
	for name, s := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			for _, now := range []int64{-1, 253402214400001, math.MaxInt64} {
				err := s.SetTime(now)
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "outside 0 to 253402214400000") {
					t.Errorf("SetTime(%d): %v", now, err)
				}
			}
			if err := s.SetTime(253402214400000); err != nil {
				t.Fatal(err)
			}
		})
	}
}
