#include "stereo_recorder.hpp"

#include <algorithm>

#include "audio_clip.hpp"

namespace hotline::sip::media {
namespace {

// 100 ms of jitter absorbed per channel; older audio beyond it is dropped.
constexpr std::size_t kMaxWaitingSamples = 5 * kFrameSamples;

}  // namespace

std::unique_ptr<StereoRecorder> StereoRecorder::open(const std::filesystem::path& file,
                                                     std::string* error) {
  std::unique_ptr<StereoRecorder> recorder(new StereoRecorder());
  if (!recorder->writer_.open(file, 2, error)) return nullptr;
  for (auto& waiting : recorder->waiting_) waiting.reserve(kMaxWaitingSamples + 1500);
  recorder->frame_.resize(2 * kFrameSamples);
  return recorder;
}

void StereoRecorder::set_paused(bool paused) {
  paused_ = paused;
  for (auto& waiting : waiting_) waiting.clear();
}

void StereoRecorder::on_audio(int channel, const std::int16_t* pcm, std::size_t count) {
  if (paused_) return;
  auto& waiting = waiting_[static_cast<std::size_t>(channel)];
  waiting.insert(waiting.end(), pcm, pcm + count);
  if (waiting.size() > kMaxWaitingSamples) {
    waiting.erase(waiting.begin(),
                  waiting.begin() + static_cast<std::ptrdiff_t>(waiting.size() -
                                                                kMaxWaitingSamples));
  }
}

void StereoRecorder::on_tick(std::uint64_t frames) {
  if (paused_) return;
  for (std::uint64_t f = 0; f < frames; ++f) {
    std::fill(frame_.begin(), frame_.end(), 0);
    for (std::size_t channel = 0; channel < 2; ++channel) {
      auto& waiting = waiting_[channel];
      std::size_t take = std::min(waiting.size(), kFrameSamples);
      for (std::size_t i = 0; i < take; ++i) frame_[2 * i + channel] = waiting[i];
      waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(take));
    }
    writer_.write(frame_.data(), kFrameSamples);
  }
}

RecordingResult StereoRecorder::finish() {
  RecordingResult result;
  result.path = writer_.path();
  result.call_recording = true;
  result.duration_ms = writer_.frames_written() * 1000 / kSampleRate;
  std::string error;
  if (!writer_.close(&error)) {
    result.ok = false;
    result.error = error;
  }
  return result;
}

}  // namespace hotline::sip::media
