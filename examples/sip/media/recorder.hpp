// Records what one leg's phone sends, decoded, to a mono WAV (voicemail, the
// IVR's record node). Audio is placed by RTP timestamp: a lost packet leaves
// silence of its length, so the file keeps the caller's timing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "media_server.hpp"
#include "wav_writer.hpp"

namespace hotline::sip::media {

class Recorder {
 public:
  static std::unique_ptr<Recorder> open(const std::filesystem::path& file, std::int64_t max_ms,
                                        char finish_key, std::uint64_t now_ms,
                                        std::string* error);

  void on_audio(std::uint32_t rtp_timestamp, const std::int16_t* pcm, std::size_t count);

  bool full() const { return writer_.frames_written() >= max_samples_; }
  // A phone that stops sending (silence suppression, a dead line) must not
  // keep a recording open forever: past max_ms of wall time plus a grace
  // for late packets, the recording ends with what it has.
  bool overdue(std::uint64_t now_ms) const;
  char finish_key() const { return finish_key_; }

  RecordingResult finish(char by_key);

 private:
  WavWriter writer_;
  std::int64_t max_samples_ = 0;
  std::int64_t max_ms_ = 0;
  std::uint64_t started_ms_ = 0;
  char finish_key_ = 0;
  bool has_timestamp_ = false;
  std::uint32_t next_timestamp_ = 0;
};

}  // namespace hotline::sip::media
