// record_call over real sockets with synthetic tones: one file for the
// whole call, whatever path the caller's audio takes. Left is what the
// caller sends, right is what the caller hears: the agent over the relay,
// the music while held, the sum of a mix (a barging supervisor in it, a
// whispering one not).
#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "media_test_support.hpp"
#include "mixer.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

constexpr double kCallerTone = 400;
constexpr double kAgentTone = 1000;
constexpr double kSupervisorTone = 1800;
constexpr double kMusicTone = 600;
constexpr double kPresent = 1e5;  // a 8000-amplitude tone gives about 1.6e7
constexpr double kAbsent = 1e4;

// Energy of one frequency in the samples (Goertzel), normalised per sample.
double tone_power(const std::vector<std::int16_t>& samples, double frequency) {
  if (samples.empty()) return 0;
  const double coefficient = 2 * std::cos(2 * M_PI * frequency / 8000.0);
  double previous = 0;
  double before = 0;
  for (std::int16_t sample : samples) {
    const double current = sample + coefficient * previous - before;
    before = previous;
    previous = current;
  }
  const double power = previous * previous + before * before - coefficient * previous * before;
  return power / static_cast<double>(samples.size() * samples.size());
}

// One channel of a stereo file, cut into 20 ms frames.
std::vector<std::vector<std::int16_t>> frames_of(const WavContent& wav, std::size_t channel) {
  std::vector<std::vector<std::int16_t>> frames;
  for (std::size_t start = 0; start + 2 * kFrameSamples <= wav.samples.size();
       start += 2 * kFrameSamples) {
    std::vector<std::int16_t>& frame = frames.emplace_back();
    for (std::size_t i = 0; i < kFrameSamples; ++i) {
      frame.push_back(wav.samples[start + 2 * i + channel]);
    }
  }
  return frames;
}

std::vector<std::int16_t> channel_of(const WavContent& wav, std::size_t channel) {
  std::vector<std::int16_t> samples;
  for (std::size_t i = channel; i < wav.samples.size(); i += 2) samples.push_back(wav.samples[i]);
  return samples;
}

struct RecordedCall {
  ScratchDir dir;
  EventLog log;
  std::unique_ptr<MediaServer> server;
  Phone caller;      // leg 1, PCMU
  Phone agent;       // leg 2, PCMA
  Phone supervisor;  // leg 3, PCMU
  std::uint16_t ports[3] = {};
  std::size_t sent = 0;  // frames each phone has sent so far

  RecordedCall() {
    std::string error;
    server = MediaServer::start(config_in(dir), log.events(), &error);
    REQUIRE_MESSAGE(server, error);
    for (LegId leg = 1; leg <= 3; ++leg) {
      ports[leg - 1] = server->open_leg(leg, &error).port;
      REQUIRE(ports[leg - 1] != 0);
    }
    server->set_remote(1, caller.address(), Codec::pcmu, 101);
    server->set_remote(2, agent.address(), Codec::pcma, 101);
    server->set_remote(3, supervisor.address(), Codec::pcmu, 101);
  }

  // Each phone sends its own tone for `frames` 20 ms frames, paced.
  void talk(std::size_t frames) {
    auto low = sine(kCallerTone, 8000, kFrameSamples * frames);
    auto middle = sine(kAgentTone, 8000, kFrameSamples * frames);
    auto high = sine(kSupervisorTone, 8000, kFrameSamples * frames);
    for (std::size_t f = 0; f < frames; ++f, ++sent) {
      auto ts = static_cast<std::uint32_t>(160 * sent);
      auto seq = static_cast<std::uint16_t>(sent);
      caller.send_rtp(0, sent == 0, seq, ts, 0x1, encode(Codec::pcmu, &low[160 * f], 160),
                      ports[0]);
      agent.send_rtp(8, sent == 0, seq, ts, 0x2, encode(Codec::pcma, &middle[160 * f], 160),
                     ports[1]);
      supervisor.send_rtp(0, sent == 0, seq, ts, 0x3,
                          encode(Codec::pcmu, &high[160 * f], 160), ports[2]);
      std::this_thread::sleep_for(20ms);
    }
  }

  // Ends the recording and reads it back; exactly one call recording was
  // reported, for the caller's leg.
  WavContent finish() {
    std::this_thread::sleep_for(100ms);
    server->stop_call_recording(1);
    REQUIRE(log.wait_for([&] { return !log.recordings().empty(); }));
    std::this_thread::sleep_for(100ms);
    auto recordings = log.recordings();
    REQUIRE(recordings.size() == 1);
    auto [leg, result] = recordings[0];
    CHECK(leg == 1);
    CHECK(result.call_recording);
    REQUIRE_MESSAGE(result.ok, result.error);
    WavContent wav = read_wav(result.path);
    CHECK(wav.channels == 2);
    CHECK(wav.samples.size() / 2 == static_cast<std::size_t>(result.duration_ms * 8));
    return wav;
  }
};

}  // namespace

