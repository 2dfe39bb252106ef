// Records a bridged call to a stereo WAV: left is what leg a's phone sends,
// right is leg b's. Each 20 ms tick writes one 160-sample frame per channel
// from what arrived since, padding a channel with silence when its packet is
// missing, so the two sides stay aligned with each other and with wall time
// however their packets are lost or delayed.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "media_server.hpp"
#include "wav_writer.hpp"

namespace hotline::sip::media {

class StereoRecorder {
 public:
  static std::unique_ptr<StereoRecorder> open(const std::filesystem::path& file,
                                              std::string* error);

  // channel 0: left (leg a), 1: right (leg b).
  void on_audio(int channel, const std::int16_t* pcm, std::size_t count);
  // Writes `frames` 20 ms frames (usually 1; more after a stalled loop).
  void on_tick(std::uint64_t frames);
  // While paused nothing is written: what is said then (a card number read
  // out) is not in the file, which resumes where it left off.
  void set_paused(bool paused);
  bool paused() const { return paused_; }

  RecordingResult finish();

 private:
  WavWriter writer_;
  // Decoded audio waiting for its tick; capped so a burst cannot grow it.
  std::array<std::vector<std::int16_t>, 2> waiting_;
  std::vector<std::int16_t> frame_;  // one interleaved frame
  bool paused_ = false;
};

}  // namespace hotline::sip::media
