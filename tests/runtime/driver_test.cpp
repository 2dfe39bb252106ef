// The host driver on a real engine: the order outputs go out in, the safe
// path for each kind of command the host could not carry out, callbacks
// that call the engine, a failing output among others, commands no
// telephony takes, and the statistics with each queue's own service-level
// threshold.
#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/runtime/driver.hpp"
#include "hotline/runtime/safe_path.hpp"

using namespace hotline;
using engine::Command;
using engine::Notification;
using nlohmann::json;

namespace {

const char* kConfig = R"({
  "queues": [{"id": "sales", "wrap_up_seconds": 0}],
  "agents": [{"id": "ann", "queues": ["sales"]}, {"id": "bob", "queues": ["sales"]}],
  "flows": [
    {"id": "greet", "start": "hello", "nodes": {
      "hello": {"type": "play", "prompts": ["tts:Hello"], "next": "q"},
      "q": {"type": "queue", "queue": "sales"}}},
    {"id": "balance", "start": "l", "nodes": {
      "l": {"type": "lookup", "function": "balance", "variable": "v", "next": "ok",
            "error": "sorry"},
      "ok": {"type": "play", "prompts": ["tts:Found"], "next": "bye"},
      "sorry": {"type": "play", "prompts": ["tts:Sorry"], "next": "bye"},
      "bye": {"type": "hangup"}}}]})";

// Everything the driver hands on, in order, as "kind:detail" lines.
struct Log {
  std::vector<std::string> lines;
  bool has(const std::string& line) const {
    for (const auto& l : lines) {
      if (l == line) return true;
    }
    return false;
  }
  std::size_t index(const std::string& line) const {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] == line) return i;
    }
    return lines.size();
  }
};

// A telephony that records every call, fails the kinds in `failing` and
// runs `on_call` (which may call the engine) from inside each call.
struct ScriptedTelephony : runtime::Telephony {
  explicit ScriptedTelephony(Log& log) : log(log) {}
  Log& log;
  std::set<Command::Kind> failing;
  std::set<Command::Kind> unsupported;
  std::function<void(const Command&)> on_call;

  bool supports(Command::Kind kind) const override { return unsupported.count(kind) == 0; }
  Status run(const Command& c) {
    log.lines.push_back(std::string("command:") + engine::command_kind_name(c.kind) + ":" +
                        c.call_id);
    if (on_call) on_call(c);
    if (failing.count(c.kind)) return make_error(Errc::kUser, "the switch said no");
    return {};
  }
  Status answer(const Command& c) override { return run(c); }
  Status play(const Command& c) override { return run(c); }
  Status stop_playback(const Command& c) override { return run(c); }
  Status collect_digits(const Command& c) override { return run(c); }
  Status record(const Command& c) override { return run(c); }
  Status transfer(const Command& c) override { return run(c); }
  Status hangup(const Command& c) override { return run(c); }
  Status ring_agent(const Command& c) override { return run(c); }
  Status stop_ringing(const Command& c) override { return run(c); }
  Status bridge(const Command& c) override { return run(c); }
  Status lookup(const Command& c) override { return run(c); }
  Status create_ticket(const Command& c) override { return run(c); }
  Status register_callback(const Command& c) override { return run(c); }
  Status hold(const Command& c) override { return run(c); }
  Status resume(const Command& c) override { return run(c); }
  Status dial(const Command& c) override { return run(c); }
  Status hangup_leg(const Command& c) override { return run(c); }
  Status mix(const Command& c) override { return run(c); }
  Status record_control(const Command& c) override { return run(c); }
};

struct RecordingSink : runtime::NotificationSink {
  explicit RecordingSink(Log& log) : log(log) {}
  Log& log;
  std::vector<runtime::HostError> errors;
  std::function<void(const Notification&)> on_notification;
  void notification(const Notification& n) override {
    if (n.kind == Notification::Kind::kRouting) {
      log.lines.push_back(std::string("routing:") + routing::output_kind_name(n.routing) + ":" +
                          n.agent_id);
    } else if (n.kind == Notification::Kind::kCallEnded) {
      log.lines.push_back("call_ended:" + n.call_id);
    } else if (n.kind == Notification::Kind::kCallStarted) {
      log.lines.push_back("call_started:" + n.call_id);
    }
    if (on_notification) on_notification(n);
  }
  void host_error(const runtime::HostError& e) override {
    log.lines.push_back("host_error:" + e.what + ":" + e.call_id);
    errors.push_back(e);
  }
};

