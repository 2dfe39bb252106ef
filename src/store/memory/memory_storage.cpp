// The in-memory backend: plain maps. A write transaction keeps an undo
// record: the old value of every record it touches (once) and the lengths of
// the append-only logs, so rollback costs what the transaction did, not the
// size of the store.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "hotline/store/storage.hpp"
#include "store/query_cursor.hpp"
#include "store/record_queries.hpp"
#include "store/search_words.hpp"

namespace hotline::store {
namespace {

struct State {
  std::map<TicketId, Ticket> tickets;
  std::map<int, std::int64_t> sequences;
  std::vector<TicketChange> changes;
  std::vector<Note> notes;
  std::map<FollowUpId, FollowUp> follow_ups;
  std::map<CustomerId, Customer> customers;
  std::vector<ContactRecord> contacts;
  std::vector<AuditRecord> audit;
  std::int64_t next_id = 1;  // one counter for every kind of record

  struct Undo {
    std::int64_t next_id = 0;
    std::size_t changes = 0, notes = 0, contacts = 0, audit = 0;
    std::map<int, std::int64_t> sequences;
    std::map<TicketId, std::optional<Ticket>> tickets;
    std::map<FollowUpId, std::optional<FollowUp>> follow_ups;
    std::map<CustomerId, std::optional<Customer>> customers;
    std::vector<std::pair<std::size_t, Note>> edited_notes;
    std::vector<std::pair<std::size_t, TicketChange>> edited_changes;
    std::vector<std::pair<std::size_t, ContactRecord>> edited_contacts;
  };
  std::optional<Undo> undo;  // set inside a write transaction

  // Keeps the value a record had before the transaction (or its absence).
  template <typename K, typename V>
  void save(std::map<K, std::optional<V>> Undo::*saved, const std::map<K, V>& live, K id) {
    if (!undo) return;
    auto& kept = (*undo).*saved;
    if (kept.count(id)) return;
    auto it = live.find(id);
    kept[id] = it == live.end() ? std::nullopt : std::optional<V>(it->second);
  }
  void touch_ticket(TicketId id) { save(&Undo::tickets, tickets, id); }
  void touch_follow_up(FollowUpId id) { save(&Undo::follow_ups, follow_ups, id); }
  void touch_customer(CustomerId id) { save(&Undo::customers, customers, id); }
  void touch_note(std::size_t i) {
    if (undo && i < undo->notes) undo->edited_notes.emplace_back(i, notes[i]);
  }
  void touch_change(std::size_t i) {
    if (undo && i < undo->changes) undo->edited_changes.emplace_back(i, changes[i]);
  }
  void touch_contact(std::size_t i) {
    if (undo && i < undo->contacts) undo->edited_contacts.emplace_back(i, contacts[i]);
  }

  void begin() {
    undo = Undo();  // not emplace(): clang judges Undo not default-constructible here
    undo->next_id = next_id;
    undo->changes = changes.size();
    undo->notes = notes.size();
    undo->contacts = contacts.size();
    undo->audit = audit.size();
    undo->sequences = sequences;
  }
  void roll_back() {
    Undo& u = *undo;
    next_id = u.next_id;
    changes.resize(u.changes);
    notes.resize(u.notes);
    contacts.resize(u.contacts);
    audit.resize(u.audit);
    for (auto it = u.edited_notes.rbegin(); it != u.edited_notes.rend(); ++it) {
      notes[it->first] = it->second;
    }
    for (auto it = u.edited_changes.rbegin(); it != u.edited_changes.rend(); ++it) {
      changes[it->first] = it->second;
    }
    for (auto it = u.edited_contacts.rbegin(); it != u.edited_contacts.rend(); ++it) {
      contacts[it->first] = it->second;
    }
    sequences = std::move(u.sequences);
    restore(tickets, u.tickets);
    restore(follow_ups, u.follow_ups);
    restore(customers, u.customers);
    undo.reset();
  }
  template <typename K, typename V>
  static void restore(std::map<K, V>& live, std::map<K, std::optional<V>>& kept) {
    for (auto& [id, value] : kept) {
      if (value) live[id] = std::move(*value);
      else live.erase(id);
    }
  }
};

Error not_found(const char* what, std::int64_t id) {
  return make_error(Errc::kNotFound, fmt::format("no {} with id {}", what, id));
}

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

class MemoryTickets final : public TicketStore {
 public:
  explicit MemoryTickets(State& s) : s_(s) {}

  Result<std::int64_t> reserve_sequence(int year, int count) override {
    const std::int64_t first = s_.sequences[year] + 1;
    s_.sequences[year] += count;
    return first;
  }
  Status insert(Ticket& t) override {
    t.id = s_.next_id++;
    s_.touch_ticket(t.id);
    s_.tickets[t.id] = t;
    return {};
  }
  Status update(const Ticket& t) override {
    auto it = s_.tickets.find(t.id);
    if (it == s_.tickets.end()) return not_found("ticket", t.id);
    s_.touch_ticket(t.id);
    it->second = t;
    return {};
  }
  Result<Ticket> get(TicketId id) override {
    auto it = s_.tickets.find(id);
    if (it == s_.tickets.end()) return not_found("ticket", id);
    return it->second;
  }
  Result<Ticket> get_by_number(std::string_view number) override {
    for (const auto& [id, t] : s_.tickets) {
      if (t.number == number) return t;
    }
    return make_error(Errc::kNotFound, fmt::format("no ticket numbered '{}'", number));
  }

