// Numbers are read as JSON wrote them, checked against their range with the
// path; unknown keys are refused in one format that lists the accepted ones.
#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

namespace {

// The errors of a one-node flow whose node `n` gets `field` set to `value`.
std::string error_with(json node, const char* field, json value) {
  node[field] = std::move(value);
  json flow = {{"id", "f"}, {"start", "n"},
               {"nodes", {{"n", std::move(node)}, {"bye", {{"type", "hangup"}}}}}};
  LoadResult r = FlowLoader::load(flow);
  return r.ok() ? "<loaded>" : r.error_text();
}

const json kQueue = {{"type", "queue"}, {"queue", "q"}};
const json kCollect = {{"type", "collect"}, {"variable", "v"}, {"next", "bye"}, {"fail", "bye"}};
const json kMenu = {{"type", "menu"}, {"options", {{"1", "bye"}}}, {"fail", "bye"}};

}  // namespace

TEST_CASE("a queue priority of 2^64-1 is out of range, not -1") {
  CHECK(error_with(kQueue, "priority", UINT64_MAX) ==
        "$.nodes.n.priority: expected an integer from -1000000 to 1000000");
  CHECK(error_with(kQueue, "priority", 1'000'001) ==
        "$.nodes.n.priority: expected an integer from -1000000 to 1000000");
  CHECK(error_with(kQueue, "priority", INT64_MIN) ==
        "$.nodes.n.priority: expected an integer from -1000000 to 1000000");
  CHECK(error_with(kQueue, "priority", 2.5) ==
        "$.nodes.n.priority: expected an integer from -1000000 to 1000000");
  json ok = kQueue;
  ok["priority"] = 1'000'000;
  json flow = {{"id", "f"}, {"start", "n"}, {"nodes", {{"n", ok}}}};
  LoadResult r = FlowLoader::load(flow);
  REQUIRE(r.ok());
  CHECK(r.flow->node(*r.flow->find("n")).priority == 1'000'000);
}

TEST_CASE("digit counts, attempts and skill levels do not wrap either") {
  // 2^32 + 4 would be 4 through a 32-bit cast; 2^64 - 1 would be -1.
  CHECK(error_with(kCollect, "max_digits", 4'294'967'300ULL) ==
        "$.nodes.n.max_digits: expected an integer from 1 to 64");
  CHECK(error_with(kCollect, "min_digits", UINT64_MAX) ==
        "$.nodes.n.min_digits: expected an integer from 1 to 64");
  CHECK(error_with(kMenu, "max_attempts", UINT64_MAX) ==
        "$.nodes.n.max_attempts: expected an integer from 1 to 10");
  CHECK(error_with(kMenu, "max_attempts", 0) ==
        "$.nodes.n.max_attempts: expected an integer from 1 to 10");
  CHECK(error_with(kQueue, "skills", {{"billing", UINT64_MAX}}) ==
        "$.nodes.n.skills.billing: expected a level from 0 to 1000");
  CHECK(error_with(kMenu, "timeout_seconds", 1e300) ==
        "$.nodes.n.timeout_seconds: expected seconds between 0 and 86400");
  CHECK(error_with(kMenu, "timeout_seconds", -1) ==
        "$.nodes.n.timeout_seconds: expected seconds between 0 and 86400");
}

TEST_CASE("a flow version of 2^64-1 keeps its digits") {
  json flow = {{"id", "f"}, {"version", UINT64_MAX}, {"start", "bye"},
               {"nodes", {{"bye", {{"type", "hangup"}}}}}};
  LoadResult r = FlowLoader::load(flow);
  REQUIRE(r.ok());
  CHECK(r.flow->version() == "18446744073709551615");
}

TEST_CASE("unknown keys name the accepted keys of their object, in declaration order") {
  CHECK(error_with(kQueue, "priorty", 1) ==
        "$.nodes.n.priorty: unknown field (expected one of: type, queue, priority, skills, "
        "attributes, hold, prompts, barge_in, announce_every_seconds, keys, answered, overflow, "
        "no_agents)");
  CHECK(error_with({{"type", "goto"}, {"next", "bye"}}, "then", "bye") ==
        "$.nodes.n.then: unknown field (expected one of: type, next)");
  CHECK(error_with({{"type", "return"}}, "x", 1) ==
        "$.nodes.n.x: unknown field (expected one of: type)");
  json branch = {{"type", "branch"}, {"default", "bye"},
                 {"conditions", {{{"if", "true"}, {"next", "bye"}, {"else", "bye"}}}}};
  json flow = {{"id", "f"}, {"start", "n"}, {"owner", "ops"},
               {"nodes", {{"n", branch}, {"bye", {{"type", "hangup"}}}}}};
  LoadResult r = FlowLoader::load(flow);
  CHECK(r.error_text() ==
        "$.owner: unknown field (expected one of: id, version, start, queue, calendar, nodes, "
        "description)\n"
        "$.nodes.n.conditions[0].else: unknown field (expected one of: if, next)");
}

TEST_CASE("flow text nested past the JSON depth limit is refused with the path") {
  std::string text = R"({"id": "f", "start": "n", "nodes": {"n": {"type": "hangup", "x": )";
  text += std::string(100'000, '[') + std::string(100'000, ']') + "}}}";
  LoadResult r = FlowLoader::load_text(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error_text().rfind("$: nested deeper than 64 levels at $.nodes.n.x", 0) == 0);
}

TEST_CASE("a prompt object with an unknown key names the accepted ones") {
  CHECK(error_with({{"type", "hangup"}}, "prompts",
                   json::array({"a.wav", {{"audio", "b.wav"}, {"volume", 3}}})) ==
        "$.nodes.n.prompts[1].volume: unknown field (expected one of: tts, audio)");
  CHECK(error_with({{"type", "hangup"}}, "prompts", {{"tts", "hi"}, {"audio", "b.wav"}}) ==
        "$.nodes.n.prompts: expected a prompt: \"file.wav\", \"tts:text\", {\"audio\": ...} or "
        "{\"tts\": ...}");
}
