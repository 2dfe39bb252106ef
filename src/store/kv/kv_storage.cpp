// Tickets, customers and the audit log over a host's key-value store. Every
// query scans the records of its kind and filters them with the same rules
// as the in-memory backend; the host's store only keeps and returns JSON.
#include <algorithm>
#include <map>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/store/key_value.hpp"
#include "hotline/util/json_input.hpp"
#include "store/kv/records.hpp"
#include "store/query_cursor.hpp"
#include "store/record_queries.hpp"
#include "store/search_words.hpp"
#include "store/try.hpp"

namespace hotline::store {
namespace {

Error not_found(const char* what, std::int64_t id) {
  return make_error(Errc::kNotFound, fmt::format("no {} with id {}", what, id));
}

// A counter record as the host hands it back: {"<field>": n}, parsed with
// the nesting limit, and with n small enough that counting on cannot
// overflow.
Result<std::int64_t> read_counter(const std::string& text, const char* field, const char* kind) {
  auto j = parse_json(text, fmt::format("the host's {} record", kind));
  constexpr std::int64_t kLargest = std::int64_t{1} << 62;
  if (j && j->is_object()) {
    auto it = j->find(field);
    if (it != j->end() && it->is_number_integer() && !it->is_number_unsigned() &&
        it->get<std::int64_t>() >= 0 && it->get<std::int64_t>() < kLargest) {
      return it->get<std::int64_t>();
    }
    if (it != j->end() && it->is_number_unsigned() && it->get<std::uint64_t>() < kLargest) {
      return static_cast<std::int64_t>(it->get<std::uint64_t>());
    }
  }
  return make_error(Errc::kIo,
                    fmt::format("the host's storage returned an unreadable {} record", kind));
}

// Shared helpers over the host's store.
class Records {
 public:
  explicit Records(KeyValueStore& kv) : kv_(kv) {}

  Result<std::int64_t> next_id() {
    HL_STORE_TRY(current, kv_.get("counter", 0));
    std::int64_t next = 1;
    if (current) {
      HL_STORE_TRY(stored, read_counter(*current, "next", "counter"));
      next = stored;
    }
    HL_STORE_CHECK(kv_.put("counter", 0, nlohmann::json{{"next", next + 1}}.dump()));
    return next;
  }

  template <typename T>
  Result<std::optional<T>> load(std::string_view kind, std::int64_t id) {
    HL_STORE_TRY(text, kv_.get(kind, id));
    if (!text) return std::optional<T>();
    T record;
    HL_STORE_CHECK(kv::decode(*text, record));
    return std::optional<T>(std::move(record));
  }

  template <typename T>
  Status save(std::string_view kind, std::int64_t id, const T& record) {
    return kv_.put(kind, id, kv::encode(record));
  }

  // A new record: takes the next id and stores it.
  template <typename T>
  Status insert(std::string_view kind, T& record) {
    HL_STORE_TRY(id, next_id());
    record.id = id;
    return save(kind, record.id, record);
  }
  // Replaces a record that must exist (`what` names it in the error).
  template <typename T>
  Status replace(std::string_view kind, const T& record, const char* what) {
    HL_STORE_TRY(old, load<T>(kind, record.id));
    if (!old) return not_found(what, record.id);
    return save(kind, record.id, record);
  }
  template <typename T>
  Result<T> require(std::string_view kind, std::int64_t id, const char* what) {
    HL_STORE_TRY(record, load<T>(kind, id));
    if (!record) return not_found(what, id);
    return std::move(*record);
  }

  // Every record of a kind that `keep` accepts, decoded.
  template <typename T, typename Keep>
  Result<std::vector<T>> all(std::string_view kind, Keep&& keep) {
    std::vector<T> out;
    Status failed;
    HL_STORE_CHECK(kv_.scan(kind, [&](std::int64_t, std::string_view text) {
      T record;
      if (Status st = kv::decode(text, record); !st) {
        failed = std::move(st);
        return false;
      }
      if (keep(record)) out.push_back(std::move(record));
      return true;
    }));
    if (!failed) return std::move(failed).error();
    return out;
  }

