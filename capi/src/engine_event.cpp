// Typed events into the engine: hl_event and hl_contact read field by field
// through the event table, then applied by hand or posted to the loop.
#include "engine_event.hpp"

#include <cstddef>
#include <cstring>
#include <string>

#include "boundary.hpp"
#include "engine_handle.hpp"
#include "hotline/util/json_input.hpp"
#include "hotline/util/utf8.hpp"

namespace he = hotline::engine;
using hotline::Status;
using hotline::capi::guarded;
using hotline::capi::invalid;

namespace hotline::capi {

namespace {

using F = he::EventField;

// An enum field as the int the host stored: a C host may store any int, and
// a C++ load of a value outside the enum's range is undefined.
template <typename Enum>
int enum_value(const Enum& field) {
  static_assert(sizeof(Enum) == sizeof(int), "C enums are int-sized");
  int value = 0;
  std::memcpy(&value, &field, sizeof value);
  return value;
}

// The name a field has where the caller wrote it: an event's own fields by
// their names (also the names of the one-call functions' arguments), a
// contact's as contact->name.
std::string c_name(F field, bool in_contact) {
  const char* name = he::event_field(field).name;
  if (!in_contact) return name;
  if (field == F::kCallId) return "contact->id";
  if (field == F::kAttributes) return "contact->attributes_json";
  if (field == F::kCustomer) return "contact->customer_json";
  return std::string("contact->") + name;
}

Status read_text(const char* text, const std::string& name, bool required, std::string& out) {
  if (!text) return required ? invalid(name + " is NULL") : Status{};
  if (auto st = require_utf8(text, name); !st) return st;
  out = text;
  return {};
}

Status read_object(const char* text, const std::string& name, expr::Attributes& out) {
  if (!text) return {};
  auto j = parse_json(text, name);
  if (!j) return std::move(j).error();
  if (!j->is_object()) return invalid(name + ": expected a JSON object");
  auto attrs = expr::Attributes::from_json(*j, name);
  if (!attrs) return std::move(attrs).error();
  out = std::move(attrs).value();
  return {};
}

Status read_contact_field(F field, bool required, const hl_contact& c, he::Event& e) {
  const std::string name = c_name(field, true);
  switch (field) {
    case F::kCallId: return read_text(c.id, name, required, e.call_id);
    case F::kCaller: return read_text(c.caller, name, required, e.caller);
    case F::kDialled: return read_text(c.dialled, name, required, e.dialled);
    case F::kFlowId: return read_text(c.flow_id, name, required, e.flow_id);
    case F::kQueueId: return read_text(c.queue_id, name, required, e.queue_id);
    case F::kPreferredAgent:
      return read_text(c.preferred_agent, name, required, e.preferred_agent);
    case F::kAttributes: return read_object(c.attributes_json, name, e.attributes);
    case F::kCustomer: return read_object(c.customer_json, name, e.customer);
    case F::kChannel:
      switch (enum_value(c.channel)) {
        case HL_CHANNEL_VOICE: e.channel = routing::Channel::kVoice; return {};
        case HL_CHANNEL_CHAT: e.channel = routing::Channel::kChat; return {};
        case HL_CHANNEL_EMAIL: e.channel = routing::Channel::kEmail; return {};
        case HL_CHANNEL_TASK: e.channel = routing::Channel::kTask; return {};
        default: return invalid(name + ": expected HL_CHANNEL_VOICE, _CHAT, _EMAIL or _TASK");
      }
    case F::kPriority:
      if (c.priority < -he::kMaxPriority || c.priority > he::kMaxPriority) {
        return invalid(name + ": expected -1000000 to 1000000");
      }
      e.priority = c.priority;
      return {};
    case F::kPreferredWaitMs:
      if (c.preferred_wait_ms < 0) return invalid(name + ": expected 0 or more milliseconds");
      e.preferred_wait_ms = c.preferred_wait_ms;
      return {};
    case F::kSkills:
      if (c.skill_count > 0 && !c.skills) return invalid("contact->skills is NULL");
      for (std::size_t i = 0; i < c.skill_count; ++i) {
        const std::string item = "contact->skills[" + std::to_string(i) + "]";
        std::string skill;
        if (auto st = read_text(c.skills[i].skill, item + ".skill", true, skill); !st) return st;
        if (c.skills[i].level < 0 || c.skills[i].level > he::kMaxSkillLevel) {
          return invalid(item + ".level: expected 0 to 1000");
        }
        e.skills.emplace_back(std::move(skill), c.skills[i].level);
      }
      return {};
    default: return invalid(name + ": not a contact field");
  }
}

// hl_event grew at the end: the size a host built against the first header
// gave ends at `contact`. A field past the host's size is absent (as if
// NULL or 0), never read.
constexpr std::size_t kFirstEventSize = offsetof(hl_event, leg);

// Whether the host's event reaches past the field at `offset`, of `size` bytes.
// Offsets, not member references: a member past the end of a smaller struct
// is never touched, not even to take its address.
bool has_field(const hl_event& ev, std::size_t offset, std::size_t size) {
  return ev.size >= offset + size;
}

Status absent(const hl_event& ev, const std::string& name) {
  return invalid(name + " is absent: event->size " + std::to_string(ev.size) +
                 " predates it (use HL_EVENT_INIT)");
}

// A text field of the call control kinds, read only when the host's size has it.
Status read_grown_text(const hl_event& ev, std::size_t offset, const char* hl_event::*member,
                       const std::string& name, bool required, std::string& out) {
  if (!has_field(ev, offset, sizeof(const char*))) {
    return required ? absent(ev, name) : Status{};
  }
  return read_text(ev.*member, name, required, out);
}

Status read_event_field(F field, bool required, const hl_event& ev, he::Event& e) {
  const std::string name = c_name(field, false);
  switch (field) {
    case F::kLeg:
      return read_grown_text(ev, offsetof(hl_event, leg), &hl_event::leg, name, required, e.leg);
    case F::kTarget:
      return read_grown_text(ev, offsetof(hl_event, target), &hl_event::target, name, required,
                             e.target);
    case F::kMode:
      return read_grown_text(ev, offsetof(hl_event, mode), &hl_event::mode, name, required,
                             e.mode);
    case F::kCode:
      return read_grown_text(ev, offsetof(hl_event, code), &hl_event::code, name, required,
                             e.code);
    case F::kAction:
      return read_grown_text(ev, offsetof(hl_event, action), &hl_event::action, name, required,
                             e.action);
    case F::kSupervisor:
      return read_grown_text(ev, offsetof(hl_event, supervisor), &hl_event::supervisor, name,
                             required, e.supervisor);
    case F::kMuted:
      if (!has_field(ev, offsetof(hl_event, muted), sizeof(int))) {
        return required ? absent(ev, name) : Status{};
      }
      e.muted = ev.muted != 0;
      return {};
    case F::kCallId: return read_text(ev.call_id, name, required, e.call_id);
    case F::kAgentId: return read_text(ev.agent_id, name, required, e.agent_id);
    case F::kQueueId: return read_text(ev.queue_id, name, required, e.queue_id);
    case F::kReason: return read_text(ev.reason, name, required, e.reason);
    case F::kRecording: return read_text(ev.recording, name, required, e.recording);
    case F::kDigit:
      if (std::string_view("0123456789*#").find(ev.digit) == std::string_view::npos ||
          ev.digit == 0) {
        return invalid(name + ": expected one DTMF key (0-9, * or #)");
      }
      e.digit = ev.digit;
      return {};
    case F::kReservation: e.reservation = ev.reservation; return {};
    case F::kRequestId: e.request_id = ev.request_id; return {};
    case F::kOk: e.ok = ev.ok != 0; return {};
    case F::kResult:
      if (ev.result_json) {
        auto j = parse_json(ev.result_json, "result_json");
        if (!j) return std::move(j).error();
        e.result = std::move(j).value();
      }
      return {};
    default: return invalid(name + ": not a field of this event");
  }
}

bool is_arrival(he::EventKind kind) {
  return kind == he::EventKind::kCallArrived || kind == he::EventKind::kContactArrived;
}

}  // namespace

Result<he::Event> event_from_c(const hl_event* ev) {
  if (!ev) return invalid("event is NULL");
  if (ev->size < kFirstEventSize) {
    return invalid("event->size " + std::to_string(ev->size) +
                   " is smaller than any hl_event (use HL_EVENT_INIT)");
  }
  const int kind_value = enum_value(ev->kind);
  if (kind_value <= 0 || kind_value > static_cast<int>(he::event_kinds().size())) {
    return invalid("event->kind: unknown event kind " + std::to_string(kind_value));
  }
  const he::EventKindInfo* kind = he::find_event_kind(static_cast<he::EventKind>(kind_value));
  he::Event e;
  e.kind = kind->kind;
  const hl_contact* contact = ev->contact;
  if (is_arrival(kind->kind)) {
    if (!contact) return invalid("event->contact is NULL");
    if (contact->size < sizeof(hl_contact)) {
      return invalid("contact->size is smaller than hl_contact");
    }
  }
  for (const he::EventFieldUse& use : kind->fields) {
    Status st = is_arrival(kind->kind) ? read_contact_field(use.field, use.required, *contact, e)
                                       : read_event_field(use.field, use.required, *ev, e);
    if (!st) return std::move(st).error();
  }
  if (is_arrival(kind->kind) && e.call_id.empty()) return invalid("contact->id is empty");
  return e;
}

hl_status apply_event(hl_engine* handle, const he::Event& event, std::int64_t now,
                      hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    // Only an arrival the store may resolve is copied.
    he::Event resolved;
    const he::Event* applied = &event;
    if (hotline::runtime::wants_customer_lookup(event)) {
      resolved = event;
      h->resolve_customer(resolved);
      applied = &resolved;
    }
    Status st = he::apply_event(h->engine, *applied, now);
    h->deliver();
    return st;
  });
}

