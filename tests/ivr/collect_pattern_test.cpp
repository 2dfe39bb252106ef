// Collect patterns run on RE2: matching is linear in the caller's keys, so
// nested groups that made a backtracking engine take seconds per key
// (`([0-9]+)+` against 30 keys and a non-digit) answer at once. Patterns
// past the size limits are refused when the flow loads.
#include <string>

#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

namespace {

std::shared_ptr<const Flow> collect_flow(int max_digits, int max_attempts) {
  return load(R"({"id": "f", "start": "ask", "nodes": {
    "ask": {"type": "collect", "min_digits": 1, "max_digits": )" + std::to_string(max_digits) +
              R"(, "pattern": "([0-9]+)+", "variable": "code", "max_attempts": )" +
              std::to_string(max_attempts) + R"(, "next": "done", "fail": "again"},
    "again": {"type": "goto", "next": "ask"},
    "done": {"type": "hangup"}}})");
}

}  // namespace

TEST_CASE("nested groups against 30 keys: a match and a near-miss both answer") {
  FakeEnv env;
  auto flow = collect_flow(30, 3);
  {
    Call call(env, flow);
    call.start();
    call.digits(std::string(30, '7'));
    CHECK(call.session.current_node() == "done");
    CHECK(call.var("vars.code") == std::string(30, '7'));
  }
  {
    Call call(env, flow);
    call.start();
    call.digits(std::string(29, '7') + "*");  // the worst case for backtracking
    CHECK(call.session.current_node() == "ask");
    CHECK(call.var("vars.code") == "<missing>");
    call.digits(std::string(30, '1'));
    CHECK(call.session.current_node() == "done");
    CHECK(call.var("vars.code") == std::string(30, '1'));
  }
}

TEST_CASE("nested groups against 10,000 keys: every near-miss refused, the final match taken") {
  FakeEnv env;
  auto flow = collect_flow(64, 10);
  Call call(env, flow);
  call.start();
  std::string near_misses;
  for (int batch = 0; batch < 156; ++batch) near_misses += std::string(63, '3') + "#";
  call.digits(near_misses);  // 9,984 keys: 156 inputs of 64, none all digits
  CHECK(call.session.current_node() == "ask");
  CHECK(call.var("vars.code") == "<missing>");
  CHECK_FALSE(call.has(K::kHangup));
  call.digits(std::string(16, '9'));  // keys 9,985 to 10,000
  call.wait(3000);                     // then the caller stops typing
  CHECK(call.session.current_node() == "done");
  CHECK(call.var("vars.code") == std::string(16, '9'));
}

TEST_CASE("patterns past the size limits are refused at load with their path") {
  auto refusal = [](const std::string& pattern) {
    json flow = json::parse(R"({"id": "f", "start": "ask", "nodes": {
      "ask": {"type": "collect", "variable": "v", "next": "done", "fail": "done"},
      "done": {"type": "hangup"}}})");
    flow["nodes"]["ask"]["pattern"] = pattern;
    LoadResult r = FlowLoader::load(flow);
    REQUIRE_FALSE(r.ok());
    return r.error_text();
  };
  CHECK(refusal(std::string(100'000, '1')) ==
        "$.nodes.ask.pattern: a pattern is at most 256 bytes; this one has 100000");
  // Short text, big program: a counted repetition copies its group.
  CHECK(refusal("(1|2|3|4|5|6|7|8|9|0){1000}") ==
        "$.nodes.ask.pattern: pattern too complex: it compiles to 3004 instructions, at most 2000");
  CHECK(refusal("((([0-9]{1,50}){1,50}){1,50})") ==
        "$.nodes.ask.pattern: invalid regular expression: invalid repetition size: {1,50}");
  CHECK(refusal(std::string(200, '(') + std::string(56, ')')).rfind(
            "$.nodes.ask.pattern: invalid regular expression: ", 0) == 0);
  // Nested groups within the limits load (the parse does not recurse per group).
  json deep = json::parse(R"({"id": "f", "start": "ask", "nodes": {
      "ask": {"type": "collect", "variable": "v", "max_digits": 4, "next": "done", "fail": "done"},
      "done": {"type": "hangup"}}})");
  deep["nodes"]["ask"]["pattern"] = std::string(120, '(') + "1" + std::string(120, ')') + "+";
  LoadResult ok = FlowLoader::load(deep);
  INFO(ok.error_text());
  CHECK(ok.ok());
}
