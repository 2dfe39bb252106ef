// The record-level storage interfaces: what a backend (SQLite, memory, or a
// host's own through the C ABI) implements. They keep and find records and
// nothing more; validation, workflow, SLA, masking and audit live once, in
// TicketService and CustomerService, so that every backend behaves the same.
//
// A Storage is used by one thread at a time. Writes happen inside
// begin()/commit(); a backend makes them atomic and durable at commit().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/store/audit.hpp"
#include "hotline/store/customer.hpp"
#include "hotline/store/knowledge_store.hpp"
#include "hotline/store/ticket.hpp"
#include "hotline/util/result.hpp"

namespace hotline::store {

class TicketStore {
 public:
  virtual ~TicketStore() = default;

  // Reserves `count` consecutive ticket sequence numbers of `year` inside
  // the write and returns the first (numbers start at 1 each year).
  virtual Result<std::int64_t> reserve_sequence(int year, int count) = 0;
  virtual Status insert(Ticket& ticket) = 0;  // assigns ticket.id
  virtual Status update(const Ticket& ticket) = 0;
  virtual Result<Ticket> get(TicketId id) = 0;  // kNotFound if absent
  virtual Result<Ticket> get_by_number(std::string_view number) = 0;
  virtual Result<TicketPage> list(const TicketQuery& query) = 0;
  // Full-text search over subject, description and notes: tickets holding
  // every word of `text` (search_words.hpp: whole words, any case, pairs of
  // Chinese or Japanese characters next to each other), best match first
  // (BM25), then the most recently updated.
  virtual Result<std::vector<TicketId>> search(std::string_view text, int limit) = 0;
  // Tickets not resolved or closed whose first-response or resolution due
  // time is before `before`.
  virtual Result<std::vector<Ticket>> due_before(TimeMs before, int limit) = 0;

  virtual Status add_change(const TicketChange& change) = 0;
  virtual Result<std::vector<TicketChange>> changes(TicketId id) = 0;  // oldest first
  virtual Status add_note(Note& note) = 0;  // assigns note.id
  virtual Result<std::vector<Note>> notes(TicketId id) = 0;  // oldest first

  virtual Status put_follow_up(FollowUp& follow_up) = 0;  // id 0 inserts and assigns
  virtual Result<FollowUp> get_follow_up(FollowUpId id) = 0;
  virtual Result<std::vector<FollowUp>> follow_ups(const FollowUpQuery& query) = 0;

  // Merge and erasure: move every ticket of one customer to another; replace
  // the free text of a customer's tickets: subject, description, note
  // bodies, follow-up outcomes, and in their history the old and new values
  // of subject and description changes and the text of follow-up closings
  // (redacts_text() below). Whatever the backend indexes for search goes with
  // it, down to its stored data: the erased words can no longer be found
  // anywhere in the backend's files.
  virtual Status move_customer(CustomerId from, CustomerId to) = 0;
  virtual Status redact_customer(CustomerId customer, std::string_view replacement) = 0;
};

// History lines whose values are free text that erasure replaces: changes
// of subject and description, and the closing line of a follow-up (from
// "scheduled" to its status and outcome).
bool redacts_text(const TicketChange& change) noexcept;

class CustomerStore {
 public:
  virtual ~CustomerStore() = default;

  virtual Status insert(Customer& customer) = 0;  // assigns customer.id
  virtual Status update(const Customer& customer) = 0;
  virtual Result<Customer> get(CustomerId id) = 0;
  // Live (not merged, not erased) customers with this number or address.
  virtual Result<std::vector<CustomerId>> find_by_phone(std::string_view e164) = 0;
  virtual Result<std::vector<CustomerId>> find_by_email(std::string_view email) = 0;
  // The live customer with this number and the lowest id, read whole: the
  // first of find_by_phone, then get. Caller id asks this on every call, so
  // a backend may answer it in one step.
  virtual Result<std::optional<Customer>> first_by_phone(std::string_view e164);
  // Live customers whose name holds every word of `text`, a Chinese name
  // also found by its pinyin; best match first (BM25), then the most
  // recently updated.
  virtual Result<std::vector<CustomerId>> search(std::string_view text, int limit) = 0;

  virtual Status add_contact(ContactRecord& contact) = 0;  // assigns contact.id
  virtual Result<std::vector<ContactRecord>> contacts(CustomerId id, int limit) = 0;
  virtual Status move_contacts(CustomerId from, CustomerId to) = 0;
  // Customers whose merged_into is `survivor`, oldest first.
  virtual Result<std::vector<CustomerId>> merged_away(CustomerId survivor) = 0;
  virtual Status redact_contacts(CustomerId customer) = 0;  // blank the caller numbers
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Status append(AuditRecord& record) = 0;  // assigns record.id
  virtual Result<std::vector<AuditRecord>> records(const AuditQuery& query) = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;
  virtual TicketStore& tickets() = 0;
  virtual CustomerStore& customers() = 0;
  virtual AuditLog& audit() = 0;
  virtual KnowledgeStore& knowledge() = 0;

  // One write transaction at a time; reads outside one see committed data.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() noexcept = 0;

  // Several reads as one: from begin_read() to end_read() every read sees
  // the store as the first of them found it, whatever other connections
  // commit meanwhile (they are not held up). Over SQLite that is one read
  // transaction, whose locks are taken and released once instead of once per
  // read; there, a write transaction cannot begin inside one, nor one begin
  // inside a write transaction or another (kIllegalState). Only reads belong
  // inside: a service call that would write (a supervisor's clear read, with
  // its audit record) cannot, and hands its values out masked. The memory
  // and key-value backends have no snapshot: the default does nothing.
  virtual Status begin_read() { return {}; }
  virtual void end_read() noexcept {}
};

// Holds a read snapshot (Storage::begin_read) for its scope, if it began.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Storage& storage) : storage_(storage), began_(storage.begin_read()) {}
  ~ReadSnapshot() {
    if (began_) storage_.end_read();
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  // Why it did not begin, if it did not.
  const Status& status() const noexcept { return began_; }

 private:
  Storage& storage_;
  Status began_;
};

// Everything in memory: for tests, the simulator, and hosts that keep no
// history. rollback() restores the state at begin().
std::unique_ptr<Storage> open_memory_storage();

struct SqliteOptions {
  std::string path;              // a file; ":memory:" for a private database
  // NORMAL: a commit survives the process dying, and may be lost with power;
  // FULL: a commit is on disk when commit() returns.
  bool synchronous_full = false;
  int busy_timeout_ms = 5000;
  bool read_only = false;        // a reader beside the one writer
  // The only connection to the file while it is open (SQLite's exclusive
  // locking mode): no other connection, in this process or another, can
  // read or write it until this one closes, and opening it needs every other
  // connection closed. Each read transaction then skips the locking and
  // shared-memory work SQLite's write-ahead log does to let other
  // connections in: more than half of a small read's cost. Not with
  // read_only.
  bool exclusive = false;
};

// The embedded default. Opens (creating if needed) and migrates the schema.
Result<std::unique_ptr<Storage>> open_sqlite_storage(const SqliteOptions& options);

}  // namespace hotline::store
