// The relay between two bridged legs: a packet received on one leg leaves on
// the other rewritten in place, payload untouched when both legs speak the
// same codec and transcoded byte for byte between PCMU and PCMA otherwise.
//
// What is rewritten, and why: the payload type (the receiving phone's own
// numbers from its SDP), and SSRC, sequence number and timestamp mapped onto
// the receiving leg's outgoing stream (see RelayMapping). A phone that heard a
// prompt from the host then hears the other party under the same SSRC with
// the numbers running on, marked as a new talk spurt, instead of a second
// source appearing mid-call; the mapping keeps the sender's gaps and order,
// so the phone's own jitter buffer still sees the loss and reordering as they
// happened. No jitter buffer here: holding packets back only adds delay the
// phones already smooth out themselves.
#pragma once

#include <cstdint>

#include "rtp_leg.hpp"
#include "rtp_packet.hpp"

namespace hotline::sip::media {

// Rewrites `packet` (received on `from`, described by `view`) for `to`.
// False when `to` cannot carry it: a payload type `from` did not negotiate,
// or a telephone event to a phone that did not offer RFC 4733.
bool prepare_relay(const Leg& from, Leg& to, std::uint8_t* packet, const RtpView& view);

}  // namespace hotline::sip::media
