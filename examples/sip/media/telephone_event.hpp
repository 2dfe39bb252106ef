// RFC 4733 telephone events (DTMF) received on a leg. A sender repeats each
// event's packets while the key is held and sends its end packet three
// times; every packet of one key press carries the same RTP timestamp, so the
// timestamp is what tells a new press from a repeat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace hotline::sip::media {

struct TelephoneEvent {
  int code = 0;  // 0-9, 10 '*', 11 '#', 12-15 'A'-'D', others not DTMF
  bool end = false;
  std::uint16_t duration = 0;  // in timestamp units
};

// False when the payload is shorter than the 4-byte event format.
bool parse_telephone_event(const std::uint8_t* payload, std::size_t size, TelephoneEvent* out);

// Reports each key press once, on its first packet that arrives.
class TelephoneEventDetector {
 public:
  // The key ('0'-'9', '*', '#', 'A'-'D') when this packet starts a new press.
  std::optional<char> on_packet(std::uint32_t rtp_timestamp, const std::uint8_t* payload,
                                std::size_t size);

 private:
  bool has_last_ = false;
  std::uint32_t last_timestamp_ = 0;
};

}  // namespace hotline::sip::media
