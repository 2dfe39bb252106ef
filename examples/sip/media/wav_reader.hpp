// Reads any file libsndfile reads (WAV in any of its encodings, AIFF, FLAC,
// ...) into the media plane's format: channels mixed down to mono and the
// rate converted to 8 kHz with libsamplerate.
#pragma once

#include <filesystem>
#include <string>

#include "audio_clip.hpp"

namespace hotline::sip::media {

// Empty clip and `error` (naming the file) when it cannot be read or is empty.
AudioClip read_audio_file(const std::filesystem::path& file, std::string* error);

}  // namespace hotline::sip::media
