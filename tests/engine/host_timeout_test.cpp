// options.host_timeout_seconds: how long a ticket, and a lookup whose node
// sets no timeout_seconds, wait for the host before the node's timeout exit.
// The host never answers here; the flow must move on at the configured time
// and not a millisecond before.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;
using CK = Command::Kind;

namespace {

// start: a lookup (or a ticket) whose timeout, or error, exit plays "late".
json flow_with(const json& start_node) {
  return json{{"id", "f"},
              {"start", "ask"},
              {"nodes",
               {{"ask", start_node},
                {"done", {{"type", "play"}, {"prompts", {"tts:done"}}, {"next", "bye"}}},
                {"late", {{"type", "play"}, {"prompts", {"tts:late"}}, {"next", "bye"}}},
                {"bye", {{"type", "hangup"}}}}}};
}

const json kLookup = {{"type", "lookup"}, {"function", "balance"}, {"variable", "balance"},
                      {"next", "done"},   {"error", "late"},       {"timeout", "late"}};
const json kTicket = {{"type", "ticket"}, {"fields", {{"subject", "call me"}}},
                      {"next", "done"},   {"error", "late"}};

bool played(Engine& e, const std::string& text) {
  bool seen = false;
  for (const Command& c : e.commands()) {
    if (c.kind != CK::kPlay) continue;
    for (const auto& p : c.prompts) seen = seen || p.value == text;
  }
  e.commands().clear();
  return seen;
}

// The time from the host request until the flow took its timeout exit, or
// -1 when it never did within a minute.
DurationMs wait_for_host(const json& node, const json* options, CK request) {
  Engine e;
  json config{{"flows", json::array({flow_with(node)})}};
  if (options) config["options"] = *options;
  const auto st = e.load_config(config, 0);
  INFO((st.ok() ? std::string() : st.error().message));
  REQUIRE(st.ok());
  CallInfo call;
  call.call_id = "c1";
  call.flow_id = "f";
  REQUIRE(e.call_arrived(call, 1000).ok());
  bool asked = false;
  for (const Command& c : e.commands()) asked = asked || c.kind == request;
  REQUIRE(asked);
  e.commands().clear();
  for (TimeMs t = 1001; t <= 61'000; ++t) {
    e.advance(t);
    if (played(e, "late")) return t - 1000;
  }
  return -1;
}

}  // namespace

TEST_CASE("a ticket with no answer takes its error exit after the configured host timeout") {
  const json options{{"host_timeout_seconds", 2.5}};
  CHECK(wait_for_host(kTicket, &options, CK::kCreateTicket) == 2500);
  CHECK(wait_for_host(kTicket, nullptr, CK::kCreateTicket) == 8000);  // the default
}

TEST_CASE("a lookup without its own timeout waits the configured host timeout") {
  const json options{{"host_timeout_seconds", 3}};
  CHECK(wait_for_host(kLookup, &options, CK::kLookup) == 3000);
  CHECK(wait_for_host(kLookup, nullptr, CK::kLookup) == 8000);  // the default
}

TEST_CASE("a lookup node's own timeout_seconds wins over the host timeout") {
  json node = kLookup;
  node["timeout_seconds"] = 1.2;
  const json options{{"host_timeout_seconds", 3}};
  CHECK(wait_for_host(node, &options, CK::kLookup) == 1200);
}

TEST_CASE("a later configuration's host timeout applies to the requests made after it") {
  Engine e;
  REQUIRE(e.load_config(json{{"flows", json::array({flow_with(kTicket)})}}, 0).ok());
  REQUIRE(e.load_config(json{{"options", {{"host_timeout_seconds", 1}}}}, 0).ok());
  CallInfo call;
  call.call_id = "c1";
  call.flow_id = "f";
  REQUIRE(e.call_arrived(call, 1000).ok());
  e.commands().clear();
  e.advance(1999);
  CHECK_FALSE(played(e, "late"));
  e.advance(2000);
  CHECK(played(e, "late"));
}

TEST_CASE("a host timeout that is not a positive number of seconds is refused with its path") {
  auto error_of = [](const char* options) {
    Engine e;
    const auto st = e.load_config(json{{"options", json::parse(options)}}, 0);
    return st.ok() ? std::string() : st.error().message;
  };
  const std::string expected =
      "$.options.host_timeout_seconds: expected a positive number of seconds";
  CHECK(error_of(R"({"host_timeout_seconds": 0})") == expected);
  CHECK(error_of(R"({"host_timeout_seconds": null})") == expected);
  CHECK(error_of(R"({"host_timeout_seconds": -1})") ==
        "$.options.host_timeout_seconds: expected a non-negative number of seconds");
  CHECK(error_of(R"({"host_timeout_seconds": "8"})") ==
        "$.options.host_timeout_seconds: expected a number of seconds");
}
