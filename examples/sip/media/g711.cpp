#include "g711.hpp"

#include <array>

extern "C" {
#include <re/re_types.h>
#include <rem/rem_g711.h>
}

namespace hotline::sip::media {
namespace {

using Table = std::array<std::uint8_t, 256>;

// Built once from librem's per-sample functions so transcoding a relayed
// packet is one table lookup per byte.
struct TranscodeTables {
  Table ulaw_to_alaw{};
  Table alaw_to_ulaw{};
  TranscodeTables() {
    for (int byte = 0; byte < 256; ++byte) {
      auto b = static_cast<std::uint8_t>(byte);
      ulaw_to_alaw[b] = g711_pcm2alaw(g711_ulaw2pcm(b));
      alaw_to_ulaw[b] = g711_pcm2ulaw(g711_alaw2pcm(b));
    }
  }
};

const TranscodeTables& transcode_tables() {
  static const TranscodeTables tables;
  return tables;
}

}  // namespace

void g711_encode(Codec codec, const std::int16_t* pcm, std::size_t count, std::uint8_t* out) {
  if (codec == Codec::pcmu) {
    for (std::size_t i = 0; i < count; ++i) out[i] = g711_pcm2ulaw(pcm[i]);
  } else {
    for (std::size_t i = 0; i < count; ++i) out[i] = g711_pcm2alaw(pcm[i]);
  }
}

void g711_decode(Codec codec, const std::uint8_t* payload, std::size_t count, std::int16_t* out) {
  if (codec == Codec::pcmu) {
    for (std::size_t i = 0; i < count; ++i) out[i] = g711_ulaw2pcm(payload[i]);
  } else {
    for (std::size_t i = 0; i < count; ++i) out[i] = g711_alaw2pcm(payload[i]);
  }
}

void g711_transcode(Codec from, Codec to, std::uint8_t* payload, std::size_t count) {
  if (from == to) return;
  const Table& table = from == Codec::pcmu ? transcode_tables().ulaw_to_alaw
                                           : transcode_tables().alaw_to_ulaw;
  for (std::size_t i = 0; i < count; ++i) payload[i] = table[payload[i]];
}

}  // namespace hotline::sip::media
