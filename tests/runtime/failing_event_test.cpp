// The loop never dies of what was posted to it: an event that fails or
// throws is reported through on_error and the next event runs, on a real
// libuv loop.
#include <doctest/doctest.h>

#include <uv.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/runtime/runtime.hpp"

using namespace hotline;

namespace {

struct Sink : runtime::NotificationSink {
  int notifications = 0;
  void notification(const engine::Notification&) override { ++notifications; }
  void host_error(const runtime::HostError&) override {}
};

}  // namespace

TEST_CASE("a failing or throwing event is reported and the loop goes on") {
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  engine::Engine engine;
  REQUIRE(engine
              .load_config(nlohmann::json::parse(
                               R"({"queues": [{"id": "q"}], "agents": [{"id": "ann"}]})"),
                           0)
              .ok());
  Sink sink;
  metrics::KpiCollector kpi;
  runtime::Driver driver(engine, kpi);
  driver.use_sink(&sink);
  TimeMs clock = 1000;
  {
    runtime::Runtime rt(engine, &loop, driver, [&clock] { return clock; });
    std::vector<std::string> errors;
    rt.on_error([&errors](const Error& e) { errors.push_back(e.message); });
    rt.post([](engine::Engine& e, TimeMs now) { return e.agent_login("ghost", now); });
    rt.post([](engine::Engine&, TimeMs) -> Status { throw std::runtime_error("boom"); });
    rt.post([](engine::Engine&, TimeMs) -> Status { throw 42; });
    bool ran_after = false;
    rt.post([&](engine::Engine& e, TimeMs now) {
      ran_after = true;
      return e.agent_login("ann", now);
    });
    rt.stop();
    uv_run(&loop, UV_RUN_DEFAULT);
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == "unknown agent 'ghost'");
    CHECK(errors[1] == "internal error: boom");
    CHECK(errors[2] == "internal error");
    CHECK(ran_after);
    CHECK(sink.notifications > 0);  // ann's login reached the sink
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // lets libuv close the runtime's handles
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("an output the sink throws on is reported and the rest of the batch still goes out") {
  struct Throwing : runtime::NotificationSink {
    int notifications = 0;
    std::vector<runtime::HostError> errors;
    void notification(const engine::Notification&) override {
      if (++notifications == 1) throw std::runtime_error("cannot deliver");
    }
    void host_error(const runtime::HostError& e) override { errors.push_back(e); }
  } sink;
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  engine::Engine engine;
  REQUIRE(engine.load_config(nlohmann::json::parse(R"({"agents": [{"id": "ann"}]})"), 0).ok());
  metrics::KpiCollector kpi;
  runtime::Driver driver(engine, kpi);
  driver.use_sink(&sink);
  {
    runtime::Runtime rt(engine, &loop, driver, [] { return TimeMs{5}; });
    REQUIRE(engine.agent_login("ann", 5).ok());
    const std::size_t produced = engine.notifications().size();
    REQUIRE(produced >= 1);
    rt.flush();
    REQUIRE(sink.errors.size() == 1);
    CHECK(sink.errors[0].what == "notification");
    CHECK(sink.errors[0].error.message == "internal error: cannot deliver");
    CHECK(sink.errors[0].time == 5);  // the loop's clock
    CHECK(sink.notifications == static_cast<int>(produced));
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("a refused event's host error names its call and its kind, so a host knows what failed") {
  struct Collecting : runtime::NotificationSink {
    std::vector<runtime::HostError> errors;
    void notification(const engine::Notification&) override {}
    void host_error(const runtime::HostError& e) override { errors.push_back(e); }
  } sink;
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  engine::Engine engine;
  REQUIRE(engine.load_config(nlohmann::json::parse(R"({"queues": [{"id": "q"}]})"), 0).ok());
  metrics::KpiCollector kpi;
  runtime::Driver driver(engine, kpi);
  driver.use_sink(&sink);
  {
    runtime::Runtime rt(engine, &loop, driver, [] { return TimeMs{5}; });
    rt.post([](engine::Engine& e, TimeMs now) { return e.hold("c9", now); }, "c9", "hold");
    rt.post([](engine::Engine& e, TimeMs now) { return e.agent_login("ghost", now); });
    rt.stop();
    uv_run(&loop, UV_RUN_DEFAULT);
    REQUIRE(sink.errors.size() == 2);
    CHECK(sink.errors[0].what == "post");
    CHECK(sink.errors[0].call_id == "c9");
    CHECK(sink.errors[0].event == "hold");
    CHECK(sink.errors[1].what == "post");
    CHECK(sink.errors[1].call_id.empty());
    CHECK(sink.errors[1].event.empty());  // posted without a kind: none is made up
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}
