// Writes 8 kHz 16-bit PCM WAV files with libsndfile, buffering about a
// second so the media thread makes one write a second per file, not fifty.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct sf_private_tag;

namespace hotline::sip::media {

class WavWriter {
 public:
  WavWriter() = default;
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;
  ~WavWriter();

  // Creates missing parent directories. False and `error` when the file
  // cannot be created.
  bool open(const std::filesystem::path& file, int channels, std::string* error);
  // Interleaved samples, `frames` per channel.
  void write(const std::int16_t* samples, std::size_t frames);
  void write_silence(std::size_t frames);
  // Flushes and closes; false and `error` if any write failed.
  bool close(std::string* error);

  std::int64_t frames_written() const { return frames_written_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void flush();

  sf_private_tag* file_ = nullptr;
  std::filesystem::path path_;
  int channels_ = 1;
  std::vector<std::int16_t> pending_;
  std::int64_t frames_written_ = 0;
  std::string write_error_;
};

}  // namespace hotline::sip::media
