// With a store attached, the runtime keeps what the engine reports about a
// call in it, on the thread pool: a post-call survey's score rates the
// call's tickets, and each supervisor's action lands in the audit log. A
// real SQLite file and a real libuv loop.
#include <doctest/doctest.h>

#include <uv.h>

#include <cstdio>
#include <functional>
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
  "flows": [{"id": "survey", "start": "ask", "nodes": {
    "ask": {"type": "collect", "prompts": ["tts:Rate us from 1 to 5"], "max_digits": 1,
            "variable": "score", "next": "bye", "fail": "bye"},
    "bye": {"type": "hangup"}}}],
  "queues": [{"id": "sales", "survey_flow": "survey"}],
  "agents": [{"id": "sam", "queues": ["sales"]}, {"id": "sue", "role": "supervisor"}]})";

const store::Actor kAgent{"sam", store::Role::kAgent};

struct Rig {
  char dir[40] = "/tmp/hotline-store-keeps-XXXXXX";
  std::string path;
  uv_loop_t loop{};
  engine::Engine engine;
  metrics::KpiCollector kpi;
  runtime::Driver driver{engine, kpi};
  std::shared_ptr<store::TicketService> tickets;
  // The runtime's worker writes under this lock; the test reads under it too
  // while the runtime lives, as a host sharing the store would.
  std::shared_ptr<std::mutex> storage_lock = std::make_shared<std::mutex>();
  std::vector<runtime::HostError> errors;

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

  store::Ticket ticket_of_call(const std::string& call, const std::string& subject) {
    store::NewTicket n;
    n.subject = subject;
    n.contact_id = call;
    auto t = tickets->create(kAgent, n);
    REQUIRE(t.ok());
    return *t;
  }

  // Runs `events` on a runtime over the store, then the loop until `done`
  // (the writes run one at a time, in order, on the thread pool; the ones
  // still queued when the runtime goes are finished as it goes), at most 10 s.
  void run(const std::vector<runtime::Runtime::Event>& events,
           const std::function<bool()>& done) {
    {
      runtime::Runtime rt(engine, &loop, driver, [] { return TimeMs{1'000'000}; });
      rt.use_tickets(tickets, storage_lock);
      for (const auto& e : events) rt.post(e);
      auto done_now = [&] {
        std::lock_guard<std::mutex> hold(*storage_lock);
        return done();
      };
      for (int i = 0; i < 2000 && !done_now(); ++i) {
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(5000);
      }
      CHECK(done_now());
    }
    uv_run(&loop, UV_RUN_DEFAULT);  // lets libuv close the runtime's handles
  }

