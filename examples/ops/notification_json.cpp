#include "notification_json.hpp"

namespace hotline::ops {

using nlohmann::json;
using engine::Notification;

namespace {

const char* kind_name(Notification::Kind k) {
  switch (k) {
    case Notification::Kind::kRouting: return "routing";
    case Notification::Kind::kCallStarted: return "call_started";
    case Notification::Kind::kCallEnded: return "call_ended";
    case Notification::Kind::kIvrNode: return "ivr_node";
    case Notification::Kind::kIvrError: return "ivr_error";
    case Notification::Kind::kContactQueued: return "contact_queued";
    case Notification::Kind::kTransferred: return "transferred";
    case Notification::Kind::kContactRefused: return "contact_refused";
    case Notification::Kind::kConversation: return "conversation";
    case Notification::Kind::kLeg: return "leg";
    case Notification::Kind::kWrapUpCode: return "wrap_up_code";
    case Notification::Kind::kSupervision: return "supervision";
    case Notification::Kind::kRecording: return "recording";
    case Notification::Kind::kSurvey: return "survey";
    case Notification::Kind::kConsultFailed: return "consult_failed";
  }
  return "unknown";
}

}  // namespace

json notification_json(const Notification& n) {
  json j{{"kind", kind_name(n.kind)}, {"time", n.time}};
  if (n.kind == Notification::Kind::kRouting) {
    j["event"] = routing::output_kind_name(n.routing);
    if (n.routing == routing::Output::Kind::kAgentStateChanged) {
      j["from"] = routing::agent_state_name(n.from);
      j["to"] = routing::agent_state_name(n.to);
    }
    j["value"] = n.value;
  }
  if (n.kind == Notification::Kind::kIvrNode) {
    j["node"] = n.text;
    j["event"] = n.value ? "entered" : "left";
  } else if (n.kind == Notification::Kind::kContactRefused) {
    j["reason"] = n.text;
  } else if (!n.text.empty()) {
    j["text"] = n.text;
  }
  if (!n.call_id.empty()) j["call_id"] = n.call_id;
  if (!n.agent_id.empty()) j["agent_id"] = n.agent_id;
  if (!n.queue_id.empty()) j["queue_id"] = n.queue_id;
  if (!n.actor.empty()) j["actor"] = n.actor;
  if (n.kind == Notification::Kind::kConversation || n.kind == Notification::Kind::kLeg ||
      n.kind == Notification::Kind::kSurvey) {
    j["value"] = n.value;
  }
  if (n.contact) j["contact"] = n.contact;
  if (n.reservation) j["reservation"] = n.reservation;
  return j;
}

}  // namespace hotline::ops
