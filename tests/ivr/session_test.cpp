// Every node type and exit, on a fake telephony and a virtual clock.
#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

TEST_CASE("play waits for the prompt; barge-in stops it and keeps the digit") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "p", "nodes": {
    "p": {"type": "play", "prompts": ["a.wav", "tts:hello ${call.caller}"], "next": "m"},
    "m": {"type": "menu", "prompts": ["menu.wav"], "options": {"1": "one", "2": "two"}, "fail": "bye"},
    "one": {"type": "hangup"}, "two": {"type": "hangup"}, "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  CHECK(call.out.front().kind == K::kAnswer);
  const Directive& play = call.last(K::kPlay);
  REQUIRE(play.prompts.size() == 2);
  CHECK(play.prompts[1].value == "hello +493012345");
  CHECK(play.barge_in);
  call.clear();
  call.digits("2");  // during the welcome: stops it, skips the menu prompt, picks 2
  CHECK(call.out.front().kind == K::kStopPlayback);
  CHECK(call.session.current_node() == "two");
  CHECK(call.session.finished());
  CHECK(call.has(K::kHangup));
}

TEST_CASE("a prompt without barge-in must be heard out") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "p", "nodes": {
    "p": {"type": "play", "prompts": ["legal.wav"], "barge_in": false, "next": "bye"},
    "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  call.digits("5");
  CHECK_FALSE(call.has(K::kStopPlayback));
  CHECK(call.session.current_node() == "p");
  call.prompt_done();
  CHECK(call.session.finished());
}

TEST_CASE("menu: no-input and no-match are counted, each attempt with its own prompt") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "m", "nodes": {
    "m": {"type": "menu", "prompts": ["menu.wav"], "options": {"1": "ok"}, "timeout_seconds": 4,
          "max_attempts": 3,
          "no_input": [["tts:I did not hear you."]],
          "no_match": [["tts:Not an option."], ["tts:Last try."]],
          "fail": "failed"},
    "ok": {"type": "hangup"}, "failed": {"type": "hangup", "prompts": ["tts:bye"]}}})");
  Call call(env, flow);
  call.start();
  call.prompt_done();
  CHECK(call.has(K::kCollect));
  CHECK(call.last(K::kStartTimer).deadline == call.now + 4000);
  call.clear();
  call.wait(4000);  // no input
  CHECK(call.last_text() == "I did not hear you.");
  CHECK(call.last(K::kPlay).prompts[1].value == "menu.wav");
  call.prompt_done();
  call.clear();
  call.digits("7");  // no match 1
  CHECK(call.last_text() == "Not an option.");
  call.prompt_done();
  call.clear();
  call.digits("9");  // no match 2
  CHECK(call.last_text() == "Last try.");
  call.prompt_done();
  call.clear();
  call.digits("1");
  CHECK(call.session.current_node() == "ok");

  SUBCASE("and give up after max attempts") {
    Call again(env, flow);
    again.start();
    again.prompt_done();
    again.digits("7");
    again.prompt_done();
    again.digits("7");
    again.prompt_done();
    again.digits("7");
    CHECK(again.session.current_node() == "failed");
  }
}

TEST_CASE("collect: terminator, length, pattern, validation and inter-digit timeout") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "c", "nodes": {
    "c": {"type": "collect", "prompts": ["pin.wav"], "min_digits": 4, "max_digits": 6,
          "terminator": "#", "timeout_seconds": 5, "inter_digit_seconds": 2,
          "pattern": "[0-9]+", "validate": "input != '0000'", "variable": "pin",
          "max_attempts": 2, "next": "done", "fail": "failed"},
    "done": {"type": "hangup"}, "failed": {"type": "hangup"}}})");
  {
    Call call(env, flow);
    call.start();
    call.prompt_done();
    call.digits("1234#");
    CHECK(call.session.current_node() == "done");
    CHECK(call.var("vars.pin") == "1234");
  }
  {
    Call call(env, flow);
    call.start();
    call.prompt_done();
    call.digits("123456");  // max digits ends input without a terminator
    CHECK(call.var("vars.pin") == "123456");
  }
  {
    Call call(env, flow);
    call.start();
    call.prompt_done();
    call.digits("98765");
    call.wait(2000);  // the caller stopped typing
    CHECK(call.var("vars.pin") == "98765");
  }
  {
    Call call(env, flow);
    call.start();
    call.prompt_done();
    call.digits("12#");  // too short: a no-match
    CHECK(call.session.current_node() == "c");
    call.prompt_done();
    call.digits("0000#");  // fails validation: the second no-match ends it
    CHECK(call.session.current_node() == "failed");
  }
}