  // sam takes call `call` in sales and hangs up; the caller keys `digit`.
  std::vector<runtime::Runtime::Event> surveyed_call(const std::string& call, char digit) {
    auto reservation = std::make_shared<std::uint64_t>(0);
    return {
        [](engine::Engine& e, TimeMs) -> Status {
          if (e.router().agent_snapshot("sam")->state != routing::AgentState::kLoggedOut) {
            return {};
          }
          return e.agent_login("sam", 1000);
        },
        [call, reservation](engine::Engine& e, TimeMs) {
          engine::CallInfo info;
          info.call_id = call;
          info.caller = "+4930123";
          info.queue_id = "sales";
          Status st = e.call_arrived(info, 2000);
          for (const Command& c : e.commands()) {
            if (c.kind == Command::Kind::kRingAgent) *reservation = c.reservation;
          }
          return st;
        },
        [reservation](engine::Engine& e, TimeMs) { return e.agent_answered(*reservation, 3000); },
        [call](engine::Engine& e, TimeMs) { return e.agent_hung_up(call, 60'000); },
        [call](engine::Engine& e, TimeMs) { return e.prompt_done(call, 61'000); },
        [call, digit](engine::Engine& e, TimeMs) { return e.digit(call, digit, 62'000); },
    };
  }

  // The host errors reported, one a line ("what: message"), to compare whole.
  std::string error_text() const {
    std::string out;
    for (const auto& e : errors) out += e.what + ": " + e.error.message + "\n";
    return out;
  }

  std::vector<store::AuditRecord> audit_by(const std::string& actor) {
    // Read through a second connection to the file: what was committed.
    auto opened = runtime::open_store(json{{"backend", "sqlite"}, {"path", path}});
    REQUIRE(opened.ok());
    store::AuditQuery q;
    q.actor = actor;
    auto records = opened->storage->audit().records(q);
    REQUIRE(records.ok());
    return *records;
  }
};

}  // namespace

TEST_CASE("a survey score rates the call's resolved ticket and notes it on an open one") {
  Rig rig;
  const store::Ticket resolved = rig.ticket_of_call("c1", "refund");
  REQUIRE(rig.tickets->set_status(kAgent, resolved.id, store::TicketStatus::kResolved).ok());
  const store::Ticket open = rig.ticket_of_call("c1", "address change");
  const store::Ticket other = rig.ticket_of_call("c9", "another call");
  REQUIRE(rig.tickets->set_status(kAgent, other.id, store::TicketStatus::kResolved).ok());

  rig.run(rig.surveyed_call("c1", '2'), [&] { return rig.tickets->get(resolved.id)->satisfaction != 0; });
  CHECK(rig.error_text().empty());

  auto rated = rig.tickets->get(resolved.id);
  REQUIRE(rated.ok());
  CHECK(rated->satisfaction == 2);
  // A low score opens a recovery follow-up on the rated ticket.
  store::FollowUpQuery fq;
  fq.ticket = resolved.id;
  auto follow_ups = rig.tickets->follow_ups(fq);
  REQUIRE(follow_ups.ok());
  REQUIRE(follow_ups->size() == 1);
  CHECK((*follow_ups)[0].kind == store::FollowUpKind::kRecovery);

  auto still_open = rig.tickets->get(open.id);
  REQUIRE(still_open.ok());
  CHECK(still_open->satisfaction == 0);
  auto notes = rig.tickets->notes(open.id);
  REQUIRE(notes.ok());
  REQUIRE(notes->size() == 1);
  CHECK((*notes)[0].body == "post-call survey score: 2 of 5");

  auto untouched = rig.tickets->get(other.id);
  REQUIRE(untouched.ok());
  CHECK(untouched->satisfaction == 0);
}

TEST_CASE("a survey for a call without tickets, or not rated, writes nothing and reports nothing") {
  Rig rig;
  const store::Ticket other = rig.ticket_of_call("c9", "another call");
  REQUIRE(rig.tickets->set_status(kAgent, other.id, store::TicketStatus::kResolved).ok());
  auto events = rig.surveyed_call("c1", '5');
  const auto second = rig.surveyed_call("c2", '#');
  events.insert(events.end(), second.begin() + 1, second.end());
  // Written after the scores, in order: once it is there, they are done.
  events.push_back([](engine::Engine& e, TimeMs) { return e.force_logout("sam", "sue", 70'000); });
  rig.run(events, [&] { return rig.audit_by("sue").size() == 1; });
  CHECK(rig.error_text().empty());
  auto untouched = rig.tickets->get(other.id);
  REQUIRE(untouched.ok());
  CHECK(untouched->satisfaction == 0);
}

TEST_CASE("a wrap-up code is noted on the call's tickets that are not closed, as the agent's") {
  Rig rig;
  const store::Ticket open = rig.ticket_of_call("c1", "refund");
  const store::Ticket closed = rig.ticket_of_call("c1", "old issue");
  REQUIRE(rig.tickets->set_status(kAgent, closed.id, store::TicketStatus::kResolved).ok());
  REQUIRE(rig.tickets->set_status(kAgent, closed.id, store::TicketStatus::kClosed).ok());
  const store::Ticket other = rig.ticket_of_call("c9", "another call");
  auto events = rig.surveyed_call("c1", '4');
  // The agent gives the code before hanging up (sales has no wrap-up time).
  events.insert(events.begin() + 3, [](engine::Engine& e, TimeMs) {
    return e.wrap_up_code("c1", "refund-issued", 59'000);
  });
  auto noted = [&](store::TicketId id) {
    auto notes = rig.tickets->notes(id);
    REQUIRE(notes.ok());
    std::vector<std::string> bodies;
    for (const auto& note : *notes) bodies.push_back(note.body);
    return bodies;
  };
  rig.run(events, [&] { return noted(open.id).size() == 2; });
  CHECK_MESSAGE(rig.error_text().empty(), rig.error_text());
  const std::vector<std::string> expected = {"disposition: refund-issued",
                                             "post-call survey score: 4 of 5"};
  CHECK(noted(open.id) == expected);
  auto notes = rig.tickets->notes(open.id);
  REQUIRE(notes.ok());
  CHECK((*notes)[0].author == "sam");
  CHECK((*notes)[0].internal);
  CHECK(noted(closed.id).empty());
  CHECK(noted(other.id).empty());
}

TEST_CASE("whisper and force_release are in the audit log with the supervisor, time and call") {
  Rig rig;
  auto events = rig.surveyed_call("c1", '5');
  events.resize(3);  // sam is talking with the caller
  events.push_back([](engine::Engine& e, TimeMs) {
    return e.supervise("c1", "sue", "whisper", "", 10'000);
  });
  events.push_back([](engine::Engine& e, TimeMs) { return e.force_release("c1", "sue", 20'000); });
  rig.run(events, [&] { return rig.audit_by("sue").size() == 2; });
  CHECK(rig.error_text().empty());

  const auto records = rig.audit_by("sue");  // most recent first
  REQUIRE(records.size() == 2);
  CHECK(records[0].action == "force_release");
  CHECK(records[0].at == 20'000);
  CHECK(records[0].entity == "call");
  CHECK(records[0].role == "supervisor");
  CHECK(records[0].detail == "call c1 agent sam");
  CHECK(records[1].action == "whisper");
  CHECK(records[1].at == 10'000);
  CHECK(records[1].detail == "call c1 agent sam");
}
