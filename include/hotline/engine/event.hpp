// The engine's events as data: one table names every kind, its fields (with
// their types) and how it applies to the Engine. The C ABI's typed events,
// its JSON events and its one-call-per-event functions are all read through
// this table, so an event kind or field exists in one place only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"
#include "hotline/expr/attributes.hpp"
#include "hotline/routing/types.hpp"
#include "hotline/util/result.hpp"

namespace hotline::engine {

// The numbering is the C ABI's hl_event_kind: append only.
enum class EventKind : std::uint8_t {
  kCallArrived = 1,
  kContactArrived,
  kDigit,
  kPromptDone,
  kRecordingDone,
  kHostResult,
  kCallHungUp,
  kAgentAnswered,
  kAgentRejected,
  kAgentNoAnswer,
  kAgentHungUp,
  kTransfer,
  kWrapUpDone,
  kAgentLogin,
  kAgentLogout,
  kAgentReady,
  kAgentNotReady,
  // Live call control (docs/call-control.md).
  kHold,
  kResume,
  kConsult,
  kLegAnswered,
  kLegEnded,
  kTransferComplete,
  kConsultCancel,
  kConference,
  kConferenceAdd,
  kConferenceDrop,
  kMute,
  kBlindTransfer,
  kWrapUpCode,
  kSupervise,
  kForceRelease,
  kForceNotReady,
  kForceLogout,
  kRecordingControl,
};

enum class EventField : std::uint8_t {
  kCallId,
  kCaller,
  kDialled,
  kChannel,
  kPriority,
  kSkills,
  kAttributes,
  kCustomer,
  kPreferredAgent,
  kPreferredWaitMs,
  kFlowId,
  kQueueId,
  kDigit,
  kRecording,
  kRequestId,
  kOk,
  kResult,
  kReservation,
  kAgentId,
  kReason,
  kLeg,
  kTarget,
  kMode,
  kCode,
  kAction,
  kSupervisor,
  kMuted,
};

// What a field holds, as the JSON form and docs/events.md name it.
enum class FieldType : std::uint8_t {
  kString,    // UTF-8 text
  kKey,       // one DTMF key: 0-9, * or #
  kUnsigned,  // an integer from 0 to 2^64-1
  kInteger,   // a signed integer in a documented range
  kBoolean,
  kObject,    // a JSON object (attributes)
  kAny,       // any JSON value
  kChannel,   // "voice", "chat", "email" or "task"
  kSkills,    // {"skill": level, ...} or ["skill", ...] (level 1)
};

const char* field_type_name(FieldType type) noexcept;

struct EventFieldInfo {
  EventField field;
  const char* name;
  FieldType type;
};

struct EventFieldUse {
  EventField field;
  bool required;
};

struct Event;

struct EventKindInfo {
  EventKind kind;
  const char* name;
  std::vector<EventFieldUse> fields;  // in the order messages list them
  Status (*apply)(Engine& engine, const Event& event, TimeMs now);
};

// A decoded, validated event: the fields its kind uses are set, the others
// keep their defaults.
struct Event {
  EventKind kind = EventKind::kCallArrived;
  std::string call_id;
  std::string caller;
  std::string dialled;
  routing::Channel channel = routing::Channel::kVoice;
  int priority = 0;
  std::vector<std::pair<std::string, int>> skills;
  expr::Attributes attributes;  // contact attributes for routing
  expr::Attributes customer;    // the customer the host resolved
  std::string preferred_agent;
  DurationMs preferred_wait_ms = 0;
  std::string flow_id;
  std::string queue_id;
  char digit = 0;
  std::string recording;
  std::uint64_t request_id = 0;
  bool ok = false;
  nlohmann::json result;
  std::uint64_t reservation = 0;
  std::string agent_id;
  std::string reason;
  std::string leg;
  std::string target;      // a number or URI to dial or transfer to
  std::string mode;        // supervise: monitor, whisper, barge or take_over
  std::string code;        // wrap_up_code
  std::string action;      // recording_control: start, stop, pause or resume
  std::string supervisor;  // force_*: the supervisor acting
  bool muted = false;
};

// Every kind, in hl_event_kind order.
const std::vector<EventKindInfo>& event_kinds();
// Every field a kind may use.
const std::vector<EventFieldInfo>& event_fields();
const EventKindInfo* find_event_kind(std::string_view name) noexcept;
const EventKindInfo* find_event_kind(EventKind kind) noexcept;
const EventFieldInfo& event_field(EventField field) noexcept;

// Priorities and skill levels accepted from the outside, as the routing
// configuration accepts them.
inline constexpr int kMaxPriority = 1000000;
inline constexpr int kMaxSkillLevel = 1000;

// The JSON form: {"event": "<kind>", <fields>}. Every field is checked for
// its type, range and UTF-8 with its JSON path; unknown fields and missing
// required ones are refused. Nothing is applied.
Result<Event> event_from_json(const nlohmann::json& j);

// Applies a decoded event through its kind's table entry.
Status apply_event(Engine& engine, const Event& event, TimeMs now);

// The contact description an arrival event carries, as the core takes it.
CallInfo call_info_of(const Event& event);

}  // namespace hotline::engine
