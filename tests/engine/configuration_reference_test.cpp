// docs/configuration.md against the code, with no second list of keys: the
// tables of the page are read here, each documented key is added with its
// documented example to a minimal valid object and must be accepted, and an
// unknown key must be refused with a message whose "(expected one of: ...)"
// list is exactly the documented keys.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hotline/engine/engine.hpp"

#ifndef HOTLINE_SOURCE_DIR
#error "HOTLINE_SOURCE_DIR must name the source tree (set by tests/engine/CMakeLists.txt)"
#endif

using namespace hotline;
using namespace hotline::engine;
using nlohmann::json;

namespace {

struct DocumentedKey {
  std::string key;
  std::string example;  // JSON text
};

// Tables by the JSON path in their heading ("## Queue — `$.queues[]`").
using Reference = std::map<std::string, std::vector<DocumentedKey>>;

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

std::string unquote_code(std::string cell) {
  cell = trim(std::move(cell));
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
    return cell.substr(1, cell.size() - 2);
  }
  return cell;
}

Reference read_reference() {
  std::ifstream in(std::string(HOTLINE_SOURCE_DIR) + "/docs/configuration.md");
  REQUIRE(in);
  Reference ref;
  std::string line;
  std::string section;
  while (std::getline(in, line)) {
    if (line.rfind('#', 0) == 0) {
      // The heading's last code span is the path of the object it describes.
      const auto close = line.rfind('`');
      const auto open = close == std::string::npos || close == 0 ? std::string::npos
                                                                 : line.rfind('`', close - 1);
      section = open == std::string::npos ? std::string() : line.substr(open + 1, close - open - 1);
      continue;
    }
    if (line.rfind("| `", 0) != 0) continue;  // not a key row
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    std::string cell;
    while (std::getline(row, cell, '|')) cells.push_back(cell);
    REQUIRE_MESSAGE(cells.size() == 6, "a key row has six columns: ", line);
    REQUIRE_MESSAGE(!section.empty(), "a key table under a heading without a path: ", line);
    ref[section].push_back({unquote_code(cells[0]), unquote_code(cells[5])});
  }
  return ref;
}

// How to test one kind of object: a minimal valid one, and the whole
// configuration that holds `object` in its place.
struct ObjectKind {
  json minimal;
  json (*embed)(const json& object);
};

const std::map<std::string, ObjectKind>& kinds() {
  static const std::map<std::string, ObjectKind> k = {
      {"$", {json::object(), [](const json& o) { return o; }}},
      {"$.options", {json::object(), [](const json& o) { return json{{"options", o}}; }}},
      {"$.queues[]",
       {json{{"id", "q"}}, [](const json& o) { return json{{"queues", json::array({o})}}; }}},
      {"$.queues[].rings[]",
       {json::object(),
        [](const json& o) {
          return json{{"queues", json::array({json{{"id", "q"}, {"rings", json::array({o})}}})}};
        }}},
      {"$.queues[].members[]",
       {json{{"agent", "bob"}},
        [](const json& o) {
          return json{
              {"queues", json::array({json{{"id", "q"}, {"members", json::array({o})}}})}};
        }}},
      {"$.agents[]",
       {json{{"id", "a"}},
        [](const json& o) {
          return json{{"queues", json::array({json{{"id", "sales"}}})},
                      {"agents", json::array({o})}};
        }}},
      {"$.agents[].capacity",
       {json::object(),
        [](const json& o) {
          return json{{"agents", json::array({json{{"id", "a"}, {"capacity", o}}})}};
        }}},
      {"$.flows[]",
       {json::parse(R"({"id": "f", "start": "bye", "nodes": {"bye": {"type": "hangup"}}})"),
        [](const json& o) {
          return json{{"queues", json::array({json{{"id", "billing"}}})},
                      {"calendars", json{{"bank-hours", json::object()}}},
                      {"flows", json::array({o})}};
        }}},
      {"$.calendars.<id>",
       {json::object(), [](const json& o) { return json{{"calendars", json{{"c", o}}}}; }}},
      {"$.calendars.<id>.overrides[]",
       {json{{"date", "2026-12-31"}},
        [](const json& o) {
          return json{{"calendars", json{{"c", json{{"overrides", json::array({o})}}}}}};
        }}},
  };
  return k;
}

