#include "telephone_event.hpp"

extern "C" {
#include <re/re_types.h>
#include <re/re_telev.h>
}

namespace hotline::sip::media {

bool parse_telephone_event(const std::uint8_t* payload, std::size_t size, TelephoneEvent* out) {
  if (size < 4) return false;
  out->code = payload[0];
  out->end = (payload[1] & 0x80) != 0;
  out->duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]);
  return true;
}

std::optional<char> TelephoneEventDetector::on_packet(std::uint32_t rtp_timestamp,
                                                      const std::uint8_t* payload,
                                                      std::size_t size) {
  TelephoneEvent event;
  if (!parse_telephone_event(payload, size, &event)) return std::nullopt;
  if (has_last_ && rtp_timestamp == last_timestamp_) return std::nullopt;  // a repeat
  int key = telev_code2digit(event.code);
  if (key < 0) return std::nullopt;  // a tone or line event, not a key
  has_last_ = true;
  last_timestamp_ = rtp_timestamp;
  return static_cast<char>(key);
}

}  // namespace hotline::sip::media
