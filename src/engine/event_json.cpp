// The JSON form of events, read field by field through the event table: a
// value of the wrong type, out of range or not UTF-8 is refused with its
// JSON path before anything reaches the engine.
#include <fmt/format.h>

#include <limits>

#include "hotline/engine/event.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::engine {

namespace {

using nlohmann::json;
using F = EventField;
using T = FieldType;

Error bad(std::string_view path, std::string_view message) {
  return make_error(Errc::kInvalidArgument, fmt::format("{}: {}", path, message));
}

std::string child(std::string_view parent, std::string_view key) {
  return fmt::format("{}.{}", parent, key);
}

Status read_text(const json& v, const std::string& path, std::string& out) {
  if (!v.is_string()) return bad(path, "expected a string");
  const std::string& s = v.get_ref<const std::string&>();
  if (auto st = require_utf8(s, path); !st) return st;
  out = s;
  return {};
}

Status read_unsigned(const json& v, const std::string& path, std::uint64_t& out) {
  if (!v.is_number_unsigned()) return bad(path, "expected an unsigned integer");
  out = v.get<std::uint64_t>();
  return {};
}

Status read_priority(const json& v, const std::string& path, int& out) {
  if (!v.is_number_integer()) return bad(path, "expected an integer");
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > kMaxPriority) {
    return bad(path, fmt::format("expected an integer from -{0} to {0}", kMaxPriority));
  }
  const std::int64_t n = v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>())
                                                : v.get<std::int64_t>();
  if (n < -kMaxPriority || n > kMaxPriority) {
    return bad(path, fmt::format("expected an integer from -{0} to {0}", kMaxPriority));
  }
  out = static_cast<int>(n);
  return {};
}

Status read_skills(const json& v, const std::string& path,
                   std::vector<std::pair<std::string, int>>& out) {
  out.clear();
  if (v.is_array()) {  // ["billing", "french"]: level 1 each
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string p = fmt::format("{}[{}]", path, i);
      std::string name;
      if (!v[i].is_string()) return bad(p, "expected a skill name");
      if (auto st = read_text(v[i], p, name); !st) return st;
      out.emplace_back(std::move(name), 1);
    }
    return {};
  }
  if (!v.is_object()) return bad(path, "expected an object of skill levels");
  for (const auto& [name, level] : v.items()) {
    const std::string p = child(path, name);
    if (auto st = require_utf8(name, p); !st) return st;
    if (!level.is_number_unsigned() || level.get<std::uint64_t>() > kMaxSkillLevel) {
      return bad(p, fmt::format("expected a skill level from 0 to {}", kMaxSkillLevel));
    }
    out.emplace_back(name, static_cast<int>(level.get<std::uint64_t>()));
  }
  return {};
}

Status read_object(const json& v, const std::string& path, expr::Attributes& out) {
  if (!v.is_object()) return bad(path, "expected an object");
  auto attrs = expr::Attributes::from_json(v, path);
  if (!attrs) return std::move(attrs).error();
  out = std::move(attrs).value();
  return {};
}

Status read_field(const EventFieldInfo& f, const json& v, Event& e) {
  const std::string path = child("$", f.name);
  switch (f.field) {
    case F::kCallId: return read_text(v, path, e.call_id);
    case F::kCaller: return read_text(v, path, e.caller);
    case F::kDialled: return read_text(v, path, e.dialled);
    case F::kChannel: {
      std::string name;
      if (auto st = read_text(v, path, name); !st) return st;
      auto c = routing::parse_channel(name);
      if (!c) return bad(path, "expected " + std::string(routing::channel_choices()));
      e.channel = *c;
      return {};
    }
    case F::kPriority: return read_priority(v, path, e.priority);
    case F::kSkills: return read_skills(v, path, e.skills);
    case F::kAttributes: return read_object(v, path, e.attributes);
    case F::kCustomer: return read_object(v, path, e.customer);
    case F::kPreferredAgent: return read_text(v, path, e.preferred_agent);
    case F::kPreferredWaitMs: {
      std::uint64_t ms = 0;
      if (auto st = read_unsigned(v, path, ms); !st) return st;
      if (ms > static_cast<std::uint64_t>(std::numeric_limits<DurationMs>::max())) {
        return bad(path, "expected milliseconds that fit in 63 bits");
      }
      e.preferred_wait_ms = static_cast<DurationMs>(ms);
      return {};
    }
    case F::kFlowId: return read_text(v, path, e.flow_id);
    case F::kQueueId: return read_text(v, path, e.queue_id);
    case F::kDigit: {
      std::string key;
      if (auto st = read_text(v, path, key); !st) return st;
      if (key.size() != 1 || std::string_view("0123456789*#").find(key[0]) == std::string::npos) {
        return bad(path, "expected one DTMF key (0-9, * or #)");
      }
      e.digit = key[0];
      return {};
    }
    case F::kRecording: return read_text(v, path, e.recording);
    case F::kRequestId: return read_unsigned(v, path, e.request_id);
    case F::kOk:
      if (!v.is_boolean()) return bad(path, "expected true or false");
      e.ok = v.get<bool>();
      return {};
    case F::kResult: e.result = v; return {};
    case F::kReservation: return read_unsigned(v, path, e.reservation);
    case F::kAgentId: return read_text(v, path, e.agent_id);
    case F::kLeg: return read_text(v, path, e.leg);
    case F::kTarget: return read_text(v, path, e.target);
    case F::kMode: return read_text(v, path, e.mode);
    case F::kCode: return read_text(v, path, e.code);
    case F::kAction: return read_text(v, path, e.action);
    case F::kSupervisor: return read_text(v, path, e.supervisor);
    case F::kMuted:
      if (!v.is_boolean()) return bad(path, "expected true or false");
      e.muted = v.get<bool>();
      return {};
    case F::kReason: return read_text(v, path, e.reason);
  }
  return bad(path, "unknown field");
}

std::string field_list(const EventKindInfo& kind) {
  std::string names = "event";
  for (const EventFieldUse& use : kind.fields) {
    names += ", ";
    names += event_field(use.field).name;
  }
  return names;
}

}  // namespace

Result<Event> event_from_json(const json& j) {
  if (!j.is_object()) return bad("$", "expected an event object");
  auto name = j.find("event");
  if (name == j.end()) return bad("$.event", "missing");
  if (!name->is_string()) return bad("$.event", "expected a string");
  const std::string& kind_name = name->get_ref<const std::string&>();
  const EventKindInfo* kind = find_event_kind(kind_name);
  if (!kind) {
    std::string known;
    for (const EventKindInfo& k : event_kinds()) {
      if (!known.empty()) known += ", ";
      known += k.name;
    }
    return bad("$.event", fmt::format("unknown event (expected one of: {})", known));
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "event") continue;
    bool known = false;
    for (const EventFieldUse& use : kind->fields) {
      known = known || key == event_field(use.field).name;
    }
    if (!known) {
      if (auto st = require_utf8(key, "$ (a field name)"); !st) return std::move(st).error();
      return bad(child("$", key),
                 fmt::format("unknown field (expected one of: {})", field_list(*kind)));
    }
  }
  Event e;
  e.kind = kind->kind;
  for (const EventFieldUse& use : kind->fields) {
    const EventFieldInfo& f = event_field(use.field);
    auto it = j.find(f.name);
    if (it == j.end()) {
      if (use.required) return bad(child("$", f.name), "missing");
      continue;
    }
    if (auto st = read_field(f, *it, e); !st) return std::move(st).error();
  }
  return e;
}

}  // namespace hotline::engine