  KeyValueStore& kv() { return kv_; }

 private:
  KeyValueStore& kv_;
};

class KvTickets final : public TicketStore {
 public:
  explicit KvTickets(Records& r) : r_(r) {}

  Result<std::int64_t> reserve_sequence(int year, int count) override {
    HL_STORE_TRY(current, r_.kv().get("sequence", year));
    std::int64_t last = 0;
    if (current) {
      HL_STORE_TRY(stored, read_counter(*current, "last", "sequence"));
      last = stored;
    }
    HL_STORE_CHECK(r_.kv().put("sequence", year, nlohmann::json{{"last", last + count}}.dump()));
    return last + 1;
  }
  Status insert(Ticket& t) override { return r_.insert("ticket", t); }
  Status update(const Ticket& t) override { return r_.replace("ticket", t, "ticket"); }
  Result<Ticket> get(TicketId id) override { return r_.require<Ticket>("ticket", id, "ticket"); }
  Result<Ticket> get_by_number(std::string_view number) override {
    HL_STORE_TRY(hits, r_.all<Ticket>("ticket", [&](const Ticket& t) { return t.number == number; }));
    if (hits.empty()) {
      return make_error(Errc::kNotFound, fmt::format("no ticket numbered '{}'", number));
    }
    return std::move(hits.front());
  }
  Result<TicketPage> list(const TicketQuery& q) override {
    std::optional<Cursor> after;
    if (!q.after.empty()) {
      HL_STORE_TRY(c, decode_cursor(q.after));
      after = c;
    }
    HL_STORE_TRY(rows, r_.all<Ticket>("ticket", [&](const Ticket& t) { return matches(q, after, t); }));
    return page_of(std::move(rows), q);
  }
  Result<std::vector<TicketId>> search(std::string_view text, int limit) override {
    HL_STORE_TRY(phrases, search_query(text));
    if (phrases.empty() || limit <= 0) return std::vector<TicketId>{};
    HL_STORE_TRY(notes, r_.all<Note>("note", [](const Note&) { return true; }));
    HL_STORE_TRY(tickets, r_.all<Ticket>("ticket", [](const Ticket&) { return true; }));
    // Notes in the order they were written, as the SQLite index joins them.
    std::sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) { return a.id < b.id; });
    std::map<TicketId, std::string> joined;
    for (const Note& n : notes) {
      std::string& all = joined[n.ticket];
      if (!all.empty()) all += '\n';
      all += n.body;
    }
    std::vector<search::IndexedRecord> records;
    records.reserve(tickets.size());
    for (const Ticket& t : tickets) {
      HL_STORE_TRY(r, indexed_ticket(t, joined[t.id]));
      records.push_back(std::move(r));
    }
    return search::rank(records, phrases, limit);
  }
  Result<std::vector<Ticket>> due_before(TimeMs before, int limit) override {
    HL_STORE_TRY(rows, r_.all<Ticket>("ticket", [&](const Ticket& t) { return is_due_before(t, before); }));
    std::sort(rows.begin(), rows.end(), [](const Ticket& a, const Ticket& b) { return a.id < b.id; });
    if (rows.size() > static_cast<std::size_t>(std::max(limit, 0))) {
      rows.resize(static_cast<std::size_t>(std::max(limit, 0)));
    }
    return rows;
  }
  Status add_change(const TicketChange& c) override {
    HL_STORE_TRY(id, r_.next_id());
    return r_.save("change", id, c);
  }
  Result<std::vector<TicketChange>> changes(TicketId id) override {
    // Scan order is the host's; the record ids (from the counter) give time order.
    std::vector<std::pair<std::int64_t, TicketChange>> rows;
    Status failed;
    HL_STORE_CHECK(r_.kv().scan("change", [&](std::int64_t key, std::string_view text) {
      TicketChange c;
      if (Status st = kv::decode(text, c); !st) {
        failed = std::move(st);
        return false;
      }
      if (c.ticket == id) rows.emplace_back(key, std::move(c));
      return true;
    }));
    if (!failed) return std::move(failed).error();
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<TicketChange> out;
    for (auto& [key, c] : rows) out.push_back(std::move(c));
    return out;
  }
  Status add_note(Note& n) override { return r_.insert("note", n); }
  Result<std::vector<Note>> notes(TicketId id) override {
    HL_STORE_TRY(rows, r_.all<Note>("note", [&](const Note& n) { return n.ticket == id; }));
    std::sort(rows.begin(), rows.end(), [](const Note& a, const Note& b) { return a.id < b.id; });
    return rows;
  }
  Status put_follow_up(FollowUp& f) override {
    return f.id == 0 ? r_.insert("follow_up", f) : r_.replace("follow_up", f, "follow-up");
  }
  Result<FollowUp> get_follow_up(FollowUpId id) override {
    return r_.require<FollowUp>("follow_up", id, "follow-up");
  }
  Result<std::vector<FollowUp>> follow_ups(const FollowUpQuery& q) override {
    HL_STORE_TRY(rows, r_.all<FollowUp>("follow_up", [&](const FollowUp& f) { return matches(q, f); }));
    order_and_cut(rows, q.limit);
    return rows;
  }
  Status move_customer(CustomerId from, CustomerId to) override {
    HL_STORE_TRY(rows, r_.all<Ticket>("ticket", [&](const Ticket& t) { return t.customer == from; }));
    for (Ticket& t : rows) {
      t.customer = to;
      HL_STORE_CHECK(r_.save("ticket", t.id, t));
    }
    return {};
  }
  Status redact_customer(CustomerId customer, std::string_view replacement) override {
    HL_STORE_TRY(rows, r_.all<Ticket>("ticket", [&](const Ticket& t) { return t.customer == customer; }));
    for (Ticket& t : rows) {
      t.subject = t.description = std::string(replacement);
      HL_STORE_CHECK(r_.save("ticket", t.id, t));
      HL_STORE_TRY(notes, this->notes(t.id));
      for (Note& n : notes) {
        n.body = std::string(replacement);
        HL_STORE_CHECK(r_.save("note", n.id, n));
      }
      FollowUpQuery q;
      q.ticket = t.id;
      q.limit = std::numeric_limits<int>::max();
      HL_STORE_TRY(follow_ups, this->follow_ups(q));
      for (FollowUp& f : follow_ups) {
        if (f.outcome.empty()) continue;
        f.outcome = std::string(replacement);
        HL_STORE_CHECK(r_.save("follow_up", f.id, f));
      }
      HL_STORE_CHECK(redact_changes(t.id, replacement));
    }
    return {};
  }

