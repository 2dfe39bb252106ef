// Commands and notifications as the JSON objects hosts poll or receive.
#include <nlohmann/json.hpp>

#include "engine_handle.hpp"

namespace hotline::capi {

using nlohmann::json;
namespace he = hotline::engine;

namespace {

const char* kind_name(he::Notification::Kind k) {
  switch (k) {
    case he::Notification::Kind::kRouting: return "routing";
    case he::Notification::Kind::kCallStarted: return "call_started";
    case he::Notification::Kind::kCallEnded: return "call_ended";
    case he::Notification::Kind::kIvrNode: return "ivr_node";
    case he::Notification::Kind::kIvrError: return "ivr_error";
    case he::Notification::Kind::kContactQueued: return "contact_queued";
    case he::Notification::Kind::kTransferred: return "transferred";
    case he::Notification::Kind::kContactRefused: return "contact_refused";
    case he::Notification::Kind::kConversation: return "conversation";
    case he::Notification::Kind::kLeg: return "leg";
    case he::Notification::Kind::kWrapUpCode: return "wrap_up_code";
    case he::Notification::Kind::kSupervision: return "supervision";
    case he::Notification::Kind::kRecording: return "recording";
    case he::Notification::Kind::kSurvey: return "survey";
    case he::Notification::Kind::kConsultFailed: return "consult_failed";
  }
  return "unknown";
}

}  // namespace

json command_json(const he::Command& c) {
  json j{{"kind", he::command_kind_name(c.kind)}, {"time", c.time}, {"call_id", c.call_id}};
  if (!c.agent_id.empty()) j["agent_id"] = c.agent_id;
  if (!c.queue_id.empty()) j["queue_id"] = c.queue_id;
  if (c.reservation) j["reservation"] = c.reservation;
  if (c.request_id) j["request_id"] = c.request_id;
  if (!c.target.empty()) j["target"] = c.target;
  if (!c.function.empty()) j["function"] = c.function;
  if (!c.args_json.empty()) j["args"] = json::parse(c.args_json, nullptr, false);
  if (!c.leg.empty()) j["leg"] = c.leg;
  if (!c.action.empty()) j["action"] = c.action;
  auto prompts_of = [&c] {
    json prompts = json::array();
    for (const auto& p : c.prompts) {
      prompts.push_back({{p.kind == he::Prompt::Kind::kTts ? "tts" : "audio", p.value}});
    }
    return prompts;
  };
  switch (c.kind) {
    case he::Command::Kind::kPlay:
      j["prompts"] = prompts_of();
      j["barge_in"] = c.barge_in;
      j["loop"] = c.loop;
      break;
    case he::Command::Kind::kHold: j["prompts"] = prompts_of(); break;
    case he::Command::Kind::kMix:
      j["mix"] = json::parse(c.mix_json.empty() ? "{}" : c.mix_json, nullptr, false);
      break;
    case he::Command::Kind::kCollectDigits:
      j["min_digits"] = c.min_digits;
      j["max_digits"] = c.max_digits;
      if (c.terminator) j["terminator"] = std::string(1, c.terminator);
      break;
    case he::Command::Kind::kRecord:
      j["max_ms"] = c.max_ms;
      if (c.finish_key) j["finish_key"] = std::string(1, c.finish_key);
      break;
    default: break;
  }
  return j;
}

json notification_json(const he::Notification& n) {
  json j{{"kind", kind_name(n.kind)}, {"time", n.time}};
  if (n.kind == he::Notification::Kind::kRouting) {
    j["event"] = hotline::routing::output_kind_name(n.routing);
    if (n.routing == hotline::routing::Output::Kind::kAgentStateChanged) {
      j["from"] = hotline::routing::agent_state_name(n.from);
      j["to"] = hotline::routing::agent_state_name(n.to);
    }
    j["value"] = n.value;
  }
  if (n.kind == he::Notification::Kind::kIvrNode) {
    j["node"] = n.text;
    j["event"] = n.value ? "entered" : "left";
  } else if (n.kind == he::Notification::Kind::kContactRefused) {
    j["reason"] = n.text;
  } else if (!n.text.empty()) {
    j["text"] = n.text;
  }
  if (!n.call_id.empty()) j["call_id"] = n.call_id;
  if (!n.agent_id.empty()) j["agent_id"] = n.agent_id;
  if (!n.queue_id.empty()) j["queue_id"] = n.queue_id;
  if (!n.actor.empty()) j["actor"] = n.actor;
  if (n.kind == he::Notification::Kind::kConversation || n.kind == he::Notification::Kind::kLeg ||
      n.kind == he::Notification::Kind::kSurvey) {
    j["value"] = n.value;
  }
  if (n.contact) j["contact"] = n.contact;
  if (n.reservation) j["reservation"] = n.reservation;
  return j;
}

}  // namespace hotline::capi
