// G.711 µ-law (PCMU) and A-law (PCMA), through librem's tables: one byte per
// 8 kHz sample, so a frame's payload length equals its sample count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "media_server.hpp"

namespace hotline::sip::media {

void g711_encode(Codec codec, const std::int16_t* pcm, std::size_t count, std::uint8_t* out);
void g711_decode(Codec codec, const std::uint8_t* payload, std::size_t count, std::int16_t* out);

// Rewrites a payload from one law to the other in place. Going through linear
// PCM keeps the conversion exactly what decode-then-encode would give.
void g711_transcode(Codec from, Codec to, std::uint8_t* payload, std::size_t count);

}  // namespace hotline::sip::media
