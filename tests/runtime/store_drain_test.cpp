// A runtime that stops finishes the store writes still queued (here the
// audit records of supervisor actions) within the engine's
// store_drain_seconds, and reports those it had to drop. A real SQLite file
// and a real libuv loop; the file is read again through a new connection.
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
using nlohmann::json;

namespace {

struct Rig {
  char dir[40] = "/tmp/hotline-drain-XXXXXX";
  std::string path;
  uv_loop_t loop{};
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};
  std::shared_ptr<store::TicketService> tickets;
  std::vector<runtime::HostError> errors;

  struct Errors : runtime::NotificationSink {
    std::vector<runtime::HostError>* out = nullptr;
    void notification(const engine::Notification&) override {}
    void host_error(const runtime::HostError& e) override { out->push_back(e); }
  } sink;

  explicit Rig(const json& options) {
    REQUIRE(mkdtemp(dir) != nullptr);
    path = std::string(dir) + "/calls.db";
    REQUIRE(uv_loop_init(&loop) == 0);
    json config = json::parse(R"({
      "queues": [{"id": "sales"}],
      "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "sue", "role": "supervisor"}]})");
    config["options"] = options;
    REQUIRE(engine.load_config(config, 0).ok());
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

  // On the loop's thread, sue logs sam out `n` times (each an audit
  // record to write), then the runtime is destroyed at once: one write is
  // on the pool, the others still queued.
  void audit_then_stop(int n) {
    {
      runtime::Runtime rt(engine, &loop, driver, [] { return TimeMs{1'000'000}; });
      rt.use_tickets(tickets);
      for (int i = 0; i < n; ++i) {
        REQUIRE(engine.agent_login("sam", 1000 + 10 * i).ok());
        REQUIRE(engine.force_logout("sam", "sue", 1005 + 10 * i).ok());
      }
      rt.flush();
    }
    uv_run(&loop, UV_RUN_DEFAULT);  // the pool's write ends; the handles close
  }

  std::size_t audit_records() {
    auto opened = runtime::open_store(json{{"backend", "sqlite"}, {"path", path}});
    REQUIRE(opened.ok());
    store::AuditQuery q;
    q.actor = "sue";
    q.limit = 1000;
    auto records = opened->storage->audit().records(q);
    REQUIRE(records.ok());
    return records->size();
  }
};

}  // namespace

TEST_CASE("store writes queued when the runtime is destroyed are all in the file") {
  Rig rig(json::object());
  rig.audit_then_stop(40);
  CHECK(rig.errors.empty());
  CHECK(rig.audit_records() == 40);
}

TEST_CASE("writes left when store_drain_seconds runs out are dropped and reported") {
  Rig rig(json{{"store_drain_seconds", 0}});
  rig.audit_then_stop(10);
  // No time to drain: the write already on the pool finishes, the nine
  // queued behind it are reported.
  REQUIRE(rig.errors.size() == 1);
  CHECK(rig.errors[0].what == "store");
  CHECK(rig.errors[0].error.message ==
        "9 store writes dropped: not done within the engine's store_drain_seconds as the "
        "runtime stopped");
  CHECK(rig.audit_records() == 1);
}
