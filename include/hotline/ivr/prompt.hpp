#pragma once

#include <cstdint>
#include <string>

namespace hotline::ivr {

// A prompt is an audio URI or text for the host's speech synthesis. Text may
// hold ${path} placeholders, filled from the session's variables when played.
struct Prompt {
  enum class Kind : std::uint8_t { kAudio, kTts };
  Kind kind = Kind::kAudio;
  std::string value;
};

}  // namespace hotline::ivr
