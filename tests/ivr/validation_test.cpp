#include <fstream>

#include "ivr_fixture.hpp"

using namespace hotline::ivr;
using namespace hotline::ivr::testing;

TEST_CASE("a malformed flow reports every problem at once, each with its JSON path") {
  LoadResult r = FlowLoader::load_text(R"({
    "id": "broken", "start": "menu",
    "nodes": {
      "menu": {"type": "menu", "prompts": ["a.wav"], "options": {"1": "nowhere", "x": "menu"},
               "fail": "bye"},
      "check": {"type": "branch", "conditions": [{"if": "vars.n >", "next": "bye"}],
                "default": "bye"},
      "dance": {"type": "tango"},
      "ask": {"type": "collect", "next": "bye", "fail": "bye", "colour": "red"},
      "a": {"type": "set", "assign": {"x": "1"}, "next": "b"},
      "b": {"type": "goto", "next": "a"},
      "bye": {"type": "hangup"}
    }
  })");
  CHECK_FALSE(r.ok());
  std::map<std::string, std::string> errors;
  for (const auto& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::kError) errors[d.path] = d.message;
  }
  CHECK(errors["$.nodes.menu.options.1"] == "no node 'nowhere'");
  CHECK(errors["$.nodes.menu.options.x"] == "expected one key: 0-9, * or #");
  CHECK(errors["$.nodes.check.conditions[0].if"] ==
        "column 9: expected a value after '>', found end of input");
  CHECK(errors["$.nodes.dance.type"] == "unknown node type 'tango'");
  CHECK(errors["$.nodes.ask.variable"] == "required");
  CHECK(errors["$.nodes.ask.colour"] ==
        "unknown field (expected one of: type, prompts, barge_in, min_digits, max_digits, "
        "terminator, timeout_seconds, inter_digit_seconds, pattern, validate, variable, "
        "max_attempts, no_input, no_match, next, fail)");
  CHECK(errors.size() == 6);  // the loop is checked once exits resolve
}

TEST_CASE("a loop that never waits for input is an error; unreachable nodes are warnings") {
  LoadResult r = FlowLoader::load_text(R"({
    "id": "spin", "start": "a",
    "nodes": {
      "a": {"type": "set", "assign": {"x": "1"}, "next": "b"},
      "b": {"type": "branch", "conditions": [{"if": "x == 2", "next": "c"}], "default": "a"},
      "c": {"type": "hangup"},
      "island": {"type": "hangup"}
    }
  })");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error_text() == "$.nodes.a: loop a → b → a never waits for input");

  LoadResult ok = FlowLoader::load_text(R"({
    "id": "waits", "start": "a",
    "nodes": {
      "a": {"type": "menu", "prompts": ["m.wav"], "options": {"1": "b"}, "fail": "a"},
      "b": {"type": "goto", "next": "a"},
      "island": {"type": "hangup"}
    }
  })");
  REQUIRE(ok.ok());
  REQUIRE(ok.diagnostics.size() == 1);
  CHECK(ok.diagnostics[0].severity == Diagnostic::Severity::kWarning);
  CHECK(ok.diagnostics[0].path == "$.nodes.island");
}

TEST_CASE("structural errors") {
  CHECK(FlowLoader::load_text("{").error_text() ==
        "$: not valid JSON: parse error at line 1, column 2: syntax error while parsing object "
        "key - unexpected end of input; expected string literal");
  CHECK(FlowLoader::load_text("[]").error_text() == "$: expected a flow object");
  CHECK(FlowLoader::load_text(R"({"id": "x", "start": "a", "nodes": {}})").error_text() ==
        "$.nodes: expected an object of nodes by id");
  CHECK(FlowLoader::load_text(R"({"id": "x", "start": "zz", "nodes": {"a": {"type": "hangup"}}})")
            .error_text() == "$.start: no node 'zz'");
  auto bad_pattern = FlowLoader::load_text(R"({"id": "x", "start": "a", "nodes": {
      "a": {"type": "collect", "variable": "v", "pattern": "[0-9", "next": "a", "fail": "a"}}})");
  CHECK(bad_pattern.error_text().rfind("$.nodes.a.pattern: invalid regular expression", 0) == 0);
}

TEST_CASE("the example flows load cleanly") {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  for (const char* name : {"bank.json", "survey.json"}) {
    std::ifstream in(std::string(dir) + "/examples/flows/" + name);
    REQUIRE(in);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LoadResult r = FlowLoader::load_text(text);
    INFO(name << ": " << r.error_text());
    CHECK(r.ok());
    for (const auto& d : r.diagnostics) {
      INFO(d.path << ": " << d.message);
      CHECK(d.severity != Diagnostic::Severity::kWarning);
    }
  }
}