Command command_of(Command::Kind kind) {
  Command c{};
  c.kind = kind;
  return c;
}

struct Rig {
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};
  Log log;
  ScriptedTelephony telephony{log};
  RecordingSink sink{log};

  explicit Rig(const char* config = kConfig) {
    REQUIRE(engine.load_config(json::parse(config), 0).ok());
    driver.use_telephony(&telephony);
    driver.use_sink(&sink);
    driver.deliver();
    log.lines.clear();
  }
  void arrive(const std::string& call, const std::string& flow, const std::string& queue,
              TimeMs at) {
    engine::CallInfo info;
    info.call_id = call;
    info.flow_id = flow;
    info.queue_id = queue;
    REQUIRE(engine.call_arrived(std::move(info), at).ok());
    driver.deliver();
  }
  std::uint64_t reservation = 0;  // the latest ring's, when a test records it
};

}  // namespace

TEST_CASE("a round's notifications go out before its commands, each in the engine's order") {
  Rig rig;
  REQUIRE(rig.engine.agent_login("ann", 100).ok());
  rig.arrive("c1", "", "sales", 200);
  const Log& log = rig.log;
  const std::size_t started = log.index("call_started:c1");
  const std::size_t offered = log.index("routing:offer:ann");
  const std::size_t ring = log.index("command:ring_agent:c1");
  REQUIRE(started < log.lines.size());
  REQUIRE(offered < log.lines.size());
  REQUIRE(ring < log.lines.size());
  CHECK(started < offered);
  CHECK(offered < ring);
  // The login's notification came out in the same round as the call's.
  CHECK(log.index("routing:agent_state_changed:ann") < started);
}

TEST_CASE("a failed ring counts as the agent rejecting the offer; the contact goes to the next") {
  Rig rig;
  REQUIRE(rig.engine.agent_login("ann", 0).ok());
  REQUIRE(rig.engine.agent_login("bob", 0).ok());
  rig.driver.deliver();
  std::vector<std::string> rung;
  rig.telephony.on_call = [&](const Command& c) {
    if (c.kind != Command::Kind::kRingAgent) return;
    rung.push_back(c.agent_id);
    // Only the first ring fails.
    rig.telephony.failing.clear();
    if (rung.size() == 1) rig.telephony.failing = {Command::Kind::kRingAgent};
  };
  rig.arrive("c1", "", "sales", 1000);
  REQUIRE(rig.sink.errors.size() == 1);
  CHECK(rig.sink.errors[0].what == "ring_agent");
  CHECK(rig.sink.errors[0].call_id == "c1");
  CHECK(rig.sink.errors[0].error.code == Errc::kUser);
  CHECK(rig.sink.errors[0].error.message == "the switch said no");
  CHECK(rig.sink.errors[0].time == 1000);  // by hand: the engine's own time
  REQUIRE(rung.size() == 2);
  CHECK(rung[0] != rung[1]);
  CHECK(rig.log.has("routing:offer_rejected:" + rung[0]));
  CHECK(rig.engine.live_calls() == 1);
}

TEST_CASE("a failed host request is a failed result: the flow takes its error exit") {
  Rig rig;
  rig.telephony.failing = {Command::Kind::kLookup};
  std::vector<std::string> played;
  rig.telephony.on_call = [&](const Command& c) {
    if (c.kind == Command::Kind::kPlay) played.push_back(c.prompts.at(0).value);
  };
  rig.arrive("c1", "balance", "", 0);
  REQUIRE(rig.sink.errors.size() == 1);
  CHECK(rig.sink.errors[0].what == "lookup");
  CHECK(played == std::vector<std::string>{"Sorry"});
  CHECK(rig.engine.live_calls() == 1);
}