 private:
  Status redact_changes(TicketId ticket, std::string_view replacement) {
    std::vector<std::pair<std::int64_t, TicketChange>> rows;
    Status failed;
    HL_STORE_CHECK(r_.kv().scan("change", [&](std::int64_t key, std::string_view text) {
      TicketChange c;
      if (Status st = kv::decode(text, c); !st) {
        failed = std::move(st);
        return false;
      }
      if (c.ticket == ticket && redacts_text(c)) rows.emplace_back(key, std::move(c));
      return true;
    }));
    if (!failed) return std::move(failed).error();
    for (auto& [key, c] : rows) {
      if (c.field != "follow_up" && !c.old_value.empty()) c.old_value = replacement;
      if (!c.new_value.empty()) c.new_value = replacement;
      HL_STORE_CHECK(r_.save("change", key, c));
    }
    return {};
  }

  Records& r_;
};

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

class KvCustomers final : public CustomerStore {
 public:
  explicit KvCustomers(Records& r) : r_(r) {}

  Status insert(Customer& c) override { return r_.insert("customer", c); }
  Status update(const Customer& c) override { return r_.replace("customer", c, "customer"); }
  Result<Customer> get(CustomerId id) override {
    return r_.require<Customer>("customer", id, "customer");
  }
  Result<std::vector<CustomerId>> find_by_phone(std::string_view e164) override {
    return find([&](const Customer& c) { return contains(c.phones, e164); });
  }
  Result<std::vector<CustomerId>> find_by_email(std::string_view email) override {
    return find([&](const Customer& c) { return contains(c.emails, email); });
  }
  Result<std::vector<CustomerId>> search(std::string_view text, int limit) override {
    HL_STORE_TRY(phrases, search_query(text));
    if (phrases.empty() || limit <= 0) return std::vector<CustomerId>{};
    HL_STORE_TRY(customers, r_.all<Customer>("customer", is_searchable));
    std::vector<search::IndexedRecord> records;
    records.reserve(customers.size());
    for (const Customer& c : customers) {
      HL_STORE_TRY(r, indexed_customer(c));
      records.push_back(std::move(r));
    }
    return search::rank(records, phrases, limit);
  }

