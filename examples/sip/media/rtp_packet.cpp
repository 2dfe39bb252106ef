#include "rtp_packet.hpp"

extern "C" {
#include <re/re_types.h>
#include <re/re_mbuf.h>
#include <re/re_sa.h>
#include <re/re_rtp.h>
}

namespace hotline::sip::media {
namespace {

void put_u16(std::uint8_t* out, std::uint16_t value) {
  out[0] = static_cast<std::uint8_t>(value >> 8);
  out[1] = static_cast<std::uint8_t>(value);
}

void put_u32(std::uint8_t* out, std::uint32_t value) {
  out[0] = static_cast<std::uint8_t>(value >> 24);
  out[1] = static_cast<std::uint8_t>(value >> 16);
  out[2] = static_cast<std::uint8_t>(value >> 8);
  out[3] = static_cast<std::uint8_t>(value);
}

}  // namespace

bool parse_rtp(const std::uint8_t* data, std::size_t size, RtpView* out) {
  if (size < kRtpHeaderSize || (data[0] >> 6) != 2) return false;
  // libre reads through an mbuf; this one only borrows the receive buffer
  // (rtp_hdr_decode never writes or grows it).
  mbuf buffer{};
  buffer.buf = const_cast<std::uint8_t*>(data);
  buffer.size = size;
  buffer.pos = 0;
  buffer.end = size;
  rtp_header header{};
  if (rtp_hdr_decode(&header, &buffer) != 0 || header.ver != 2) return false;
  std::size_t payload_end = size;
  if (header.pad) {
    std::size_t padding = data[size - 1];
    if (padding == 0 || padding > size - buffer.pos) return false;
    payload_end -= padding;
  }
  out->payload_type = header.pt;
  out->marker = header.m;
  out->sequence = header.seq;
  out->timestamp = header.ts;
  out->ssrc = header.ssrc;
  out->payload_offset = buffer.pos;
  out->payload_size = payload_end - buffer.pos;
  return true;
}

void write_rtp_header(std::uint8_t* out, std::uint8_t payload_type, bool marker,
                      std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc) {
  out[0] = 0x80;  // version 2, no padding, no extension, no CSRC
  out[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7f));
  put_u16(out + 2, sequence);
  put_u32(out + 4, timestamp);
  put_u32(out + 8, ssrc);
}

void rewrite_rtp_header(std::uint8_t* packet, std::uint8_t payload_type, bool marker,
                        std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc) {
  packet[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7f));
  put_u16(packet + 2, sequence);
  put_u32(packet + 4, timestamp);
  put_u32(packet + 8, ssrc);
}

}  // namespace hotline::sip::media
