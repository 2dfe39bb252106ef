// Decoded prompt audio as the media plane plays it: mono, 8 kHz, 16-bit.
// Shared and immutable, so many legs play one copy.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace hotline::sip::media {

inline constexpr int kSampleRate = 8000;
inline constexpr std::size_t kFrameSamples = 160;  // 20 ms, the packet size on every leg

using AudioClip = std::vector<std::int16_t>;
using SharedClip = std::shared_ptr<const AudioClip>;

}  // namespace hotline::sip::media
