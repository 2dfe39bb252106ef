// A key that barges in on a prompt is type-ahead for the next menu or
// collect: taken there once, and never again. It used to survive forever
// when no node took it, so a repeating announcement skipped its prompt on
// every round until the step guard hung the call up, and a key pressed
// before a recording answered the menu after it.
#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

namespace {

std::vector<std::string> played(const Call& call) {
  std::vector<std::string> files;
  for (const auto& d : call.of(K::kPlay)) {
    for (const auto& p : d.prompts) files.push_back(p.value);
  }
  return files;
}

}  // namespace

TEST_CASE("a key typed during a repeating announcement does not spin the call into a hang-up") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["menu.wav"], "options": {"1": "news", "2": "agent"},
             "fail": "bye"},
    "news": {"type": "play", "prompts": ["news.wav"], "next": "news_again"},
    "news_again": {"type": "goto", "next": "news"},
    "agent": {"type": "transfer", "target": "sip:desk"},
    "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  call.prompt_done();
  call.digits("1");
  REQUIRE(call.session.current_node() == "news");
  call.clear();
  call.digits("5");  // no node on the announcement's loop takes a key
  CHECK(call.out.front().kind == K::kStopPlayback);
  CHECK_FALSE(call.has(K::kError));
  CHECK_FALSE(call.has(K::kHangup));
  CHECK_FALSE(call.session.finished());
  CHECK(call.session.current_node() == "news");
  CHECK(played(call) == std::vector<std::string>{"news.wav"});  // the announcement goes on
  call.clear();
  call.prompt_done();
  CHECK(played(call) == std::vector<std::string>{"news.wav"});
}

TEST_CASE("a typed-ahead key goes where it sends the call, and the prompts after it play") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "welcome", "nodes": {
    "welcome": {"type": "play", "prompts": ["welcome.wav"], "next": "notice"},
    "notice": {"type": "play", "prompts": ["notice.wav"], "next": "menu"},
    "menu": {"type": "menu", "prompts": ["menu.wav"], "options": {"1": "sales", "2": "promo"},
             "fail": "bye"},
    "sales": {"type": "play", "prompts": ["sales.wav"], "next": "sales_hours"},
    "sales_hours": {"type": "play", "prompts": ["sales-hours.wav"], "next": "promo"},
    "promo": {"type": "play", "prompts": ["promo.wav"], "next": "promo_again"},
    "promo_again": {"type": "goto", "next": "promo"},
    "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  call.clear();
  call.digits("1");  // during the welcome: skips the notice and the menu prompt, picks 1
  CHECK(call.session.current_node() == "sales");
  CHECK(played(call) == std::vector<std::string>{"sales.wav"});
  call.clear();
  call.prompt_done();
  CHECK(call.session.current_node() == "sales_hours");
  CHECK(played(call) == std::vector<std::string>{"sales-hours.wav"});
  call.clear();
  call.prompt_done();
  CHECK(played(call) == std::vector<std::string>{"promo.wav"});
  call.clear();
  call.prompt_done();  // the announcement repeats
  CHECK(played(call) == std::vector<std::string>{"promo.wav"});
  CHECK_FALSE(call.has(K::kError));
  CHECK_FALSE(call.session.finished());
}

TEST_CASE("a key that stops the prompt before a recording is not the answer to a later menu") {
  FakeEnv env;
  auto flow = load(R"({"id": "f", "start": "vm", "nodes": {
    "vm": {"type": "record", "prompts": ["after-the-tone.wav"], "variable": "msg",
           "next": "thanks"},
    "thanks": {"type": "play", "prompts": ["thanks.wav"], "next": "survey"},
    "survey": {"type": "menu", "prompts": ["survey.wav"], "options": {"1": "one", "2": "two"},
               "fail": "bye"},
    "one": {"type": "hangup"}, "two": {"type": "hangup"}, "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  call.digits("1");  // stops the prompt; recording starts
  REQUIRE(call.has(K::kRecord));
  call.clear();
  call.session.recording_done("rec-1", call.now, call.out);
  CHECK(call.var("vars.msg") == "rec-1");
  CHECK(call.session.current_node() == "thanks");
  CHECK(played(call) == std::vector<std::string>{"thanks.wav"});
  call.clear();
  call.prompt_done();
  CHECK(played(call) == std::vector<std::string>{"survey.wav"});
  call.prompt_done();
  call.digits("2");
  CHECK(call.session.current_node() == "two");
}

TEST_CASE("a key typed before entering a queue does not answer a menu reached from it") {
  FakeEnv env;
  env.queues["q"] = QueueStatus{1, 0, 1, 60'000, 1};
  auto flow = load(R"({"id": "f", "start": "hello", "queue": "q", "nodes": {
    "hello": {"type": "play", "prompts": ["hello.wav"], "next": "wait"},
    "wait": {"type": "queue", "keys": {"*": "offer"}},
    "offer": {"type": "menu", "prompts": ["offer.wav"], "options": {"1": "cb", "2": "wait"},
              "fail": "wait"},
    "cb": {"type": "callback", "next": "bye"},
    "bye": {"type": "hangup"}}})");
  Call call(env, flow);
  call.start();
  call.digits("1");  // barges in on the greeting; the queue takes no 1
  REQUIRE(call.session.queued());
  call.clear();
  call.digits("*");
  CHECK(call.session.current_node() == "offer");
  CHECK(played(call) == std::vector<std::string>{"offer.wav"});  // not skipped by the old 1
  CHECK_FALSE(call.has(K::kRegisterCallback));
  call.prompt_done();
  call.digits("2");
  CHECK(call.session.current_node() == "wait");
  CHECK(call.session.queued());
}