  Status add_contact(ContactRecord& c) override { return r_.insert("contact", c); }
  Result<std::vector<ContactRecord>> contacts(CustomerId id, int limit) override {
    HL_STORE_TRY(rows, r_.all<ContactRecord>("contact", [&](const ContactRecord& c) { return c.customer == id; }));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return std::pair(a.started_at, a.id) > std::pair(b.started_at, b.id);
    });
    if (rows.size() > static_cast<std::size_t>(std::max(limit, 0))) {
      rows.resize(static_cast<std::size_t>(std::max(limit, 0)));
    }
    return rows;
  }
  Status move_contacts(CustomerId from, CustomerId to) override {
    return rewrite([&](ContactRecord& c) {
      if (c.customer != from) return false;
      c.customer = to;
      return true;
    });
  }
  Result<std::vector<CustomerId>> merged_away(CustomerId survivor) override {
    HL_STORE_TRY(rows, r_.all<Customer>("customer", [&](const Customer& c) {
      return c.merged_into == survivor;
    }));
    std::vector<CustomerId> ids;
    for (const auto& c : rows) ids.push_back(c.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  Status redact_contacts(CustomerId customer) override {
    return rewrite([&](ContactRecord& c) {
      if (c.customer != customer) return false;
      c.ani.clear();
      return true;
    });
  }

 private:
  template <typename Pred>
  Result<std::vector<CustomerId>> find(Pred pred) {
    HL_STORE_TRY(rows, r_.all<Customer>("customer", [&](const Customer& c) {
      return c.merged_into == 0 && !c.erased && pred(c);
    }));
    std::vector<CustomerId> ids;
    for (const auto& c : rows) ids.push_back(c.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  template <typename Edit>
  Status rewrite(Edit edit) {
    HL_STORE_TRY(rows, r_.all<ContactRecord>("contact", [](const ContactRecord&) { return true; }));
    for (ContactRecord& c : rows) {
      if (edit(c)) HL_STORE_CHECK(r_.save("contact", c.id, c));
    }
    return {};
  }
  Records& r_;
};

class KvAudit final : public AuditLog {
 public:
  explicit KvAudit(Records& r) : r_(r) {}
  Status append(AuditRecord& a) override { return r_.insert("audit", a); }
  Result<std::vector<AuditRecord>> records(const AuditQuery& q) override {
    HL_STORE_TRY(rows, r_.all<AuditRecord>("audit", [&](const AuditRecord& a) { return matches(q, a); }));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
    if (rows.size() > static_cast<std::size_t>(std::max(q.limit, 0))) {
      rows.resize(static_cast<std::size_t>(std::max(q.limit, 0)));
    }
    return rows;
  }

 private:
  Records& r_;
};

class KvStorage final : public Storage {
 public:
  explicit KvStorage(KeyValueStore& kv) : records_(kv), tickets_(records_), customers_(records_), audit_(records_) {}
  TicketStore& tickets() override { return tickets_; }
  CustomerStore& customers() override { return customers_; }
  AuditLog& audit() override { return audit_; }
  Status begin() override { return records_.kv().begin(); }
  Status commit() override { return records_.kv().commit(); }
  void rollback() noexcept override { records_.kv().rollback(); }

 private:
  Records records_;
  KvTickets tickets_;
  KvCustomers customers_;
  KvAudit audit_;
};

}  // namespace

std::unique_ptr<Storage> open_key_value_storage(KeyValueStore& kv) {
  return std::make_unique<KvStorage>(kv);
}

}  // namespace hotline::store
