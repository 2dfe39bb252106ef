// First-contact resolution on a host with a store: when a call's wrap-up
// ends, the runtime reads the call's tickets on its worker and counts the
// verdict in the statistics hl_engine_stats reports. A real SQLite file and
// a real libuv loop.
#include <doctest/doctest.h>

#include <uv.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "hotline/runtime/runtime.hpp"
#include "hotline/runtime/store_opening.hpp"

using namespace hotline;
using engine::Command;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "queues": [{"id": "sales", "wrap_up_seconds": 5}, {"id": "billing"}],
  "agents": [{"id": "sam", "queues": ["sales"]}]})";

const store::Actor kAgent{"sam", store::Role::kAgent};

struct Rig {
  char dir[40] = "/tmp/hotline-fcr-XXXXXX";
  std::string path;
  uv_loop_t loop{};
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};
  std::shared_ptr<store::TicketService> tickets;
  std::shared_ptr<std::mutex> storage_lock = std::make_shared<std::mutex>();
  std::vector<runtime::HostError> errors;
  TimeMs next_call_at = 10'000;
  std::int64_t calls_answered = 0;  // by sam, one per call_until

  struct Errors : runtime::NotificationSink {
    std::vector<runtime::HostError>* out = nullptr;
    void notification(const engine::Notification&) override {}
    void host_error(const runtime::HostError& e) override { out->push_back(e); }
  } sink;

  Rig() {
    REQUIRE(mkdtemp(dir) != nullptr);
    path = std::string(dir) + "/calls.db";
    REQUIRE(uv_loop_init(&loop) == 0);
    REQUIRE(engine.load_config(json::parse(kConfig), 0).ok());
    auto opened = runtime::open_store(json{{"backend", "sqlite"}, {"path", path}});
    REQUIRE(opened.ok());
    tickets = runtime::make_ticket_service(std::move(opened->storage), std::move(opened->config));
    sink.out = &errors;
    driver.use_sink(&sink);
  }

  ~Rig() {
    tickets.reset();
    uv_loop_close(&loop);
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    rmdir(dir);
  }

  // A customer written through a connection of its own, as a host's CRM would.
  store::CustomerId customer(const std::string& name) {
    auto opened = runtime::open_store(json{{"backend", "sqlite"}, {"path", path}});
    REQUIRE(opened.ok());
    store::Customer c;
    c.name = name;
    REQUIRE(opened->storage->customers().insert(c).ok());
    return c.id;
  }

  store::Ticket ticket(const std::string& call, store::CustomerId customer,
                       const std::string& category) {
    store::NewTicket n;
    n.subject = "issue of " + call;
    n.contact_id = call;
    n.customer = customer;
    n.category = category;
    auto t = tickets->create(kAgent, n);
    REQUIRE(t.ok());
    return *t;
  }

  void resolve(const store::Ticket& t) {
    REQUIRE(tickets->set_status(kAgent, t.id, store::TicketStatus::kResolved).ok());
  }

  json sales() { return driver.statistics(engine.now())["queues"]["sales"]; }

  // sam takes `call` in sales and hangs up; the wrap-up ends 5 s later on
  // the runtime's timer. The loop runs until sam is free again and the sales
  // queue has judged `issues` calls with tickets, at most 10 s.
  void call_until(const std::string& call, std::int64_t issues) {
    const TimeMs at = next_call_at;
    const std::int64_t answered = ++calls_answered;
    next_call_at += 100'000;
    auto reservation = std::make_shared<std::uint64_t>(0);
    const std::vector<runtime::Runtime::Event> events = {
        [at](engine::Engine& e, TimeMs) -> Status {
          if (e.router().agent_snapshot("sam")->state != routing::AgentState::kLoggedOut) {
            return {};
          }
          return e.agent_login("sam", at);
        },
        [call, reservation, at](engine::Engine& e, TimeMs) {
          engine::CallInfo info;
          info.call_id = call;
          info.caller = "+4930123";
          info.queue_id = "sales";
          Status st = e.call_arrived(info, at + 1000);
          for (const Command& c : e.commands()) {
            if (c.kind == Command::Kind::kRingAgent) *reservation = c.reservation;
          }
          return st;
        },
        [reservation, at](engine::Engine& e, TimeMs) {
          return e.agent_answered(*reservation, at + 2000);
        },
        [call, at](engine::Engine& e, TimeMs) { return e.agent_hung_up(call, at + 30'000); },
    };
    {
      // The loop's clock is past the wrap-up's end: its timer fires at once.
      const TimeMs clock = at + 60'000;
      runtime::Runtime rt(engine, &loop, driver, [clock] { return clock; });
      rt.use_tickets(tickets, storage_lock);
      for (const auto& e : events) rt.post(e);
      auto done = [&] {
        // sam answered this call and its wrap-up is over: not the state
        // sam was in before the call's events ran.
        const auto sam = engine.router().agent_snapshot("sam");
        return sales()["issue_contacts"] == issues && sam->answered == answered &&
               sam->state == routing::AgentState::kAvailable;
      };
      for (int i = 0; i < 2000 && !done(); ++i) {
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(5000);
      }
      CHECK(sales()["issue_contacts"] == issues);
      CHECK(engine.router().agent_snapshot("sam")->state == routing::AgentState::kAvailable);
    }
    uv_run(&loop, UV_RUN_DEFAULT);  // lets libuv close the runtime's handles
  }

  std::string error_text() const {
    std::string out;
    for (const auto& e : errors) out += e.what + ": " + e.error.message + "\n";
    return out;
  }
};

}  // namespace