hl_status apply_event(hl_engine* handle, const hl_event* event, std::int64_t now,
                      hl_error** err) {
  return guarded(err, [&]() -> Status {
    hl_engine* h = resolve(handle);
    if (!h) return invalid("the engine handle is NULL or destroyed");
    auto e = event_from_c(event);
    if (!e) return std::move(e).error();
    h->resolve_customer(*e);
    Status st = he::apply_event(h->engine, *e, now);
    h->deliver();
    return st;
  });
}

}  // namespace hotline::capi

extern "C" {

const char* hl_event_kind_name(hl_event_kind kind) {
  const int value = hotline::capi::enum_value(kind);
  if (value <= 0 || value > static_cast<int>(he::event_kinds().size())) return nullptr;
  return he::find_event_kind(static_cast<he::EventKind>(value))->name;
}

hl_status hl_engine_apply_event(hl_engine* engine, const hl_event* event, int64_t now_ms,
                                hl_error** err) {
  return hotline::capi::apply_event(engine, event, now_ms, err);
}

hl_status hl_engine_contact_arrived(hl_engine* engine, const hl_contact* contact,
                                    int64_t now_ms, hl_error** err) {
  hl_event event = HL_EVENT_INIT;
  event.kind = HL_EVENT_CONTACT_ARRIVED;
  event.contact = contact;
  if (!contact) return hotline::capi::fail(err, HL_EINVAL, "contact is NULL");
  return hotline::capi::apply_event(engine, &event, now_ms, err);
}

}  // extern "C"
