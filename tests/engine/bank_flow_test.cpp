// The bank hotline flow (examples/flows/bank.json) driven end to end through
// the real routing engine, with the test playing telephony and the host.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/engine/kpi_feed.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;
using CK = Command::Kind;

namespace {

json bank_config() {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  std::ifstream in(std::string(dir) + "/examples/flows/bank.json");
  REQUIRE(in);
  json flow = json::parse(in);
  return json{
      {"calendars", json::parse(R"({"bank-hours": {"time_zone": "Asia/Jerusalem", "weekly": {
          "sun": [["08:00", "18:00"]], "mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]],
          "wed": [["08:00", "18:00"]], "thu": [["08:00", "18:00"]]}}})")},
      {"flows", json::array({flow})},
      {"queues",
       json::array({json{{"id", "retail"}, {"max_wait_seconds", 60}, {"offer_timeout_seconds", 20}},
                    json{{"id", "vip"}, {"priority", 5}}})},
      {"agents", json::array({json{{"id", "dana"}, {"queues", {"retail"}}},
                              json{{"id", "vera"}, {"queues", {"vip", "retail"}}}})}};
}

// Monday 2026-01-12, 10:00 in Jerusalem (UTC+2).
constexpr TimeMs kMondayMorning = 1'768'204'800'000;

struct Harness {
  Engine engine;
  TimeMs now = kMondayMorning;
  std::vector<Command> seen;
  metrics::KpiCollector kpi;
  KpiFeed feed{kpi, engine.router()};

  Harness() {
    auto st = engine.load_config(bank_config(), now);
    INFO((st.ok() ? std::string() : st.error().message));
    REQUIRE(st.ok());
  }

  std::vector<Command> take() {
    std::vector<Command> out;
    out.swap(engine.commands());
    seen.insert(seen.end(), out.begin(), out.end());
    for (const Notification& n : engine.notifications()) feed.on(n);
    engine.notifications().clear();
    return out;
  }
  static const Command* find(const std::vector<Command>& cs, CK kind) {
    for (const auto& c : cs) {
      if (c.kind == kind) return &c;
    }
    return nullptr;
  }
  Command expect(CK kind) {
    auto cs = take();
    const Command* c = find(cs, kind);
    INFO("expected " << command_kind_name(kind));
    REQUIRE(c);
    return *c;
  }
  void arrive(const std::string& id, expr::Attributes customer = {}) {
    CallInfo info;
    info.call_id = id;
    info.caller = "+9723555" + id;
    info.dialled = "1800";
    info.flow_id = "bank";
    info.attributes = std::move(customer);
    REQUIRE(engine.call_arrived(std::move(info), now).ok());
  }
  void done(const std::string& id) { REQUIRE(engine.prompt_done(id, now).ok()); }
  void press(const std::string& id, const std::string& keys) {
    for (char k : keys) REQUIRE(engine.digit(id, k, now).ok());
  }
  void pass(DurationMs ms) {
    now += ms;
    engine.advance(now);
  }
};

}  // namespace