TEST_CASE("a held call's recording is one file: the agent, the music while held, the agent") {
  RecordedCall call;
  write_wav(call.dir.path() / "audio" / "music.wav", sine(kMusicTone, 8000, 4000), 8000, 1);
  call.server->bridge(1, 2, {});
  call.server->record_call(1, "held.wav");
  call.talk(20);
  // Hold: the caller out of the bridge, on music; the agent talks on, unheard.
  call.server->unbridge(1);
  call.server->play(1, {{Prompt::Kind::audio, "music.wav"}}, true);
  call.talk(25);
  call.server->stop_playback(1);
  call.server->bridge(1, 2, {});
  call.talk(20);
  WavContent wav = call.finish();

  auto heard = frames_of(wav, 1);
  // Each 20 ms of what the caller heard is the agent, the music, or neither.
  std::vector<char> kinds;
  int both = 0;
  for (const auto& frame : heard) {
    const bool agent = tone_power(frame, kAgentTone) > kPresent;
    const bool music = tone_power(frame, kMusicTone) > kPresent;
    if (agent && music) ++both;
    kinds.push_back(agent ? 'a' : music ? 'm' : '-');
  }
  const std::string sequence(kinds.begin(), kinds.end());
  INFO("what the caller heard, frame by frame: " << sequence);
  const auto first_music = sequence.find('m');
  const auto last_music = sequence.rfind('m');
  REQUIRE(first_music != std::string::npos);
  const auto agent_before = std::count(sequence.begin(), sequence.begin() +
                                                             static_cast<long>(first_music), 'a');
  const auto agent_after = std::count(sequence.begin() + static_cast<long>(last_music),
                                      sequence.end(), 'a');
  const auto music = std::count(sequence.begin(), sequence.end(), 'm');
  CHECK(agent_before >= 15);
  CHECK(agent_after >= 15);
  CHECK(music >= 20);
  // While held the agent is not heard: the music span holds no agent frame
  // beyond the edges' jitter.
  const auto agent_while_held =
      std::count(sequence.begin() + static_cast<long>(first_music),
                 sequence.begin() + static_cast<long>(last_music), 'a');
  CHECK(agent_while_held <= 2);
  CHECK(both <= 2);
  // The caller's own channel: the caller throughout, never the agent or music.
  auto said = channel_of(wav, 0);
  CHECK(tone_power(said, kCallerTone) > kPresent);
  CHECK(tone_power(said, kAgentTone) < kAbsent);
  CHECK(tone_power(said, kMusicTone) < kAbsent);
}

TEST_CASE("a barged call's recording has the supervisor beside the agent on the caller's side") {
  RecordedCall call;
  call.server->bridge(1, 2, {});
  call.server->record_call(1, "barged.wav");
  call.talk(10);
  call.server->mix({{1, {2, 3}}, {2, {1, 3}}, {3, {1, 2}}});
  call.talk(25);
  WavContent wav = call.finish();
  auto heard = channel_of(wav, 1);
  CHECK(tone_power(heard, kAgentTone) > kPresent);
  CHECK(tone_power(heard, kSupervisorTone) > kPresent);
  CHECK(tone_power(heard, kCallerTone) < kAbsent);  // the caller does not hear itself
  auto said = channel_of(wav, 0);
  CHECK(tone_power(said, kCallerTone) > kPresent);
  CHECK(tone_power(said, kSupervisorTone) < kAbsent);
}

TEST_CASE("a whispered call's recording has no trace of the supervisor") {
  RecordedCall call;
  call.server->record_call(1, "whispered.wav");
  call.server->mix({{1, {2}}, {2, {1, 3}}, {3, {1, 2}}});
  call.talk(30);
  WavContent wav = call.finish();
  auto heard = channel_of(wav, 1);
  CHECK(tone_power(heard, kAgentTone) > kPresent);
  CHECK(tone_power(heard, kSupervisorTone) < kAbsent);
  CHECK(tone_power(channel_of(wav, 0), kSupervisorTone) < kAbsent);
  // The agent did hear the whisper: the mix ran, the recording left it out.
  CHECK(call.server->stats().packets_mixed > 0);
}

TEST_CASE("a paused call recording resumes in the same file through a mix") {
  RecordedCall call;
  call.server->bridge(1, 2, {});
  call.server->record_call(1, "paused.wav");
  call.talk(15);
  call.server->pause_call_recording(1, true);
  call.server->mix({{1, {2, 3}}, {2, {1, 3}}, {3, {1, 2}}});  // a barge while paused
  call.talk(25);
  call.server->pause_call_recording(1, false);
  call.server->mix({{1, {2}}, {2, {1}}});  // back to the plain pair
  call.talk(15);
  WavContent wav = call.finish();
  // About 30 frames of the 55 talked (plus the lead-in and tail), and the
  // barge, said while paused, is not in it.
  const std::size_t frames = wav.samples.size() / 2 / kFrameSamples;
  CHECK(frames >= 25);
  CHECK(frames <= 30 + 15);
  CHECK(tone_power(channel_of(wav, 1), kSupervisorTone) < kAbsent);
  CHECK(tone_power(channel_of(wav, 1), kAgentTone) > kPresent);
}

TEST_CASE("a call recording outside recordings_dir is refused with the reason") {
  RecordedCall call;
  call.server->record_call(1, call.dir.path() / "elsewhere.wav");
  REQUIRE(call.log.wait_for([&] { return !call.log.recordings().empty(); }));
  auto [leg, result] = call.log.recordings()[0];
  CHECK(leg == 1);
  CHECK(result.call_recording);
  CHECK_FALSE(result.ok);
  CHECK_MESSAGE(result.error.find("outside recordings_dir") != std::string::npos, result.error);
}

TEST_CASE("closing the caller's leg ends its call recording with what was written") {
  RecordedCall call;
  call.server->bridge(1, 2, {});
  call.server->record_call(1, "closed.wav");
  call.talk(10);
  call.server->close_leg(1);
  REQUIRE(call.log.wait_for([&] { return !call.log.recordings().empty(); }));
  auto [leg, result] = call.log.recordings()[0];
  CHECK(leg == 1);
  CHECK(result.ok);
  CHECK(result.duration_ms >= 150);
  CHECK(tone_power(channel_of(read_wav(result.path), 1), kAgentTone) > kPresent);
}