TEST_CASE("a call whose ticket is resolved when its wrap-up ends is a first-contact resolution") {
  Rig rig;
  const store::CustomerId ada = rig.customer("Ada");
  rig.resolve(rig.ticket("c1", ada, "complaint"));
  rig.call_until("c1", 1);
  CHECK(rig.error_text().empty());
  const json sales = rig.sales();
  CHECK(sales["resolutions"] == 1);
  CHECK(sales["first_contact_resolution"] == 1.0);
  CHECK(rig.driver.statistics(rig.engine.now())["queues"]["billing"]["resolutions"] == 0);
}

TEST_CASE("a second call from the same customer on the same issue is not a first contact") {
  Rig rig;
  const store::CustomerId ada = rig.customer("Ada");
  rig.resolve(rig.ticket("c1", ada, "complaint"));
  rig.call_until("c1", 1);
  // Ada calls again about the same complaint: a repeat contact.
  rig.resolve(rig.ticket("c2", ada, "complaint"));
  rig.call_until("c2", 2);
  CHECK(rig.error_text().empty());
  const json sales = rig.sales();
  CHECK(sales["resolutions"] == 2);
  CHECK(sales["first_contact_resolution"] == 0.5);
}

TEST_CASE("open, reopened and other customers' tickets are judged each on their own") {
  Rig rig;
  const store::CustomerId ada = rig.customer("Ada");
  const store::CustomerId bob = rig.customer("Bob");
  // Still open when the wrap-up ends: an issue not resolved, so it counts
  // against first-contact resolution.
  rig.ticket("c1", ada, "technical");
  // Another customer's ticket of the same category is not a repeat of Ada's.
  rig.resolve(rig.ticket("c2", bob, "technical"));
  rig.call_until("c1", 1);
  CHECK(rig.sales()["resolutions"] == 0);
  CHECK(rig.sales()["first_contact_resolution"] == 0.0);
  rig.call_until("c2", 2);
  CHECK(rig.sales()["resolutions"] == 1);
  CHECK(rig.sales()["first_contact_resolution"] == 0.5);
  // Resolved, reopened and resolved again: resolved, but not at first contact.
  const store::Ticket reopened = rig.ticket("c3", bob, "complaint");
  rig.resolve(reopened);
  REQUIRE(rig.tickets->set_status(kAgent, reopened.id, store::TicketStatus::kOpen).ok());
  rig.resolve(reopened);
  // A call without tickets raised no issue to judge: it counts nowhere.
  rig.call_until("c4", 2);
  rig.call_until("c3", 3);
  CHECK(rig.error_text().empty());
  CHECK(rig.sales()["resolutions"] == 2);
  CHECK(rig.sales()["first_contact_resolution"] == doctest::Approx(1.0 / 3));
}
