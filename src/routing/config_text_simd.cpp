#include "config_text_readers.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "hotline/routing/config_json.hpp"
#include "hotline/util/json_input.hpp"
#include "json_fields.hpp"

namespace hotline::routing {

namespace {

using nlohmann::json;
namespace dom = simdjson::dom;

// nlohmann reads the integer -0 as a signed zero, and every other integer
// without a minus sign as unsigned; simdjson gives both zeros alike. A "-0"
// where a value may start, and not the start of "-0.5" or "-0e1", sends the
// text to nlohmann (inside a string, as in "x, -0", it costs only that
// detour; "team-0" is not where a value starts).
bool may_hold_negative_zero(std::string_view text) {
  for (std::size_t at = text.find("-0"); at != std::string_view::npos;
       at = text.find("-0", at + 2)) {
    const char before = at == 0 ? ' ' : text[at - 1];
    const char next = at + 2 == text.size() ? ' ' : text[at + 2];
    const bool starts_value = before == ':' || before == '[' || before == ',' ||
                              before == ' ' || before == '\t' || before == '\n' ||
                              before == '\r';
    const bool ends_integer =
        next != '.' && next != 'e' && next != 'E' && (next < '0' || next > '9');
    if (starts_value && ends_integer) return true;
  }
  return false;
}

// The nlohmann value json::parse gives for the same text: a repeated key
// keeps its last value, integers keep nlohmann's signed/unsigned split.
json to_json(dom::element e) {
  switch (e.type()) {
    case dom::element_type::ARRAY: {
      json a = json::array();
      const dom::array items = e.get_array().value_unsafe();
      for (dom::element item : items) a.push_back(to_json(item));
      return a;
    }
    case dom::element_type::OBJECT: {
      json o = json::object();
      const dom::object fields = e.get_object().value_unsafe();
      for (dom::key_value_pair field : fields) {
        o[std::string(field.key)] = to_json(field.value);
      }
      return o;
    }
    case dom::element_type::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      if (v >= 0) return static_cast<std::uint64_t>(v);
      return v;
    }
    case dom::element_type::UINT64: return e.get_uint64().value_unsafe();
    case dom::element_type::DOUBLE: return e.get_double().value_unsafe();
    case dom::element_type::STRING: return std::string(e.get_string().value_unsafe());
    case dom::element_type::BOOL: return e.get_bool().value_unsafe();
    case dom::element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

// The readers below take what agent_from_json accepts and turn it into what
// it would give; anything else, refusals included, they leave to it (false).

bool string_into(dom::element e, std::string& out) {
  std::string_view s;
  if (e.get_string().get(s)) return false;
  out.assign(s);
  return true;
}

// An integer between 0 and `max`, as read_int and the capacity and skill
// readers take it (a number with a fraction or an exponent is not one).
bool level_into(dom::element e, int max, int& out) {
  if (e.type() != dom::element_type::INT64) return false;
  const std::int64_t v = e.get_int64().value_unsafe();
  if (v < 0 || v > max) return false;
  out = static_cast<int>(v);
  return true;
}

bool skills_into(dom::element e, std::vector<std::pair<std::string, int>>& out) {
  out.clear();
  if (dom::array items; !e.get_array().get(items)) {
    for (dom::element item : items) {
      std::string_view name;
      if (item.get_string().get(name)) return false;
      out.emplace_back(std::string(name), 1);
    }
    return true;
  }
  dom::object fields;
  if (e.get_object().get(fields)) return false;
  for (dom::key_value_pair field : fields) {
    int level = 0;
    if (!level_into(field.value, 1000, level)) return false;
    out.emplace_back(std::string(field.key), level);
  }
  // The document's object hands its keys over sorted, each once.
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return std::adjacent_find(out.begin(), out.end(), [](const auto& a, const auto& b) {
           return a.first == b.first;
         }) == out.end();
}

// As Attributes::from_json reads them (a later key replaces an earlier one
// there too); `depth` as there.
bool attributes_into(dom::element e, int depth, expr::Attributes& out) {
  dom::object fields;
  if (e.get_object().get(fields) || depth > expr::kMaxAttributeDepth) return false;
  for (dom::key_value_pair field : fields) {
    const dom::element v = field.value;
    switch (v.type()) {
      case dom::element_type::NULL_VALUE: out.set_null(field.key); break;
      case dom::element_type::BOOL: out.set(field.key, v.get_bool().value_unsafe()); break;
      case dom::element_type::INT64:
        out.set(field.key, static_cast<double>(v.get_int64().value_unsafe()));
        break;
      case dom::element_type::UINT64:
        out.set(field.key, static_cast<double>(v.get_uint64().value_unsafe()));
        break;
      case dom::element_type::DOUBLE: out.set(field.key, v.get_double().value_unsafe()); break;
      case dom::element_type::STRING: out.set(field.key, v.get_string().value_unsafe()); break;
      case dom::element_type::OBJECT: {
        expr::Attributes nested;
        if (!attributes_into(v, depth + 1, nested)) return false;
        out.set(field.key, std::move(nested));
        break;
      }
      case dom::element_type::ARRAY: {
        if (depth + 1 > expr::kMaxAttributeDepth) return false;
        const dom::array list = v.get_array().value_unsafe();
        std::size_t count = 0;
        std::size_t objects = 0;
        for (dom::element item : list) {
          ++count;
          objects += item.is_object();
        }
        // Most lists are a few strings: their items stay on the stack. The
        // strings are views of the parser's, alive until the list is copied
        // into place; the objects are reserved so views of them hold.
        expr::Value few[8];
        std::vector<expr::Value> many;
        expr::Value* items = few;
        if (count > std::size(few)) {
          many.resize(count);
          items = many.data();
        }
        std::vector<expr::Attributes> nested;
        nested.reserve(objects);
        std::size_t i = 0;
        for (dom::element item : list) {
          expr::Value& at = items[i++];
          switch (item.type()) {
            case dom::element_type::ARRAY: return false;
            case dom::element_type::OBJECT:
              if (!attributes_into(item, depth + 2, nested.emplace_back())) return false;
              at = expr::Value::object(&nested.back());
              break;
            case dom::element_type::STRING:
              at = expr::Value::string(item.get_string().value_unsafe());
              break;
            case dom::element_type::BOOL:
              at = expr::Value::boolean(item.get_bool().value_unsafe());
              break;
            case dom::element_type::INT64:
              at = expr::Value::number(static_cast<double>(item.get_int64().value_unsafe()));
              break;
            case dom::element_type::UINT64:
              at = expr::Value::number(static_cast<double>(item.get_uint64().value_unsafe()));
              break;
            case dom::element_type::DOUBLE:
              at = expr::Value::number(item.get_double().value_unsafe());
              break;
            case dom::element_type::NULL_VALUE: break;
          }
        }
        out.set_value(field.key, expr::Value::list(items, count));
        break;
      }
    }
  }
  return true;
}

bool capacity_into(dom::element e, std::array<int, kChannelCount>& out) {
  dom::object fields;
  if (e.get_object().get(fields)) return false;
  for (dom::key_value_pair field : fields) {
    // The keys check_keys lets through, each a channel.
    if (field.key != "voice" && field.key != "chat" && field.key != "email" &&
        field.key != "task") {
      return false;
    }
    int n = 0;
    if (!level_into(field.value, 1000, n)) return false;
    out[static_cast<int>(*parse_channel(field.key))] = n;
  }
  return true;
}

bool queues_into(dom::element e, std::vector<std::string>& out) {
  dom::array list;
  if (e.get_array().get(list)) return false;
  out.reserve(list.size());
  for (dom::element item : list) {
    std::string_view id;
    if (item.get_string().get(id)) return false;
    out.emplace_back(id);
  }
  return true;
}

// agent_from_json's keys; each names its bit in `seen` below.
enum class AgentKey : unsigned { kId, kName, kSkills, kAttributes, kCapacity, kQueues, kRole, kNumber };
constexpr std::string_view kAgentKeys[] = {"id",       "name",   "skills", "attributes",
                                           "capacity", "queues", "role",   "number"};
static_assert(std::size(kAgentKeys) == static_cast<std::size_t>(AgentKey::kNumber) + 1);

constexpr unsigned bit(AgentKey k) { return 1u << static_cast<unsigned>(k); }

// The agent an element of "agents" describes, read without a document of
// its own, when agent_from_json would accept it as it stands; otherwise
// nullopt, and agent_from_json decides.
std::optional<AgentConfig> plain_agent(dom::element element) {
  dom::object fields;
  if (element.get_object().get(fields)) return std::nullopt;
  AgentConfig a;
  unsigned seen = 0;
  for (dom::key_value_pair field : fields) {
    const auto known = std::find(std::begin(kAgentKeys), std::end(kAgentKeys), field.key);
    if (known == std::end(kAgentKeys)) return std::nullopt;
    const auto key = static_cast<AgentKey>(known - std::begin(kAgentKeys));
    // A repeated key: the document keeps the last value, agent_from_json knows.
    if (seen & bit(key)) return std::nullopt;
    seen |= bit(key);
    const dom::element v = field.value;
    bool ok = false;
    switch (key) {
      case AgentKey::kId: ok = string_into(v, a.id) && !a.id.empty(); break;
      case AgentKey::kName: ok = string_into(v, a.name); break;
      case AgentKey::kSkills: ok = skills_into(v, a.skills); break;
      case AgentKey::kAttributes: ok = attributes_into(v, 1, a.attributes); break;
      case AgentKey::kCapacity: ok = capacity_into(v, a.capacity); break;
      case AgentKey::kQueues: ok = queues_into(v, a.queues); break;
      case AgentKey::kRole: {
        std::string_view role;
        ok = !v.get_string().get(role) && (role.empty() || role == "agent" || role == "supervisor");
        if (role == "supervisor") a.role = AgentRole::kSupervisor;
        break;
      }
      case AgentKey::kNumber: ok = string_into(v, a.number); break;
    }
    if (!ok) return std::nullopt;
  }
  if (!(seen & bit(AgentKey::kId))) return std::nullopt;
  if (!(seen & bit(AgentKey::kName))) a.name = a.id;
  return a;
}

// The elements of the top-level "agents" array, as the streamed reader
// reads them: up to the first refused, whose refusal is kept.
void read_agents(dom::array list, PreparsedAgents& agents) {
  agents.read = true;
  agents.agents.reserve(list.size());
  std::size_t i = 0;
  for (dom::element element : list) {
    if (auto a = plain_agent(element)) {
      agents.agents.push_back(std::move(*a));
    } else {
      auto read = agent_from_json(to_json(element), json_fields::item("$.agents", i));
      if (!read) {
        agents.error = std::move(read).error();
        return;
      }
      agents.agents.push_back(std::move(read).value());
    }
    ++i;
  }
}

}  // namespace

std::optional<AgentConfig> read_plain_agent_simd(std::string_view text) {
  if (may_hold_negative_zero(text)) return std::nullopt;
  dom::parser parser;
  const simdjson::padded_string padded(text);
  dom::element agent;
  if (parser.parse(padded).get(agent)) return std::nullopt;
  return plain_agent(agent);
}

std::optional<json> read_config_text_simd(std::string_view text, PreparsedAgents& agents) {
  agents = PreparsedAgents{};
  if (may_hold_negative_zero(text)) return std::nullopt;
  // As deep as the other reader allows (kMaxJsonDepth): deeper, this one
  // gives way and that one says where.
  dom::parser parser;
  if (parser.allocate(text.size(), kMaxJsonDepth)) return std::nullopt;
  const simdjson::padded_string padded(text);
  dom::element root;
  if (parser.parse(padded).get(root)) return std::nullopt;
  dom::object top;
  if (root.get_object().get(top)) return to_json(root);
  json document = json::object();
  // A later "agents" replaces an earlier one, as in the document.
  std::optional<dom::element> agents_value;
  for (dom::key_value_pair field : top) {
    if (field.key == "agents") {
      agents_value = field.value;
    } else {
      document[std::string(field.key)] = to_json(field.value);
    }
  }
  if (agents_value) {
    dom::array list;
    if (agents_value->get_array().get(list)) {
      document["agents"] = to_json(*agents_value);
    } else {
      document["agents"] = json::array();
      read_agents(list, agents);
    }
  }
  return document;
}

}  // namespace hotline::routing