  Result<TicketPage> list(const TicketQuery& q) override {
    std::optional<Cursor> after;
    if (!q.after.empty()) {
      auto c = decode_cursor(q.after);
      if (!c) return std::move(c).error();
      after = *c;
    }
    std::vector<Ticket> rows;
    for (const auto& [id, t] : s_.tickets) {
      if (matches(q, after, t)) rows.push_back(t);
    }
    return page_of(std::move(rows), q);
  }

  Result<std::vector<TicketId>> search(std::string_view text, int limit) override {
    auto phrases = search_query(text);
    if (!phrases) return std::move(phrases).error();
    if (phrases->empty() || limit <= 0) return std::vector<TicketId>{};
    std::map<TicketId, std::string> notes;
    for (const Note& n : s_.notes) {
      std::string& all = notes[n.ticket];
      if (!all.empty()) all += '\n';
      all += n.body;
    }
    std::vector<search::IndexedRecord> records;
    records.reserve(s_.tickets.size());
    for (const auto& [id, t] : s_.tickets) {
      auto r = indexed_ticket(t, notes[id]);
      if (!r) return std::move(r).error();
      records.push_back(std::move(*r));
    }
    return search::rank(records, *phrases, limit);
  }

  Result<std::vector<Ticket>> due_before(TimeMs before, int limit) override {
    std::vector<Ticket> out;
    for (const auto& [id, t] : s_.tickets) {
      if (is_due_before(t, before)) out.push_back(t);
      if (static_cast<int>(out.size()) >= limit) break;
    }
    return out;
  }

  Status add_change(const TicketChange& c) override {
    s_.changes.push_back(c);
    return {};
  }
  Result<std::vector<TicketChange>> changes(TicketId id) override {
    std::vector<TicketChange> out;
    for (const auto& c : s_.changes) {
      if (c.ticket == id) out.push_back(c);
    }
    return out;
  }
  Status add_note(Note& n) override {
    n.id = s_.next_id++;
    s_.notes.push_back(n);
    return {};
  }
  Result<std::vector<Note>> notes(TicketId id) override {
    std::vector<Note> out;
    for (const auto& n : s_.notes) {
      if (n.ticket == id) out.push_back(n);
    }
    return out;
  }

  Status put_follow_up(FollowUp& f) override {
    if (f.id == 0) {
      f.id = s_.next_id++;
    } else if (!s_.follow_ups.count(f.id)) {
      return not_found("follow-up", f.id);
    }
    s_.touch_follow_up(f.id);
    s_.follow_ups[f.id] = f;
    return {};
  }
  Result<FollowUp> get_follow_up(FollowUpId id) override {
    auto it = s_.follow_ups.find(id);
    if (it == s_.follow_ups.end()) return not_found("follow-up", id);
    return it->second;
  }
  Result<std::vector<FollowUp>> follow_ups(const FollowUpQuery& q) override {
    std::vector<FollowUp> out;
    for (const auto& [id, f] : s_.follow_ups) {
      if (matches(q, f)) out.push_back(f);
    }
    order_and_cut(out, q.limit);
    return out;
  }

  Status move_customer(CustomerId from, CustomerId to) override {
    for (auto& [id, t] : s_.tickets) {
      if (t.customer != from) continue;
      s_.touch_ticket(id);
      t.customer = to;
    }
    return {};
  }
  Status redact_customer(CustomerId customer, std::string_view replacement) override {
    for (auto& [id, t] : s_.tickets) {
      if (t.customer != customer) continue;
      s_.touch_ticket(id);
      t.subject = t.description = std::string(replacement);
      for (std::size_t i = 0; i < s_.notes.size(); ++i) {
        if (s_.notes[i].ticket != id) continue;
        s_.touch_note(i);
        s_.notes[i].body = std::string(replacement);
      }
      for (std::size_t i = 0; i < s_.changes.size(); ++i) {
        TicketChange& c = s_.changes[i];
        if (c.ticket != id || !redacts_text(c)) continue;
        s_.touch_change(i);
        if (c.field != "follow_up" && !c.old_value.empty()) c.old_value = replacement;
        if (!c.new_value.empty()) c.new_value = replacement;
      }
      for (auto& [fid, f] : s_.follow_ups) {
        if (f.ticket != id || f.outcome.empty()) continue;
        s_.touch_follow_up(fid);
        f.outcome = std::string(replacement);
      }
    }
    return {};
  }