TEST_CASE("set and branch read call, customer and flow variables") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "s", "nodes": {
    "s": {"type": "set", "assign": {"lang": "'zh'", "vip": "customer.tier == 'vip'"}, "next": "b"},
    "b": {"type": "branch", "conditions": [
            {"if": "vars.vip AND vars.lang == 'zh'", "next": "vip_zh"},
            {"if": "call.caller CONTAINS '+49'", "next": "germany"}],
          "default": "other"},
    "vip_zh": {"type": "hangup"}, "germany": {"type": "hangup"}, "other": {"type": "hangup"}}})");
  expr::Attributes vip;
  vip.set("tier", "vip");
  Call a(env, flow, &vip);
  a.start();
  CHECK(a.session.current_node() == "vip_zh");
  Call b(env, flow);
  b.start();
  CHECK(b.session.current_node() == "germany");
}

TEST_CASE("the call's facts are in the variables even when the flow never read them") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "p", "nodes": {
    "p": {"type": "play", "prompts": ["hello.wav"], "next": "bye"},
    "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  const expr::Value* caller = call.session.variables().find_path("call.caller");
  REQUIRE(caller != nullptr);
  CHECK(caller->as_string() == "+493012345");
  CHECK(call.session.variables().find_path("call.id")->as_string() == "call-1");
  CHECK(call.session.call_id() == "call-1");
}

TEST_CASE("prompts read the live queue and time variables when they are played") {
  FakeEnv env;
  env.queues["sales"] = QueueStatus{3, 1, 2, 90'000, 0};
  auto flow = load(R"({"id": "f", "start": "p", "queue": "sales", "nodes": {
    "p": {"type": "play", "prompts": ["tts:${queue.waiting} waiting at ${time.hhmm}"], "next": "m"},
    "m": {"type": "menu", "prompts": ["tts:Press 1, ${queue.agents_available} free"],
          "options": {"1": "bye"}, "fail": "bye"},
    "bye": {"type": "hangup", "prompts": ["moh.wav"]}}})");
  Call call(env, flow);
  call.start();
  CHECK(call.last_text() == "3 waiting at 920");
  env.queues["sales"] = QueueStatus{7, 2, 2, 90'000, 0};
  call.now += 60'000;
  call.prompt_done();
  CHECK(call.last_text() == "Press 1, 2 free");
}

TEST_CASE("hours: open, closed and holiday exits on the calendar's clock") {
  FakeEnv env;
  env.calendars.emplace("cal", Calendar::from_json(json::parse(R"({
    "time_zone": "Asia/Shanghai", "weekly": {"mon": [["09:00", "18:00"]]},
    "holidays": ["2026-01-05"]})")).value());
  auto flow = load(R"({"id": "f", "start": "h", "calendar": "cal", "nodes": {
    "h": {"type": "hours", "open": "open", "closed": "closed", "holiday": "holiday"},
    "open": {"type": "hangup"}, "closed": {"type": "hangup"}, "holiday": {"type": "hangup"}}})");
  auto at = [&](TimeMs t) {
    Call c(env, flow);
    c.now = t;
    c.start();
    return std::string(c.session.current_node());
  };
  const TimeMs monday_12_jan_0200_utc = 1'768'183'200'000;  // 10:00 in Shanghai
  CHECK(at(monday_12_jan_0200_utc) == "open");
  CHECK(at(monday_12_jan_0200_utc + 9 * 3'600'000) == "closed");  // 19:00
  CHECK(at(monday_12_jan_0200_utc - 7 * 86'400'000) == "holiday");  // Monday 5 January
}

TEST_CASE("lookup: the host's result lands in variables; errors and timeouts have exits") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "l", "nodes": {
    "l": {"type": "lookup", "function": "balance", "args": {"account": "${call.caller}"},
          "variable": "bal", "timeout_seconds": 3, "next": "say", "error": "err", "timeout": "slow"},
    "say": {"type": "play", "prompts": ["tts:You have ${vars.bal.amount} ${vars.bal.currency}"],
            "next": "bye"},
    "err": {"type": "hangup"}, "slow": {"type": "hangup"}, "bye": {"type": "hangup"}}})");
  Call ok(env, flow);
  ok.start();
  const Directive lookup = ok.last(K::kLookup);
  CHECK(lookup.target == "balance");
  CHECK(lookup.data["account"] == "+493012345");
  ok.session.host_result(lookup.request_id + 99, true, json::object(), ok.now, ok.out);  // stale
  CHECK(ok.session.current_node() == "l");
  ok.session.host_result(lookup.request_id, true, json{{"amount", 1234.5}, {"currency", "EUR"}},
                         ok.now, ok.out);
  CHECK(ok.last_text() == "You have 1234.5 EUR");

  Call bad(env, flow);
  bad.start();
  bad.session.host_result(bad.last(K::kLookup).request_id, false, json(), bad.now, bad.out);
  CHECK(bad.session.current_node() == "err");

  Call slow(env, flow);
  slow.start();
  slow.wait(3000);
  CHECK(slow.session.current_node() == "slow");
  CHECK(slow.has(K::kError));
}