TEST_CASE("a call that can no longer be played to counts as hung up") {
  Rig rig;
  rig.telephony.failing = {Command::Kind::kPlay};
  rig.arrive("c1", "greet", "", 0);
  REQUIRE(rig.sink.errors.size() == 1);
  CHECK(rig.sink.errors[0].what == "play");
  CHECK(rig.log.has("call_ended:c1"));
  CHECK(rig.engine.live_calls() == 0);
  // The error is reported before the hang-up it causes.
  CHECK(rig.log.index("host_error:play:c1") < rig.log.index("call_ended:c1"));
}

TEST_CASE("a failed hangup, stop_playback or stop_ringing changes nothing in the engine") {
  for (auto kind : {Command::Kind::kHangup, Command::Kind::kStopPlayback,
                    Command::Kind::kStopRinging}) {
    engine::Engine engine;
    REQUIRE(engine.load_config(json::parse(kConfig), 0).ok());
    engine::CallInfo info;
    info.call_id = "c1";
    info.queue_id = "sales";
    REQUIRE(engine.call_arrived(info, 0).ok());
    engine.commands().clear();
    engine.notifications().clear();
    Command c = command_of(kind);
    c.call_id = "c1";
    c.time = 10;
    runtime::take_safe_path(engine, c, 10);
    CHECK(engine.notifications().empty());
    CHECK(engine.commands().empty());
    CHECK(engine.live_calls() == 1);
  }
}

TEST_CASE("what a callback causes is delivered after it returns, in the same deliver") {
  Rig rig;
  REQUIRE(rig.engine.agent_login("ann", 0).ok());
  rig.driver.deliver();
  bool inside = false;
  rig.telephony.on_call = [&](const Command& c) {
    if (c.kind != Command::Kind::kRingAgent) return;
    inside = true;
    REQUIRE(rig.engine.agent_answered(c.reservation, c.time + 1000).ok());
    CHECK(rig.driver.in_callback());
    rig.driver.deliver();  // returns at once: the round in progress hands these on
    CHECK(!rig.log.has("command:bridge:c1"));
    inside = false;
  };
  rig.sink.on_notification = [&](const Notification&) { CHECK(!inside); };
  rig.arrive("c1", "", "sales", 0);
  CHECK(rig.log.index("command:ring_agent:c1") < rig.log.index("routing:offer_accepted:ann"));
  CHECK(rig.log.index("routing:offer_accepted:ann") < rig.log.index("command:bridge:c1"));
  CHECK(rig.log.has("command:bridge:c1"));
}

TEST_CASE("an error reported inside a callback is reported right after it returns") {
  Rig rig;
  rig.telephony.on_call = [&](const Command& c) {
    if (c.kind != Command::Kind::kPlay) return;
    rig.driver.report(runtime::HostError{"hl_engine_destroy", "", Error{Errc::kIllegalState, "x"},
                                         rig.driver.now()});
    CHECK(rig.sink.errors.empty());
  };
  rig.arrive("c1", "greet", "", 0);
  REQUIRE(rig.sink.errors.size() == 1);
  CHECK(rig.log.index("command:play:c1") + 1 == rig.log.index("host_error:hl_engine_destroy:"));
}

TEST_CASE("one output that throws is reported and the rest of the batch still goes out") {
  Rig rig;
  REQUIRE(rig.engine.agent_login("ann", 0).ok());
  REQUIRE(rig.engine.agent_login("bob", 0).ok());
  rig.driver.deliver();
  int notes = 0;
  rig.sink.on_notification = [&](const Notification&) {
    if (++notes == 1) throw std::runtime_error("listener failed");
  };
  rig.telephony.on_call = [&](const Command& c) {
    if (c.call_id == "c1") throw std::runtime_error("switch failed");
  };
  engine::CallInfo a;
  a.call_id = "c1";
  a.queue_id = "sales";
  engine::CallInfo b;
  b.call_id = "c2";
  b.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(a, 10).ok());
  REQUIRE(rig.engine.call_arrived(b, 10).ok());
  rig.driver.deliver();
  REQUIRE(rig.sink.errors.size() == 2);
  CHECK(rig.sink.errors[0].what == "notification");
  CHECK(rig.sink.errors[0].error.message == "internal error: listener failed");
  CHECK(rig.sink.errors[1].what == "ring_agent");
  CHECK(rig.sink.errors[1].error.code == Errc::kInternal);
  CHECK(rig.log.has("command:ring_agent:c2"));  // the next command still went out
  CHECK(rig.log.has("call_started:c2"));
}