TEST_CASE("balance self-service, then an adviser, then wrap-up") {
  Harness h;
  REQUIRE(h.engine.agent_login("dana", h.now).ok());
  h.arrive("c1");
  auto first = h.take();
  REQUIRE(Harness::find(first, CK::kAnswer));
  CHECK(Harness::find(first, CK::kPlay)->prompts[0].value == "audio/welcome.wav");
  h.done("c1");                       // welcome played
  h.done("c1");                       // language prompt played
  h.press("c1", "1");                 // English
  h.done("c1");                       // main menu played
  h.press("c1", "1");                 // balance
  h.done("c1");                       // "enter your account number"
  h.press("c1", "12345678#");
  Command lookup = h.expect(CK::kLookup);
  CHECK(lookup.function == "account_balance");
  CHECK(json::parse(lookup.args_json)["account"] == "12345678");
  REQUIRE(h.engine.host_result(lookup.request_id, true, json{{"amount", 1520}, {"currency", "ILS"}},
                               h.now).ok());
  Command said = h.expect(CK::kPlay);
  CHECK(said.prompts[0].value == "Your balance is 1520 ILS.");
  h.done("c1");                       // back to the main menu
  h.done("c1");
  h.press("c1", "2");                 // an adviser
  auto queued = h.take();
  const Command* ring = Harness::find(queued, CK::kRingAgent);
  REQUIRE(ring);
  CHECK(ring->agent_id == "dana");
  CHECK(ring->call_id == "c1");
  REQUIRE(h.engine.agent_answered(ring->reservation, h.now).ok());
  Command bridge = h.expect(CK::kBridge);
  CHECK(bridge.agent_id == "dana");
  h.pass(180'000);
  REQUIRE(h.engine.agent_hung_up("c1", h.now).ok());
  CHECK(h.expect(CK::kHangup).call_id == "c1");
  auto snap = h.engine.router().agent_snapshot("dana");
  CHECK(snap->answered == 1);
  CHECK(snap->talk_ms_today == 180'000);
  CHECK(h.engine.live_calls() == 0);
}

TEST_CASE("out of hours: voicemail with a ticket") {
  Harness h;
  h.now = kMondayMorning + 10 * 3'600'000;  // 20:00 local
  h.arrive("c2");
  CHECK(h.take().back().prompts[0].value.find("We are closed") == 0);
  h.done("c2");
  h.done("c2");  // the beep
  Command rec = h.expect(CK::kRecord);
  CHECK(rec.max_ms == 120'000);
  REQUIRE(h.engine.recording_done("c2", "vm/c2.wav", h.now).ok());
  Command ticket = h.expect(CK::kCreateTicket);
  json fields = json::parse(ticket.args_json);
  CHECK(fields["subject"] == "Voicemail from +9723555c2");
  CHECK(fields["recording"] == "vm/c2.wav");
  REQUIRE(h.engine.host_result(ticket.request_id, true, json{{"number", "T-2026-000007"}}, h.now).ok());
  h.take();
  h.done("c2");  // goodbye
  CHECK(h.expect(CK::kHangup).call_id == "c2");
  CHECK(h.engine.live_calls() == 0);
}

TEST_CASE("VIP customers go to the priority queue") {
  Harness h;
  REQUIRE(h.engine.agent_login("vera", h.now).ok());
  REQUIRE(h.engine.agent_login("dana", h.now).ok());
  REQUIRE(h.engine.agent_not_ready("dana", "lunch", h.now).ok());
  REQUIRE(h.engine.agent_not_ready("vera", "meeting", h.now).ok());
  expr::Attributes vip;
  vip.set("tier", "vip");
  h.arrive("plain");
  h.done("plain");
  h.done("plain");
  h.press("plain", "2");  // Chinese
  h.done("plain");
  h.press("plain", "2");  // adviser: retail queue, waits
  h.pass(1000);
  h.arrive("gold", vip);
  h.done("gold");
  h.done("gold");
  h.press("gold", "1");   // straight to the VIP queue, no main menu
  h.take();
  REQUIRE(h.engine.agent_ready("vera", h.now).ok());
  const Command ring = h.expect(CK::kRingAgent);
  CHECK(ring.call_id == "gold");  // vip queue has the higher priority
  CHECK(ring.queue_id == "vip");
}

TEST_CASE("after a minute in the queue the caller is offered a callback that keeps the place") {
  Harness h;
  REQUIRE(h.engine.agent_login("dana", h.now).ok());
  REQUIRE(h.engine.agent_not_ready("dana", "training", h.now).ok());
  h.arrive("early");
  h.done("early");
  h.done("early");
  h.press("early", "1");
  h.done("early");
  h.press("early", "2");  // queued at t0
  h.pass(30'000);
  h.arrive("late");
  h.done("late");
  h.done("late");
  h.press("late", "1");
  h.done("late");
  h.press("late", "2");   // queued at t0 + 30 s
  h.take();
  h.pass(30'000);          // "early" has waited 60 s: overflow → callback offer
  Command offer = h.expect(CK::kPlay);
  CHECK(offer.prompts[0].value.find("Press 1 and we will call you back") != std::string::npos);
  h.done("early");
  h.press("early", "1");
  auto cmds = h.take();
  const Command* cb = Harness::find(cmds, CK::kRegisterCallback);
  REQUIRE(cb);
  CHECK(cb->target == "+9723555early");
  h.done("early");  // "we will call you back", then goodbye
  h.done("early");
  CHECK(Harness::find(h.take(), CK::kHangup));
  // The callback keeps the earlier place: it is served before "late".
  REQUIRE(h.engine.agent_ready("dana", h.now).ok());
  const Command ring = h.expect(CK::kRingAgent);
  CHECK(ring.call_id == "callback:early");
  CHECK(ring.target == "+9723555early");
  REQUIRE(h.engine.agent_answered(ring.reservation, h.now).ok());
  CHECK(h.expect(CK::kBridge).target == "+9723555early");
}

TEST_CASE("a caller who hangs up in the queue counts as abandoned") {
  Harness h;
  REQUIRE(h.engine.agent_login("dana", h.now).ok());
  REQUIRE(h.engine.agent_not_ready("dana", "break", h.now).ok());
  h.arrive("c9");
  h.done("c9");
  h.done("c9");
  h.press("c9", "1");
  h.done("c9");
  h.press("c9", "2");
  h.pass(20'000);
  REQUIRE(h.engine.call_hung_up("c9", h.now).ok());
  h.take();
  CHECK(h.kpi.queue_total("retail").abandoned == 1);
  auto q = h.engine.router().queue_snapshot("retail", h.now);
  CHECK(q->waiting == 0);
  CHECK(h.engine.live_calls() == 0);
  CHECK(h.engine.digit("c9", '1', h.now).error().code == Errc::kNotFound);
}