TEST_CASE("queue: enqueue with hold music, announcements, and every exit") {
  FakeEnv env;
  env.queues["sales"] = QueueStatus{3, 0, 2, 90'000, 4};
  auto flow = load(R"({"id": "f", "start": "q", "nodes": {
    "q": {"type": "queue", "queue": "sales", "priority": 5, "skills": {"french": 2},
          "attributes": {"caller": "${call.caller}"}, "hold": ["moh.wav"],
          "announce_every_seconds": 30, "keys": {"1": "cb", "0": "vm"},
          "answered": "survey", "overflow": "offer", "no_agents": "vm"},
    "offer": {"type": "menu", "prompts": ["tts:Press 1 for a callback"], "options": {"1": "cb"},
              "fail": "q"},
    "cb": {"type": "callback", "prompts": ["tts:We will call you"], "next": "bye"},
    "vm": {"type": "record", "variable": "rec", "next": "bye"},
    "survey": {"type": "play", "prompts": ["tts:Thanks"], "next": "bye"},
    "bye": {"type": "hangup"}}})");

  SUBCASE("enqueue, announce, answered, then the answered exit after the agent") {
    Call call(env, flow);
    call.start();
    const Directive enq = call.last(K::kEnqueue);
    CHECK(enq.queue == "sales");
    CHECK(enq.priority == 5);
    CHECK(enq.skills.size() == 1);
    CHECK(enq.data["caller"] == "+493012345");
    CHECK(call.last(K::kPlay).loop);
    CHECK(call.session.queued());
    call.clear();
    call.wait(30'000);
    CHECK(call.last_text() == "You are number 4 in line.");
    CHECK(call.last(K::kPlay).prompts[1].value == "The expected wait is about 2 minutes.");
    call.session.queue_outcome(QueueOutcome::kAnswered, call.now, call.out);
    CHECK_FALSE(call.session.queued());
    call.session.queue_outcome(QueueOutcome::kAgentDone, call.now, call.out);
    CHECK(call.session.current_node() == "survey");
  }
  SUBCASE("a key asks for a callback that keeps the place") {
    Call call(env, flow);
    call.start();
    call.clear();
    call.digits("1");
    CHECK_FALSE(call.has(K::kLeaveQueue));
    const Directive cb = call.last(K::kRegisterCallback);
    CHECK(cb.keep_place);
    CHECK(cb.queue == "sales");
    CHECK(cb.target == "+493012345");
  }
  SUBCASE("overflow goes to its exit; the caller keeps the place in a menu") {
    Call call(env, flow);
    call.start();
    call.clear();
    call.session.queue_outcome(QueueOutcome::kOverflow, call.now, call.out);
    CHECK(call.session.current_node() == "offer");
    CHECK(call.session.queued());
    CHECK_FALSE(call.has(K::kLeaveQueue));
    // An agent frees up while the caller listens to the offer.
    call.session.queue_outcome(QueueOutcome::kAnswered, call.now, call.out);
    CHECK(call.has(K::kStopPlayback));
    CHECK_FALSE(call.session.queued());
  }
  SUBCASE("a key to voicemail gives up the place") {
    Call call(env, flow);
    call.start();
    call.clear();
    call.digits("0");
    CHECK(call.has(K::kLeaveQueue));
    CHECK_FALSE(call.last(K::kLeaveQueue).abandoned);
    CHECK(call.has(K::kRecord));
  }
  SUBCASE("hanging up in the queue is an abandon") {
    Call call(env, flow);
    call.start();
    call.clear();
    call.session.hangup(call.now, call.out);
    CHECK(call.last(K::kLeaveQueue).abandoned);
    CHECK(call.session.finished());
    CHECK_FALSE(call.has(K::kHangup));  // the caller is gone already
  }
  SUBCASE("nobody logged in: the no-agents exit, without queueing") {
    env.queues["sales"].agents_logged_in = 0;
    Call call(env, flow);
    call.start();
    CHECK_FALSE(call.has(K::kEnqueue));
    CHECK(call.session.current_node() == "vm");
  }
}