// Loaded by other parts of the code base whose refusals are checked below on
// their own.
const std::set<std::string> kParsedByTheIvrAndCalendars = {
    "$.flows[]", "$.calendars.<id>", "$.calendars.<id>.overrides[]"};

Status load(const json& config) {
  Engine e;
  return e.load_config(config, 0);
}

constexpr const char* kBogus = "no_such_key";

// The keys the code lists when it refuses kBogus in an object of `kind`;
// nothing (and a failed check) when it does not refuse it in that format.
std::optional<std::vector<std::string>> accepted_keys(const std::string& kind) {
  const ObjectKind& k = kinds().at(kind);
  json object = k.minimal;
  object[kBogus] = 1;
  Status st = load(k.embed(object));
  if (st.ok()) {
    FAIL_CHECK(kind, ": an unknown key was accepted");
    return std::nullopt;
  }
  const std::string& message = st.error().message;
  const std::string marker = std::string(kBogus) + ": unknown field (expected one of: ";
  const auto at = message.find(marker);
  const auto to = at == std::string::npos ? at : message.find(')', at + marker.size());
  if (to == std::string::npos) {
    FAIL_CHECK(kind, ": not the shared unknown-key format: ", message);
    return std::nullopt;
  }
  std::vector<std::string> keys;
  std::stringstream list(message.substr(at + marker.size(), to - at - marker.size()));
  std::string key;
  while (std::getline(list, key, ',')) keys.push_back(trim(key));
  return keys;
}

void check_refusal_matches_reference(const Reference& ref, const std::string& kind) {
  INFO("object kind ", kind);
  std::set<std::string> documented;
  for (const DocumentedKey& k : ref.at(kind)) documented.insert(k.key);
  const auto listed = accepted_keys(kind);
  if (!listed) return;
  const std::set<std::string> accepted(listed->begin(), listed->end());
  CHECK(listed->size() == accepted.size());  // no key listed twice
  for (const std::string& key : accepted) {
    CHECK_MESSAGE(documented.count(key) == 1, "accepted but not documented: ", key);
  }
  for (const std::string& key : documented) {
    CHECK_MESSAGE(accepted.count(key) == 1, "documented but not accepted: ", key);
  }
}

}  // namespace

TEST_CASE("the configuration reference documents every kind of object the code reads") {
  const Reference ref = read_reference();
  for (const auto& [kind, how] : kinds()) {
    CHECK_MESSAGE(ref.count(kind) == 1, "docs/configuration.md has no table for ", kind);
  }
  for (const auto& [kind, keys] : ref) {
    CHECK_MESSAGE(kinds().count(kind) == 1, "the test does not know how to build ", kind);
  }
}

TEST_CASE("every documented key with its documented example is accepted") {
  const Reference ref = read_reference();
  for (const auto& [kind, keys] : ref) {
    if (kinds().count(kind) == 0) continue;  // reported above
    const ObjectKind& k = kinds().at(kind);
    REQUIRE_MESSAGE(load(k.embed(k.minimal)).ok(), kind, ": the minimal object is refused");
    for (const DocumentedKey& key : keys) {
      INFO(kind, " key ", key.key, " example ", key.example);
      const json example = json::parse(key.example, nullptr, false);
      REQUIRE_MESSAGE(!example.is_discarded(), "the example is not JSON");
      json object = k.minimal;
      object[key.key] = example;
      Status st = load(k.embed(object));
      CHECK_MESSAGE(st.ok(), (st.ok() ? std::string() : st.error().message));
    }
  }
}

TEST_CASE("the keys the routing configuration accepts are exactly the documented ones") {
  const Reference ref = read_reference();
  for (const auto& [kind, how] : kinds()) {
    if (kParsedByTheIvrAndCalendars.count(kind) || ref.count(kind) == 0) continue;
    check_refusal_matches_reference(ref, kind);
  }
}

// Flows and calendars are read by their own loaders, in the same format.
TEST_CASE("the keys flows and calendars accept are exactly the documented ones") {
  const Reference ref = read_reference();
  for (const std::string& kind : kParsedByTheIvrAndCalendars) {
    if (ref.count(kind) == 0) continue;
    check_refusal_matches_reference(ref, kind);
  }
}