TEST_CASE("commands the telephony does not support wait to be polled, in order") {
  Rig rig;
  rig.telephony.unsupported = {Command::Kind::kRingAgent};
  REQUIRE(rig.engine.agent_login("ann", 0).ok());
  rig.arrive("c1", "", "sales", 0);
  CHECK(!rig.log.has("command:ring_agent:c1"));
  REQUIRE(rig.driver.waiting_commands().size() == 1);
  CHECK(rig.driver.waiting_commands().front().kind == Command::Kind::kRingAgent);
  CHECK(rig.sink.errors.empty());

  runtime::Driver bare(rig.engine, rig.kpi);  // no telephony at all
  engine::CallInfo b;
  b.call_id = "c2";
  b.queue_id = "sales";
  REQUIRE(rig.engine.call_arrived(b, 5).ok());
  REQUIRE(rig.engine.agent_login("bob", 5).ok());
  bare.deliver();
  REQUIRE(!bare.waiting_commands().empty());
  CHECK(bare.waiting_commands().back().call_id == "c2");
}

TEST_CASE("create_ticket goes to a ticket writer when one is attached") {
  Rig rig;
  struct Writer : runtime::TicketWriter {
    std::vector<std::uint64_t> requests;
    void write_ticket(const Command& c) override { requests.push_back(c.request_id); }
  } writer;
  rig.driver.use_ticket_writer(&writer);
  Command create = command_of(Command::Kind::kCreateTicket);
  create.request_id = 7;
  create.call_id = "c9";
  rig.engine.commands().push_back(create);
  Command lookup = command_of(Command::Kind::kLookup);
  lookup.request_id = 8;
  lookup.call_id = "c9";
  rig.engine.commands().push_back(lookup);
  rig.driver.deliver();
  CHECK(writer.requests == std::vector<std::uint64_t>{7});
  CHECK(!rig.log.has("command:create_ticket:c9"));
  CHECK(rig.log.has("command:lookup:c9"));
}

