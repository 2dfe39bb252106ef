// The contract suite runs every case against each backend: TEST_CASE_TEMPLATE
// over the types below. The SQLite one uses a real file in a fresh temporary
// directory, removed afterwards.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "hotline/store/customer_service.hpp"
#include "hotline/store/storage.hpp"
#include "hotline/store/ticket_service.hpp"

namespace hotline::store::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hotline-store-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
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

#define HL_STORE_BACKENDS hotline::store::testing::MemoryBackend, hotline::store::testing::SqliteBackend

}  // namespace hotline::store::testing
