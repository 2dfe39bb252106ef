#include "recorder.hpp"

#include <algorithm>

#include "audio_clip.hpp"

namespace hotline::sip::media {
namespace {

constexpr std::uint64_t kOverdueGraceMs = 1000;
// A timestamp jump larger than this is a new stream (the phone restarted
// its clock), not lost packets: it is not filled with silence.
constexpr std::int32_t kMaxGapSamples = 5 * kSampleRate;

}  // namespace

std::unique_ptr<Recorder> Recorder::open(const std::filesystem::path& file, std::int64_t max_ms,
                                         char finish_key, std::uint64_t now_ms,
                                         std::string* error) {
  if (max_ms <= 0) {
    *error = "max_ms must be positive (got " + std::to_string(max_ms) + ")";
    return nullptr;
  }
  std::unique_ptr<Recorder> recorder(new Recorder());
  if (!recorder->writer_.open(file, 1, error)) return nullptr;
  recorder->max_ms_ = max_ms;
  recorder->max_samples_ = max_ms * kSampleRate / 1000;
  recorder->started_ms_ = now_ms;
  recorder->finish_key_ = finish_key;
  return recorder;
}

void Recorder::on_audio(std::uint32_t rtp_timestamp, const std::int16_t* pcm, std::size_t count) {
  if (has_timestamp_) {
    auto gap = static_cast<std::int32_t>(rtp_timestamp - next_timestamp_);
    if (gap < 0) return;  // late or repeated: its time is already written
    if (gap > 0 && gap <= kMaxGapSamples) {
      std::int64_t room = max_samples_ - writer_.frames_written();
      writer_.write_silence(static_cast<std::size_t>(std::min<std::int64_t>(gap, room)));
    }
  }
  has_timestamp_ = true;
  next_timestamp_ = rtp_timestamp + static_cast<std::uint32_t>(count);
  std::int64_t room = max_samples_ - writer_.frames_written();
  if (room <= 0) return;
  writer_.write(pcm, static_cast<std::size_t>(std::min<std::int64_t>(room, count)));
}

bool Recorder::overdue(std::uint64_t now_ms) const {
  return now_ms >= started_ms_ + static_cast<std::uint64_t>(max_ms_) + kOverdueGraceMs;
}

RecordingResult Recorder::finish(char by_key) {
  RecordingResult result;
  result.path = writer_.path();
  result.duration_ms = writer_.frames_written() * 1000 / kSampleRate;
  result.finish_key = by_key;
  std::string error;
  if (!writer_.close(&error)) {
    result.ok = false;
    result.error = error;
  }
  return result;
}

}  // namespace hotline::sip::media