TEST_CASE("the safe path runs at the loop's clock, or at the command's time by hand") {
  Rig rig;
  rig.telephony.failing = {Command::Kind::kPlay};
  rig.driver.use_clock([] { return TimeMs{77'000}; });
  rig.arrive("c1", "greet", "", 5'000);
  REQUIRE(rig.sink.errors.size() == 1);
  CHECK(rig.sink.errors[0].time == 77'000);
  CHECK(rig.engine.now() == 77'000);  // the hang-up was applied at the loop's time
}

TEST_CASE("the statistics count each queue's service level against its own threshold") {
  // fast: its own 5 s; slow: none of its own, under options.service_level_seconds 30;
  // plain: the default 20 s.
  const char* config = R"({
    "options": {"service_level_seconds": 30},
    "queues": [{"id": "fast", "service_level_seconds": 5}, {"id": "slow"}],
    "agents": [{"id": "ann", "queues": ["fast"]}, {"id": "bob", "queues": ["slow"]}]})";
  Rig rig(config);
  rig.telephony.on_call = [&](const Command& c) {
    if (c.kind == Command::Kind::kRingAgent) rig.reservation = c.reservation;
  };
  // A call to each queue, answered after 10 s (before any agent logs in).
  rig.arrive("c1", "", "fast", 0);
  rig.arrive("c2", "", "slow", 0);
  REQUIRE(rig.engine.agent_login("ann", 10'000).ok());
  rig.driver.deliver();
  REQUIRE(rig.engine.agent_answered(rig.reservation, 10'000).ok());
  REQUIRE(rig.engine.agent_login("bob", 10'000).ok());
  rig.driver.deliver();
  REQUIRE(rig.engine.agent_answered(rig.reservation, 10'000).ok());
  rig.driver.deliver();
  const json stats = rig.driver.statistics(12'000);
  CHECK(stats["time"] == 12'000);
  CHECK(stats["queues"]["fast"]["answered"] == 1);
  CHECK(stats["queues"]["fast"]["service_level"] == 0.0);  // 10 s > 5 s
  CHECK(stats["queues"]["slow"]["answered"] == 1);
  CHECK(stats["queues"]["slow"]["service_level"] == 1.0);  // 10 s <= 30 s
  CHECK(stats["queues"]["fast"]["asa_ms"] == 10'000.0);
  CHECK(stats["agents"]["ann"]["state"] == "busy");
  CHECK(stats["live_calls"] == 2);
}

TEST_CASE("the statistics take options.service_level_seconds for queues without their own") {
  const char* config = R"({
    "options": {"service_level_seconds": 5},
    "queues": [{"id": "q"}],
    "agents": [{"id": "ann", "queues": ["q"]}]})";
  Rig rig(config);
  rig.telephony.on_call = [&](const Command& c) {
    if (c.kind == Command::Kind::kRingAgent) rig.reservation = c.reservation;
  };
  rig.arrive("c1", "", "q", 0);
  REQUIRE(rig.engine.agent_login("ann", 10'000).ok());
  rig.driver.deliver();
  REQUIRE(rig.engine.agent_answered(rig.reservation, 10'000).ok());
  rig.driver.deliver();
  const json stats = rig.driver.statistics(10'000);
  CHECK(stats["queues"]["q"]["answered"] == 1);
  CHECK(stats["queues"]["q"]["service_level"] == 0.0);
  CHECK(rig.driver.latest_fact_time() == 10'000);
}

TEST_CASE("a host that answers every output with another cannot hold deliver forever") {
  Rig rig;
  REQUIRE(rig.engine.agent_login("ann", 0).ok());
  rig.driver.deliver();
  int state_changes = 0;
  bool ready = true;
  rig.sink.on_notification = [&](const Notification& n) {
    if (n.kind != Notification::Kind::kRouting ||
        n.routing != routing::Output::Kind::kAgentStateChanged) {
      return;
    }
    ++state_changes;
    ready = !ready;
    // Every state change asks for another one.
    if (ready) {
      REQUIRE(rig.engine.agent_ready("ann", 1).ok());
    } else {
      REQUIRE(rig.engine.agent_not_ready("ann", "ping", 1).ok());
    }
  };
  REQUIRE(rig.engine.agent_not_ready("ann", "start", 1).ok());
  ready = false;
  rig.driver.deliver();
  CHECK(state_changes == runtime::Driver::kMaxRounds);
  CHECK(!rig.engine.notifications().empty());  // the rest waits for the next deliver
  rig.sink.on_notification = nullptr;
  rig.driver.deliver();
  CHECK(rig.engine.notifications().empty());
}

TEST_CASE("every call-leg command the host could not carry out ends the call") {
  for (auto kind : {Command::Kind::kAnswer, Command::Kind::kPlay, Command::Kind::kCollectDigits,
                    Command::Kind::kRecord, Command::Kind::kBridge, Command::Kind::kTransfer}) {
    CAPTURE(engine::command_kind_name(kind));
    engine::Engine engine;
    REQUIRE(engine.load_config(json::parse(kConfig), 0).ok());
    engine::CallInfo info;
    info.call_id = "c1";
    info.queue_id = "sales";
    REQUIRE(engine.call_arrived(info, 0).ok());
    engine.notifications().clear();
    Command c = command_of(kind);
    c.call_id = "c1";
    runtime::take_safe_path(engine, c, 10);
    CHECK(engine.live_calls() == 0);
    bool ended = false;
    for (const auto& n : engine.notifications()) {
      ended = ended || (n.kind == Notification::Kind::kCallEnded && n.call_id == "c1");
    }
    CHECK(ended);
  }
}

TEST_CASE("a telephony function that throws counts as failed and takes the safe path") {
  Rig rig;
  rig.telephony.on_call = [](const Command& c) {
    if (c.kind == Command::Kind::kPlay) throw std::runtime_error("no media");
  };
  rig.arrive("c1", "greet", "", 0);
  REQUIRE(rig.sink.errors.size() == 1);
  CHECK(rig.sink.errors[0].what == "play");
  CHECK(rig.sink.errors[0].error.message == "internal error: no media");
  CHECK(rig.log.has("call_ended:c1"));
  CHECK(rig.engine.live_calls() == 0);
}
