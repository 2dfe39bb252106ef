// docs/events.md and the code say the same: every event kind and field of
// the event table is in the reference with its type and whether it is
// required, and the reference lists nothing the table lacks; the same for
// command kinds.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "hotline/engine/command.hpp"
#include "hotline/engine/event.hpp"

using namespace hotline::engine;

namespace {

std::string events_doc() {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  std::ifstream in(std::string(dir) + "/docs/events.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The cells of a markdown table row, trimmed, backticks removed.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      std::string trimmed = first == std::string::npos ? "" : cell.substr(first, last - first + 1);
      std::string plain;
      for (char c : trimmed) {
        if (c != '`') plain += c;
      }
      out.push_back(plain);
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

struct DocField {
  std::string type;
  bool required = false;
};

using DocEvents = std::map<std::string, std::map<std::string, DocField>>;

// Events: each "### `kind`" under "## Events" and the rows of its table.
DocEvents documented_events(const std::string& doc) {
  DocEvents events;
  std::istringstream lines(doc);
  std::string line;
  std::string section;
  std::string kind;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line.substr(3);
      kind.clear();
      continue;
    }
    if (section != "Events") continue;
    if (line.rfind("### ", 0) == 0) {
      kind = cells("|" + line.substr(4) + "|").at(0);
      events[kind];
      continue;
    }
    if (kind.empty() || line.rfind("|", 0) != 0) continue;
    const std::vector<std::string> row = cells(line);
    if (row.size() < 3 || row[0] == "field" || row[0].rfind("---", 0) == 0) continue;
    events[kind][row[0]] = DocField{row[1], row[2] == "yes"};
  }
  return events;
}

std::set<std::string> documented_commands(const std::string& doc) {
  std::set<std::string> kinds;
  std::istringstream lines(doc);
  std::string line;
  std::string section;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0) section = line.substr(3);
    if (section != "Commands" || line.rfind("|", 0) != 0) continue;
    const std::vector<std::string> row = cells(line);
    if (row.empty() || row[0] == "kind" || row[0].rfind("---", 0) == 0) continue;
    kinds.insert(row[0]);
  }
  return kinds;
}

}  // namespace

TEST_CASE("docs/events.md lists exactly the event table's kinds and fields") {
  const DocEvents doc = documented_events(events_doc());
  std::set<std::string> code_kinds;
  for (const EventKindInfo& kind : event_kinds()) {
    code_kinds.insert(kind.name);
    CAPTURE(kind.name);
    auto documented = doc.find(kind.name);
    REQUIRE_MESSAGE(documented != doc.end(), "the reference has no section for this event");
    std::set<std::string> code_fields;
    for (const EventFieldUse& use : kind.fields) {
      const EventFieldInfo& field = event_field(use.field);
      code_fields.insert(field.name);
      CAPTURE(field.name);
      auto row = documented->second.find(field.name);
      REQUIRE_MESSAGE(row != documented->second.end(), "the reference does not list this field");
      CHECK(row->second.type == field_type_name(field.type));
      CHECK(row->second.required == use.required);
    }
    for (const auto& [name, field] : documented->second) {
      CAPTURE(name);
      CHECK_MESSAGE(code_fields.count(name) == 1, "the reference lists a field the code lacks");
    }
  }
  for (const auto& [name, fields] : doc) {
    CAPTURE(name);
    CHECK_MESSAGE(code_kinds.count(name) == 1, "the reference lists an event the code lacks");
  }
}

TEST_CASE("docs/events.md lists exactly the command kinds") {
  const std::set<std::string> doc = documented_commands(events_doc());
  std::set<std::string> code;
  for (int k = 0; k <= static_cast<int>(Command::Kind::kRecordControl); ++k) {
    code.insert(command_kind_name(static_cast<Command::Kind>(k)));
  }
  CHECK(doc == code);
}

TEST_CASE("the JSON form of an event is read through the table") {
  auto e = event_from_json(nlohmann::json::parse(
      R"({"event": "contact_arrived", "call_id": "c1", "channel": "chat", "priority": 5,
          "skills": {"billing": 3}, "preferred_agent": "ann", "preferred_wait_ms": 20000,
          "attributes": {"lang": "de"}, "customer": {"tier": "gold"}, "queue_id": "q"})"));
  REQUIRE(e);
  const CallInfo info = call_info_of(*e);
  CHECK(info.channel == hotline::routing::Channel::kChat);
  CHECK(info.priority == 5);
  REQUIRE(info.skills.size() == 1);
  CHECK(info.skills[0] == std::pair<std::string, int>{"billing", 3});
  CHECK(info.preferred_agent == "ann");
  CHECK(info.preferred_wait_ms == 20000);
  CHECK(info.attributes.find("lang") != nullptr);
  CHECK(info.attributes.find("tier") != nullptr);
  auto wrong = event_from_json(nlohmann::json::parse(R"({"event": "digit", "call_id": "c"})"));
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().message == "$.digit: missing");
}
