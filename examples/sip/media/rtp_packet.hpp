// An RTP packet seen in place in a receive buffer: the header fields the
// media plane reads, where the payload starts, and in-place rewrites for the
// relay (RFC 3550 section 5.1).
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotline::sip::media {

inline constexpr std::size_t kRtpHeaderSize = 12;

struct RtpView {
  std::uint8_t payload_type = 0;
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
  std::size_t payload_offset = 0;  // after CSRCs and any header extension
  std::size_t payload_size = 0;    // without padding
};

// Decodes the header with libre; false when the packet is shorter than its
// own header says, is not RTP version 2, or has impossible padding.
bool parse_rtp(const std::uint8_t* data, std::size_t size, RtpView* out);

// Writes a fixed 12-byte header (no CSRC, no extension) at `out`.
void write_rtp_header(std::uint8_t* out, std::uint8_t payload_type, bool marker,
                      std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc);

// Rewrites the fixed header of a packet in place, keeping its CSRC and
// extension bits, so a relayed packet needs no copy.
void rewrite_rtp_header(std::uint8_t* packet, std::uint8_t payload_type, bool marker,
                        std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc);

}  // namespace hotline::sip::media
