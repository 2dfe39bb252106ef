// The contract suite runs every case against each backend: TEST_CASE_TEMPLATE
// over the types below. The SQLite one uses a real file in a fresh temporary
// directory, removed afterwards.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <map>
#include <optional>

#include "hotline/store/customer_service.hpp"
#include "hotline/store/key_value.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/store/ticket_service.hpp"
#include "../temp_dir.hpp"

namespace hotline::store::testing {

// A fresh directory, removed afterwards (tests/temp_dir.hpp).
class TempDir : public hotline::testing::TempDir {
 public:
  TempDir() : hotline::testing::TempDir("hotline-store") {}
};

struct MemoryBackend {
  static constexpr const char* kName = "memory";
  std::unique_ptr<Storage> open() { return open_memory_storage(); }
};

struct SqliteBackend {
  static constexpr const char* kName = "sqlite";
  TempDir dir;
  std::unique_ptr<Storage> open() {
    auto s = open_sqlite_storage(SqliteOptions{dir.file("hotline.db")});
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    return std::move(*s);
  }
};

// 2026-11-24 09:00 UTC, a Tuesday.
constexpr TimeMs kStart = 1795510800000;
constexpr TimeMs kMinute = 60'000;
constexpr TimeMs kHour = 60 * kMinute;

// A backend with both services on a virtual clock.
template <typename Backend>
struct Desk {
  Backend backend;
  std::unique_ptr<Storage> storage = backend.open();
  TimeMs now = kStart;
  TicketService tickets{*storage, ticket_options()};
  CustomerService customers = make_customers();

  Actor agent{"alice", Role::kAgent};
  Actor supervisor{"sam", Role::kSupervisor};
  Actor admin{"ada", Role::kAdmin};

  TicketService::Options ticket_options() {
    TicketService::Options o;
    o.clock = [this] { return now; };
    o.sla[TicketPriority::kNormal] = SlaTargets{4 * kHour, 24 * kHour};
    o.sla[TicketPriority::kUrgent] = SlaTargets{30 * kMinute, 4 * kHour};
    o.custom_categories = {"billing"};
    return o;
  }
  CustomerService make_customers() {
    CustomerService::Options o;
    o.default_region = "DE";
    o.clock = [this] { return now; };
    auto s = CustomerService::make(*storage, o);
    REQUIRE(s.ok());
    return std::move(*s);
  }

  Ticket ticket(std::string subject, CustomerId customer = 0,
                TicketPriority priority = TicketPriority::kNormal) {
    NewTicket n;
    n.subject = std::move(subject);
    n.customer = customer;
    n.priority = priority;
    n.group = "support";
    auto t = tickets.create(agent, n);
    REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.error().message));
    return *t;
  }
  // One batch of tickets in the support group, one per subject; their ids.
  std::vector<TicketId> ticket_batch(const std::vector<std::string>& subjects) {
    std::vector<NewTicket> batch(subjects.size());
    for (std::size_t i = 0; i < subjects.size(); ++i) {
      batch[i].subject = subjects[i];
      batch[i].group = "support";
    }
    auto made = tickets.create_batch(agent, batch);
    REQUIRE_MESSAGE(made.ok(), (made.ok() ? "" : made.error().message));
    std::vector<TicketId> ids;
    for (const auto& t : *made) ids.push_back(t.id);
    return ids;
  }
  // The ids a ticket search returns, in its order.
  std::vector<TicketId> search_ids(const std::string& query, int limit) {
    auto found = tickets.search(query, limit);
    REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
    std::vector<TicketId> out;
    for (const auto& t : *found) out.push_back(t.id);
    return out;
  }
  Customer customer(std::string name, std::string phone, std::string email = "") {
    NewCustomer n;
    n.name = std::move(name);
    if (!phone.empty()) n.phones = {std::move(phone)};
    if (!email.empty()) n.emails = {std::move(email)};
    auto c = customers.create(agent, n);
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
    return *c;
  }
};

// A host's key-value store as a test would write one: a map, with the whole
// map kept at begin() for rollback.
class MapKeyValue final : public KeyValueStore {
 public:
  Status begin() override {
    if (saved_) return make_error(Errc::kIllegalState, "a transaction is open");
    saved_ = records_;
    return {};
  }
  Status commit() override {
    saved_.reset();
    return {};
  }
  void rollback() noexcept override {
    if (saved_) records_ = std::move(*saved_);
    saved_.reset();
  }
  Status put(std::string_view kind, std::int64_t id, std::string_view json) override {
    records_[{std::string(kind), id}] = std::string(json);
    return {};
  }
  Result<std::optional<std::string>> get(std::string_view kind, std::int64_t id) override {
    auto it = records_.find({std::string(kind), id});
    if (it == records_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Status scan(std::string_view kind, const Visitor& visit) override {
    // Backwards, so that nothing depends on the host's scan order.
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
      if (it->first.first == kind && !visit(it->first.second, it->second)) break;
    }
    return {};
  }

 private:
  std::map<std::pair<std::string, std::int64_t>, std::string> records_;
  std::optional<std::map<std::pair<std::string, std::int64_t>, std::string>> saved_;
};

struct KeyValueBackend {
  static constexpr const char* kName = "key-value";
  MapKeyValue kv;
  std::unique_ptr<Storage> open() { return open_key_value_storage(kv); }
};

#define HL_STORE_BACKENDS                                                 \
  hotline::store::testing::MemoryBackend, hotline::store::testing::SqliteBackend, \
      hotline::store::testing::KeyValueBackend

}  // namespace hotline::store::testing