 private:
  State& s_;
};

class MemoryCustomers final : public CustomerStore {
 public:
  explicit MemoryCustomers(State& s) : s_(s) {}

  Status insert(Customer& c) override {
    c.id = s_.next_id++;
    s_.touch_customer(c.id);
    s_.customers[c.id] = c;
    return {};
  }
  Status update(const Customer& c) override {
    auto it = s_.customers.find(c.id);
    if (it == s_.customers.end()) return not_found("customer", c.id);
    s_.touch_customer(c.id);
    it->second = c;
    return {};
  }
  Result<Customer> get(CustomerId id) override {
    auto it = s_.customers.find(id);
    if (it == s_.customers.end()) return not_found("customer", id);
    return it->second;
  }
  Result<std::vector<CustomerId>> find_by_phone(std::string_view e164) override {
    return find([&](const Customer& c) { return contains(c.phones, e164); });
  }
  Result<std::vector<CustomerId>> find_by_email(std::string_view email) override {
    return find([&](const Customer& c) { return contains(c.emails, email); });
  }
  Result<std::vector<CustomerId>> search(std::string_view text, int limit) override {
    auto phrases = search_query(text);
    if (!phrases) return std::move(phrases).error();
    if (phrases->empty() || limit <= 0) return std::vector<CustomerId>{};
    std::vector<search::IndexedRecord> records;
    for (const auto& [id, c] : s_.customers) {
      if (!is_searchable(c)) continue;
      auto r = indexed_customer(c);
      if (!r) return std::move(r).error();
      records.push_back(std::move(*r));
    }
    return search::rank(records, *phrases, limit);
  }

  Status add_contact(ContactRecord& c) override {
    c.id = s_.next_id++;
    s_.contacts.push_back(c);
    return {};
  }
  Result<std::vector<ContactRecord>> contacts(CustomerId id, int limit) override {
    std::vector<ContactRecord> out;
    for (const auto& c : s_.contacts) {
      if (c.customer == id) out.push_back(c);
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::pair(a.started_at, a.id) > std::pair(b.started_at, b.id);
    });
    if (out.size() > static_cast<std::size_t>(std::max(limit, 0))) {
      out.resize(static_cast<std::size_t>(std::max(limit, 0)));
    }
    return out;
  }
  Status move_contacts(CustomerId from, CustomerId to) override {
    for (std::size_t i = 0; i < s_.contacts.size(); ++i) {
      if (s_.contacts[i].customer != from) continue;
      s_.touch_contact(i);
      s_.contacts[i].customer = to;
    }
    return {};
  }
  Result<std::vector<CustomerId>> merged_away(CustomerId survivor) override {
    std::vector<CustomerId> out;
    for (const auto& [id, c] : s_.customers) {
      if (c.merged_into == survivor) out.push_back(id);
    }
    return out;
  }
  Status redact_contacts(CustomerId customer) override {
    for (std::size_t i = 0; i < s_.contacts.size(); ++i) {
      if (s_.contacts[i].customer != customer) continue;
      s_.touch_contact(i);
      s_.contacts[i].ani.clear();
    }
    return {};
  }

 private:
  template <typename Pred>
  std::vector<CustomerId> find(Pred pred) {
    std::vector<CustomerId> out;
    for (const auto& [id, c] : s_.customers) {
      if (c.merged_into == 0 && !c.erased && pred(c)) out.push_back(id);
    }
    return out;
  }
  State& s_;
};

class MemoryAudit final : public AuditLog {
 public:
  explicit MemoryAudit(State& s) : s_(s) {}
  Status append(AuditRecord& r) override {
    r.id = s_.next_id++;
    s_.audit.push_back(r);
    return {};
  }
  Result<std::vector<AuditRecord>> records(const AuditQuery& q) override {
    std::vector<AuditRecord> out;
    for (auto it = s_.audit.rbegin(); it != s_.audit.rend(); ++it) {
      if (!matches(q, *it)) continue;
      out.push_back(*it);
      if (static_cast<int>(out.size()) >= q.limit) break;
    }
    return out;
  }

 private:
  State& s_;
};

class MemoryStorage final : public Storage {
 public:
  TicketStore& tickets() override { return tickets_; }
  CustomerStore& customers() override { return customers_; }
  AuditLog& audit() override { return audit_; }

  Status begin() override {
    if (state_.undo) return make_error(Errc::kIllegalState, "a write transaction is already open");
    state_.begin();
    return {};
  }
  Status commit() override {
    if (!state_.undo) return make_error(Errc::kIllegalState, "no write transaction is open");
    state_.undo.reset();
    return {};
  }
  void rollback() noexcept override {
    if (state_.undo) state_.roll_back();
  }

 private:
  State state_;
  MemoryTickets tickets_{state_};
  MemoryCustomers customers_{state_};
  MemoryAudit audit_{state_};
};

}  // namespace

std::unique_ptr<Storage> open_memory_storage() { return std::make_unique<MemoryStorage>(); }

}  // namespace hotline::store
