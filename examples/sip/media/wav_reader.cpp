#include "wav_reader.hpp"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace hotline::sip::media {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};

// libsndfile scales 16-bit input by 1/32768, so the inverse gives back the
// file's own samples exactly.
std::int16_t to_pcm16(float sample) {
  float scaled = std::round(sample * 32768.0f);
  return static_cast<std::int16_t>(std::clamp(scaled, -32768.0f, 32767.0f));
}

}  // namespace

AudioClip read_audio_file(const std::filesystem::path& file, std::string* error) {
  SF_INFO info{};
  std::unique_ptr<SNDFILE, SndfileCloser> sound(sf_open(file.c_str(), SFM_READ, &info));
  if (!sound) {
    *error = "cannot read audio file '" + file.string() + "': " + sf_strerror(nullptr);
    return {};
  }
  if (info.frames <= 0 || info.channels <= 0 || info.samplerate <= 0) {
    *error = "audio file '" + file.string() + "' holds no audio";
    return {};
  }
  // Floats through the mixdown and the resampler keep full precision until
  // the one final rounding to 16 bits.
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) *
                                 static_cast<std::size_t>(info.channels));
  sf_count_t frames = sf_readf_float(sound.get(), interleaved.data(), info.frames);
  if (frames <= 0) {
    *error = "cannot decode audio file '" + file.string() + "': " + sf_strerror(sound.get());
    return {};
  }
  std::vector<float> mono(static_cast<std::size_t>(frames));
  for (std::size_t frame = 0; frame < mono.size(); ++frame) {
    float sum = 0;
    for (int channel = 0; channel < info.channels; ++channel) {
      sum += interleaved[frame * static_cast<std::size_t>(info.channels) +
                         static_cast<std::size_t>(channel)];
    }
    mono[frame] = sum / static_cast<float>(info.channels);
  }

  std::vector<float> resampled;
  if (info.samplerate == kSampleRate) {
    resampled = std::move(mono);
  } else {
    double ratio = static_cast<double>(kSampleRate) / info.samplerate;
    resampled.resize(static_cast<std::size_t>(std::ceil(mono.size() * ratio)) + 16);
    SRC_DATA data{};
    data.data_in = mono.data();
    data.input_frames = static_cast<long>(mono.size());
    data.data_out = resampled.data();
    data.output_frames = static_cast<long>(resampled.size());
    data.src_ratio = ratio;
    int status = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1);
    if (status != 0) {
      *error = "cannot resample audio file '" + file.string() + "' from " +
               std::to_string(info.samplerate) + " Hz: " + src_strerror(status);
      return {};
    }
    resampled.resize(static_cast<std::size_t>(data.output_frames_gen));
  }

  AudioClip clip(resampled.size());
  std::transform(resampled.begin(), resampled.end(), clip.begin(), to_pcm16);
  return clip;
}

}  // namespace hotline::sip::media
