#include "wav_writer.hpp"

#include <sndfile.h>

#include <system_error>

#include "audio_clip.hpp"

namespace hotline::sip::media {

WavWriter::~WavWriter() {
  std::string ignored;
  close(&ignored);
}

bool WavWriter::open(const std::filesystem::path& file, int channels, std::string* error) {
  std::error_code directory_error;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(),
                                                                  directory_error);
  SF_INFO info{};
  info.samplerate = kSampleRate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  file_ = sf_open(file.c_str(), SFM_WRITE, &info);
  if (file_ == nullptr) {
    *error = "cannot create recording '" + file.string() + "': " + sf_strerror(nullptr);
    return false;
  }
  path_ = file;
  channels_ = channels;
  pending_.reserve(static_cast<std::size_t>(kSampleRate * channels));
  return true;
}

void WavWriter::write(const std::int16_t* samples, std::size_t frames) {
  if (file_ == nullptr) return;
  pending_.insert(pending_.end(), samples, samples + frames * static_cast<std::size_t>(channels_));
  frames_written_ += static_cast<std::int64_t>(frames);
  if (pending_.size() >= static_cast<std::size_t>(kSampleRate * channels_)) flush();
}

void WavWriter::write_silence(std::size_t frames) {
  if (file_ == nullptr) return;
  pending_.insert(pending_.end(), frames * static_cast<std::size_t>(channels_), 0);
  frames_written_ += static_cast<std::int64_t>(frames);
  if (pending_.size() >= static_cast<std::size_t>(kSampleRate * channels_)) flush();
}

void WavWriter::flush() {
  if (pending_.empty()) return;
  auto frames = static_cast<sf_count_t>(pending_.size() / static_cast<std::size_t>(channels_));
  if (sf_writef_short(file_, pending_.data(), frames) != frames && write_error_.empty()) {
    write_error_ = "cannot write recording '" + path_.string() + "': " + sf_strerror(file_);
  }
  pending_.clear();
}

bool WavWriter::close(std::string* error) {
  if (file_ == nullptr) return true;
  flush();
  if (sf_close(file_) != 0 && write_error_.empty()) {
    write_error_ = "cannot close recording '" + path_.string() + "'";
  }
  file_ = nullptr;
  if (!write_error_.empty()) {
    *error = write_error_;
    return false;
  }
  return true;
}

}  // namespace hotline::sip::media