TEST_CASE("record, ticket, transfer, subflow and return") {
  FakeEnv env;
  REQUIRE(env.flows.put(json::parse(R"({"id": "auth", "start": "pin", "nodes": {
    "pin": {"type": "collect", "min_digits": 4, "max_digits": 4, "variable": "pin",
            "next": "back", "fail": "back"},
    "back": {"type": "return"}}})")).ok());
  auto flow = load(R"({"id": "f", "start": "sub", "nodes": {
    "sub": {"type": "subflow", "flow": "auth", "next": "vm"},
    "vm": {"type": "record", "prompts": ["beep.wav"], "max_seconds": 60, "finish_key": "#",
           "variable": "rec", "ticket": {"subject": "VM ${vars.pin}"}, "next": "tk"},
    "tk": {"type": "ticket", "fields": {"subject": "Follow up", "priority": "high"},
           "variable": "t2", "next": "xfer", "error": "bye"},
    "xfer": {"type": "transfer", "target": "sip:desk@example.org"},
    "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  call.digits("4321");  // in the subflow
  CHECK(call.session.current_node() == "vm");
  call.prompt_done();
  const Directive rec = call.last(K::kRecord);
  CHECK(rec.max_ms == 60'000);
  CHECK(rec.finish_key == '#');
  call.session.recording_done("rec/42.wav", call.now, call.out);
  const Directive t1 = call.last(K::kCreateTicket);
  CHECK(t1.data["subject"] == "VM 4321");
  CHECK(t1.data["recording"] == "rec/42.wav");
  call.session.host_result(t1.request_id, true, json{{"number", "T-2026-000001"}}, call.now, call.out);
  CHECK(call.var("vars.ticket") == "T-2026-000001");
  CHECK(call.var("vars.rec") == "rec/42.wav");
  const Directive t2 = call.last(K::kCreateTicket);
  CHECK(t2.data["priority"] == "high");
  call.session.host_result(t2.request_id, true, json{{"number", "T-2026-000002"}}, call.now, call.out);
  CHECK(call.var("vars.t2") == "T-2026-000002");
  CHECK(call.last(K::kTransfer).target == "sip:desk@example.org");
  CHECK(call.session.finished());
}

TEST_CASE("hanging up at any stage ends the session cleanly") {
  FakeEnv env;
  env.queues["q"] = QueueStatus{0, 1, 1, 0, 1};
  auto flow = load(R"({"id": "f", "start": "p", "nodes": {
    "p": {"type": "play", "prompts": ["a.wav"], "next": "m"},
    "m": {"type": "menu", "prompts": ["m.wav"], "options": {"1": "l"}, "fail": "l"},
    "l": {"type": "lookup", "function": "f", "variable": "v", "next": "q", "error": "q"},
    "q": {"type": "queue", "queue": "q"}}})");
  for (int stage = 0; stage < 5; ++stage) {
    CAPTURE(stage);
    Call call(env, flow);
    call.start();
    if (stage > 0) call.prompt_done();  // menu prompt
    if (stage > 1) call.prompt_done();  // collecting
    if (stage > 2) call.digits("1");    // lookup pending
    if (stage > 3) call.session.host_result(call.last(K::kLookup).request_id, true, json{{"a", 1}},
                                            call.now, call.out);  // queued
    call.clear();
    call.session.hangup(call.now, call.out);
    CHECK(call.session.finished());
    CHECK(call.has(K::kLeaveQueue) == (stage == 4));
    // Events after the end are ignored.
    call.clear();
    call.digits("1");
    call.prompt_done();
    call.wait(10'000);
    CHECK(call.out.empty());
  }
}

TEST_CASE("a replaced flow does not disturb sessions already running") {
  FakeEnv env;
  REQUIRE(env.flows.put(json::parse(R"({"id": "f", "version": "1", "start": "p", "nodes": {
    "p": {"type": "play", "prompts": ["v1.wav"], "next": "bye"}, "bye": {"type": "hangup"}}})")).ok());
  Call old_call(env, env.flows.get("f"));
  old_call.start();
  REQUIRE(env.flows.put(json::parse(R"({"id": "f", "version": "2", "start": "p", "nodes": {
    "p": {"type": "play", "prompts": ["v2.wav"], "next": "bye"}, "bye": {"type": "hangup"}}})")).ok());
  Call new_call(env, env.flows.get("f"));
  new_call.start();
  CHECK(old_call.session.flow().version() == "1");
  CHECK(new_call.session.flow().version() == "2");
  CHECK(new_call.last(K::kPlay).prompts[0].value == "v2.wav");
  old_call.prompt_done();
  CHECK(old_call.session.finished());
  CHECK(env.flows.put(json::parse(R"({"id": "f", "start": "x", "nodes": {}})")).error().code ==
        hotline::Errc::kInvalidArgument);
  CHECK(env.flows.get("f")->version() == "2");  // a bad flow never replaces a good one
}
