// The screen pop's open tickets through the driver on a real SQLite file: a
// caller resolved to a customer rings an agent with the customer's tickets
// that are not resolved or closed, newest first, at most five; a caller
// the store does not know rings with none; a store that cannot answer is
// reported and the ring still goes out, without the tickets.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/event.hpp"
#include "hotline/metrics/kpi.hpp"
#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/runtime/driver.hpp"
#include "hotline/runtime/open_tickets.hpp"
#include "hotline/runtime/runtime.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/store/customer_service.hpp"
#include "hotline/store/ticket_service.hpp"

using namespace hotline;
using nlohmann::json;

namespace {

constexpr const char* kCaller = "+4930123456";

// A SQLite file in a fresh directory, removed at the end.
struct SqliteFile {
  std::string dir;
  std::string path;
  SqliteFile() {
    char dir_template[] = "/tmp/hotline-pop-XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    dir = dir_template;
    path = dir + "/store.db";
  }
  ~SqliteFile() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    std::remove(dir.c_str());
  }
};

struct Fixture {
  SqliteFile file;
  store::StoreConfig config;
  store::CustomerId customer = 0;
  std::vector<store::Ticket> tickets;  // in the order they were made

  Fixture() {
    auto opened = runtime::open_store(json{{"backend", "sqlite"}, {"path", file.path}});
    REQUIRE(opened.ok());
    config = opened->config;
    store::Storage& storage = *opened->storage;
    const store::Actor sam{"sam", store::Role::kSupervisor};
    store::CustomerService::Options customer_options;
    customer_options.clock = runtime::system_clock_ms;
    auto customers = store::CustomerService::make(storage, customer_options);
    REQUIRE(customers.ok());
    store::NewCustomer c;
    c.name = "Li Wei";
    c.phones = {kCaller};
    auto made = customers->create(sam, c);
    REQUIRE(made.ok());
    customer = made->id;
    store::TicketService::Options ticket_options;
    TimeMs clock = 1'000'000;
    ticket_options.clock = [&clock] { return clock += 1000; };
    store::TicketService service(storage, ticket_options);
    for (int i = 1; i <= 8; ++i) {
      store::NewTicket t;
      t.subject = "issue " + std::to_string(i);
      t.customer = customer;
      if (i == 8) t.priority = store::TicketPriority::kHigh;
      auto ticket = service.create(sam, t);
      REQUIRE(ticket.ok());
      tickets.push_back(*ticket);
    }
    // The newest two are settled: they stay off the phone's screen.
    REQUIRE(service.set_status(sam, tickets[6].id, store::TicketStatus::kResolved).ok());
    REQUIRE(service.set_status(sam, tickets[5].id, store::TicketStatus::kResolved).ok());
    REQUIRE(service.set_status(sam, tickets[5].id, store::TicketStatus::kClosed).ok());
    store::NewTicket other;
    other.subject = "someone else's";
    REQUIRE(service.create(sam, other).ok());
  }
};

struct ErrorLog : runtime::NotificationSink {
  std::vector<runtime::HostError> errors;
  void notification(const engine::Notification&) override {}
  void host_error(const runtime::HostError& e) override { errors.push_back(e); }
};

// Rings agent "a" for a call from `caller`, through a resolver on its own
// connection to the file and a driver amending ring commands with it.
// `customer`, when given, is passed with the arrival (the resolver then
// leaves it as it is).
json ring_args(const Fixture& f, const std::string& caller, ErrorLog* log = nullptr,
               const json& customer = nullptr) {
  auto resolver = runtime::CustomerResolver::open(f.config);
  REQUIRE(resolver.ok());
  REQUIRE(*resolver != nullptr);
  engine::Engine eng;
  metrics::KpiCollector kpi;
  runtime::Driver driver(eng, kpi);
  if (log) driver.use_sink(log);
  runtime::CustomerResolver& r = **resolver;
  driver.use_ring_amender([&r](engine::Command& ring) { return r.add_open_tickets(ring); });
  REQUIRE(eng.load_config(json::parse(R"({"queues": [{"id": "q"}],
                                          "agents": [{"id": "a", "queues": ["q"]}]})"),
                          0)
              .ok());
  REQUIRE(eng.agent_login("a", 0).ok());
  engine::Event arrival;
  arrival.kind = engine::EventKind::kCallArrived;
  arrival.call_id = "c1";
  arrival.caller = caller;
  arrival.queue_id = "q";
  if (!customer.is_null()) {
    auto passed = expr::Attributes::from_json(customer);
    REQUIRE(passed.ok());
    arrival.customer = std::move(*passed);
  }
  REQUIRE(r.resolve(arrival).ok());
  REQUIRE(engine::apply_event(eng, arrival, 1000).ok());
  driver.deliver();
  for (const engine::Command& c : driver.waiting_commands()) {
    if (c.kind == engine::Command::Kind::kRingAgent) return json::parse(c.args_json);
  }
  FAIL("no ring_agent command");
  return {};
}

json expected_ticket(const store::Ticket& t, const char* priority) {
  return json{{"id", t.id},         {"number", t.number},         {"subject", t.subject},
              {"status", "new"},    {"priority", priority},       {"created_at", t.created_at}};
}

}  // namespace

TEST_CASE("a known caller rings the agent with the customer's five newest open tickets") {
  Fixture f;
  const json pop = ring_args(f, kCaller);
  CHECK(pop["customer"]["name"] == "Li Wei");
  const json expected = json::array({expected_ticket(f.tickets[7], "high"),
                                     expected_ticket(f.tickets[4], "normal"),
                                     expected_ticket(f.tickets[3], "normal"),
                                     expected_ticket(f.tickets[2], "normal"),
                                     expected_ticket(f.tickets[1], "normal")});
  CHECK(pop["open_tickets"] == expected);
}

TEST_CASE("a caller the store does not know rings with no open tickets") {
  Fixture f;
  const json pop = ring_args(f, "+4930999999");
  CHECK(pop["customer"] == json::object());
  CHECK(pop["open_tickets"] == json::array());
}

TEST_CASE("open tickets are added only to a ring_agent command with a screen pop") {
  Fixture f;
  auto storage = runtime::open_storage(f.config);
  REQUIRE(storage.ok());
  engine::Command hangup;
  hangup.kind = engine::Command::Kind::kHangup;
  REQUIRE(runtime::add_open_tickets((*storage)->tickets(), hangup).ok());
  CHECK(hangup.args_json.empty());
  engine::Command bare;
  bare.kind = engine::Command::Kind::kRingAgent;
  REQUIRE(runtime::add_open_tickets((*storage)->tickets(), bare).ok());
  CHECK(bare.args_json.empty());
}

TEST_CASE("a store that cannot list tickets is reported and the ring goes out without them") {
  Fixture f;
  // The customer comes with the arrival: resolving would read the tickets too.
  const json customer{{"id", f.customer}, {"name", "Li Wei"}};
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(f.file.path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "ALTER TABLE tickets RENAME TO tickets_gone", nullptr, nullptr,
                     nullptr) == SQLITE_OK);
  sqlite3_close(db);
  ErrorLog log;
  const json pop = ring_args(f, kCaller, &log, customer);
  CHECK(pop["customer"]["name"] == "Li Wei");
  CHECK(pop.count("open_tickets") == 0);
  REQUIRE(log.errors.size() == 1);
  CHECK(log.errors[0].what == "screen_pop");
  CHECK(log.errors[0].call_id == "c1");
}
