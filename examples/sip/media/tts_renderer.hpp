// Renders text to speech with the espeak-ng program into the tts cache: one
// WAV per (voice, text), named by a hash of both, so a text is spoken once
// per cache directory, ever. Blocking: the media thread calls it from libuv's
// worker pool, never from its own loop.
#pragma once

#include <filesystem>
#include <string>

namespace hotline::sip::media {

// The cache file for (voice, text), whether or not it exists yet.
std::filesystem::path tts_cache_file(const std::filesystem::path& cache_dir,
                                     const std::string& voice, const std::string& text);

// Runs `espeak-ng -v voice -w <temp> -- text`, then renames the temp file to
// `target`: a crash or a failed run never leaves half a cache entry under the
// real name. False and `error` (with espeak-ng's exit status) on failure.
bool render_tts(const std::string& voice, const std::string& text,
                const std::filesystem::path& target, std::string* error);

}  // namespace hotline::sip::media
