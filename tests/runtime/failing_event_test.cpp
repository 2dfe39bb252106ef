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

struct Sink : runtime::Outputs {
  int commands = 0;
  int notifications = 0;
  void command(const engine::Command&) override { ++commands; }
  void notification(const engine::Notification&) override { ++notifications; }
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
  TimeMs clock = 1000;
  {
    runtime::Runtime rt(engine, &loop, sink, [&clock] { return clock; });
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

TEST_CASE("an output the sink throws on does not stop the rest of the batch") {
  struct Throwing : runtime::Outputs {
    int notifications = 0;
    void command(const engine::Command&) override {}
    void notification(const engine::Notification&) override {
      if (++notifications == 1) throw std::runtime_error("cannot deliver");
    }
  } sink;
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  engine::Engine engine;
  REQUIRE(engine.load_config(nlohmann::json::parse(R"({"agents": [{"id": "ann"}]})"), 0).ok());
  {
    runtime::Runtime rt(engine, &loop, sink, [] { return TimeMs{5}; });
    int errors = 0;
    rt.on_error([&errors](const Error&) { ++errors; });
    REQUIRE(engine.agent_login("ann", 5).ok());
    const std::size_t produced = engine.notifications().size();
    REQUIRE(produced >= 1);
    rt.flush();
    CHECK(errors == 1);
    CHECK(sink.notifications == static_cast<int>(produced));
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}
