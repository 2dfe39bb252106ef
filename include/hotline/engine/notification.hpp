// What the engine tells listeners: the life of calls, contacts and agents.
// Routing notifications carry the router's Output kind; the engine adds the
// call-level ones.
#pragma once

#include <cstdint>
#include <string>

#include "hotline/routing/output.hpp"
#include "hotline/util/time.hpp"

namespace hotline::engine {

struct Notification {
  enum class Kind : std::uint8_t {
    kRouting,        // see `routing`: offers, answers, abandons, agent states...
    kCallStarted,    // a call entered the engine
    kCallEnded,      // the call left: `text` says how (hangup, transfer, ...)
    kIvrNode,        // the call's IVR session entered (value 1) or left (value 0) node `text`
    kIvrError,       // a flow failed at run time; `text` says where
    kContactQueued,  // a call became a queued contact (`contact`, `queue_id`)
    kTransferred,    // an agent sent the call on: from `queue_id` and `agent_id` to `text`
    kContactRefused,  // `queue_id` turned the call away (full, ...): `text` says why
    // Live call control (docs/call-control.md).
    kConversation,  // the call's conversation entered state `text` (connected, held,
                    // consulting, conference, ended); `agent_id` owns it, `queue_id`
                    // answered it; `value` the ms the state it left lasted (so the
                    // one after "held" is a hold time). Transfers to an agent or a
                    // number are kTransferred with `text` the agent id or number.
    kLeg,           // leg `text` joined (value 1) or left (value 0) the call; `actor`
                    // the agent or supervisor on it (empty for a number)
    kWrapUpCode,    // `agent_id` gave the call the disposition `text`
    kSupervision,   // audit: supervisor `actor` did `text` (monitor, whisper, barge,
                    // take_over, force_release, force_not_ready, force_logout) to the
                    // call `call_id` and/or the agent `agent_id`
    kRecording,     // the call's recording did `text` (start, stop, pause, resume)
    kSurvey,        // the caller's post-call survey ended: `value` the score (1 to 5,
                    // 0 = not rated) for the call `call_id` that `agent_id` handled
                    // in `queue_id`
    kConsultFailed,  // the consultation of queue `queue_id` found no agent: `text` says
                     // why (no_agents, timeout, overflow); the call is held again
                     // (`agent_id` owns it)
  };

  Kind kind;
  routing::Output::Kind routing = routing::Output::Kind::kOffer;
  routing::AgentState from = routing::AgentState::kLoggedOut;
  routing::AgentState to = routing::AgentState::kLoggedOut;
  TimeMs time = 0;
  std::string call_id;
  std::string agent_id;
  std::string queue_id;
  std::uint64_t contact = 0;
  std::uint64_t reservation = 0;
  std::int64_t value = 0;
  std::string text;
  std::string actor;  // kSupervision: the supervisor; kLeg: who is on the leg
};

}  // namespace hotline::engine
