// What the router says back. Offer and Rescind are commands for the
// telephony side (ring an agent's device, stop ringing it); everything else
// is a notification for listeners. Plain data, so emitting one never
// allocates beyond the output vector's growth.
#pragma once

#include <cstdint>

#include "hotline/routing/types.hpp"
#include "hotline/util/time.hpp"

namespace hotline::routing {

struct Output {
  enum class Kind : std::uint8_t {
    kOffer,              // command: offer `contact` to `agent` (reservation)
    kRescind,            // command: withdraw the offer (reservation)
    kAgentStateChanged,  // from → to
    kContactQueued,      // value: position (1 = next)
    kContactResumed,     // value: milliseconds of the earlier place kept
    kOfferAccepted,      // the contact is connected to the agent
    kOfferRejected,      // value: the agent's consecutive no-answers
    kOfferTimedOut,      // value: the agent's consecutive no-answers
    kContactRequeued,    // back in its original place after a rejected offer
    kContactAbandoned,   // value: milliseconds waited; agent set if it was ringing
    kContactRemoved,     // taken out of the queue by the host or the IVR
    kContactCompleted,   // conversation over; value: talk milliseconds
    kWrapUpEnded,        // the agent finished after-contact work for `contact`
    kQueueOverflow,      // the contact waited the queue's max wait; value: ms waited
    kRingWidened,        // value: the contact's new ring index
    kPreferredFallback,  // the preferred agent did not take it in time
    kAgentAutoNotReady,  // value: consecutive no-answers that triggered it
    kContactRefused,     // the queue was full (no contact id); value: contacts waiting
  };

  Kind kind;
  AgentState from = AgentState::kLoggedOut;
  AgentState to = AgentState::kLoggedOut;
  TimeMs time = 0;
  ContactId contact = 0;
  ReservationId reservation = 0;
  AgentIndex agent = kNoIndex;
  QueueIndex queue = kNoIndex;
  std::int64_t value = 0;

  bool is_command() const noexcept { return kind == Kind::kOffer || kind == Kind::kRescind; }
};

const char* output_kind_name(Output::Kind kind) noexcept;

}  // namespace hotline::routing
