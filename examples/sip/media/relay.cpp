#include "relay.hpp"

#include "g711.hpp"

namespace hotline::sip::media {
namespace {

bool newer(std::uint16_t a, std::uint16_t b) { return static_cast<std::int16_t>(a - b) > 0; }
bool newer(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }

}  // namespace

bool prepare_relay(const Leg& from, Leg& to, std::uint8_t* packet, const RtpView& view) {
  bool is_event = from.telephone_event_type >= 0 && view.payload_type == from.telephone_event_type;
  std::uint8_t payload_type = 0;
  if (is_event) {
    if (to.telephone_event_type < 0) return false;
    payload_type = static_cast<std::uint8_t>(to.telephone_event_type);
  } else if (view.payload_type == static_cast<std::uint8_t>(from.codec)) {
    payload_type = static_cast<std::uint8_t>(to.codec);
    g711_transcode(from.codec, to.codec, packet + view.payload_offset, view.payload_size);
  } else {
    return false;
  }

  RelayMapping& mapping = to.relay_in;
  bool new_source = !mapping.mapped || mapping.source_ssrc != view.ssrc;
  if (new_source) {
    mapping.mapped = true;
    mapping.source_ssrc = view.ssrc;
    mapping.sequence_offset = static_cast<std::uint16_t>(to.out.next_sequence - view.sequence);
    mapping.timestamp_offset = to.out.next_timestamp - view.timestamp;
  }
  auto sequence = static_cast<std::uint16_t>(view.sequence + mapping.sequence_offset);
  std::uint32_t timestamp = view.timestamp + mapping.timestamp_offset;
  rewrite_rtp_header(packet, payload_type, view.marker || new_source, sequence, timestamp,
                     to.out.ssrc);

  auto following = static_cast<std::uint16_t>(sequence + 1);
  if (newer(following, to.out.next_sequence)) to.out.next_sequence = following;
  // An event's timestamp is its start; only audio moves the clock on.
  std::uint32_t end = is_event ? timestamp : timestamp + static_cast<std::uint32_t>(
                                                           view.payload_size);
  if (newer(end, to.out.next_timestamp)) to.out.next_timestamp = end;
  return true;
}

}  // namespace hotline::sip::media
