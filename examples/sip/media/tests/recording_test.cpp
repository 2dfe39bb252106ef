// Recordings: a leg's received audio to a mono WAV (max_ms, finish key,
// stop, lost packets as silence), and a bridged call to an aligned stereo WAV.
#include <doctest/doctest.h>

#include <cmath>
#include <thread>

#include "media_test_support.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

struct RecordingLeg {
  ScratchDir dir;
  EventLog log;
  std::unique_ptr<MediaServer> server;
  Phone phone;
  LocalEndpoint endpoint;

  RecordingLeg() {
    std::string error;
    server = MediaServer::start(config_in(dir), log.events(), &error);
    REQUIRE_MESSAGE(server, error);
    endpoint = server->open_leg(1, &error);
    server->set_remote(1, phone.address(), Codec::pcma, 101);
  }

  // Sends `frames` 20 ms PCMA frames of `audio` from frame `first`, paced.
  void send(const std::vector<std::int16_t>& audio, std::size_t first, std::size_t frames,
            std::size_t skip_frame = SIZE_MAX) {
    for (std::size_t f = first; f < first + frames; ++f) {
      if (f != skip_frame) {
        auto payload = encode(Codec::pcma, audio.data() + f * 160, 160);
        phone.send_rtp(8, f == 0, static_cast<std::uint16_t>(500 + f),
                       static_cast<std::uint32_t>(1000 + 160 * f), 0xabc, payload, endpoint.port);
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  RecordingResult wait_recording() {
    REQUIRE(log.wait_for([&] { return !log.recordings().empty(); }));
    return log.recordings()[0].second;
  }
};

}  // namespace

TEST_CASE("a recording ends at the finish key, which is not recorded, and fills lost packets") {
  RecordingLeg leg;
  auto audio = sine(400, 9000, 8000);
  leg.server->record(1, "voicemail/caller.wav", 10000, '#');
  std::this_thread::sleep_for(50ms);
  leg.send(audio, 0, 25, /*skip_frame=*/10);  // 500 ms with one packet lost
  std::vector<std::uint8_t> pound = {11, 0x80 | 10, 0x03, 0x20};
  for (int i = 0; i < 3; ++i) {
    leg.phone.send_rtp(101, false, 600, 5000, 0xabc, pound, leg.endpoint.port);
  }

  RecordingResult result = leg.wait_recording();
  CHECK(result.ok);
  CHECK(result.finish_key == '#');
  CHECK(result.duration_ms == 500);
  CHECK(result.path == leg.dir.path() / "recordings" / "voicemail" / "caller.wav");
  CHECK(leg.log.digits().empty());  // the finish key ends the recording; it is no digit

  WavContent wav = read_wav(result.path);
  CHECK(wav.rate == 8000);
  CHECK(wav.channels == 1);
  REQUIRE(wav.samples.size() == 4000);
  for (std::size_t i = 0; i < 4000; ++i) {
    bool lost = i >= 1600 && i < 1760;
    int expected = lost ? 0 : audio[i];
    if (std::abs(wav.samples[i] - expected) > (lost ? 0 : g711_tolerance(expected))) {
      FAIL("sample " << i << " is " << wav.samples[i] << ", expected " << expected);
    }
  }
}

TEST_CASE("a recording stops at max_ms, at stop_recording, and when its leg closes") {
  auto audio = sine(400, 9000, 8000);
  SUBCASE("max_ms") {
    RecordingLeg leg;
    leg.server->record(1, "max.wav", 200, 0);
    std::this_thread::sleep_for(50ms);
    leg.send(audio, 0, 25);
    RecordingResult result = leg.wait_recording();
    CHECK(result.ok);
    CHECK(result.duration_ms == 200);
    CHECK(result.finish_key == 0);
    CHECK(read_wav(result.path).samples.size() == 1600);
  }
  SUBCASE("stop_recording") {
    RecordingLeg leg;
    leg.server->record(1, "stopped.wav", 60000, '#');
    std::this_thread::sleep_for(50ms);
    leg.send(audio, 0, 15);
    std::this_thread::sleep_for(100ms);
    leg.server->stop_recording(1);
    RecordingResult result = leg.wait_recording();
    CHECK(result.ok);
    CHECK(result.duration_ms == 300);
    CHECK(read_wav(result.path).samples.size() == 2400);
  }
  SUBCASE("leg closed") {
    RecordingLeg leg;
    leg.server->record(1, "closed.wav", 60000, 0);
    std::this_thread::sleep_for(50ms);
    leg.send(audio, 0, 10);
    std::this_thread::sleep_for(100ms);
    leg.server->close_leg(1);
    RecordingResult result = leg.wait_recording();
    CHECK(result.ok);
    CHECK(result.duration_ms == 200);
  }
  SUBCASE("a phone that sends nothing") {
    RecordingLeg leg;
    leg.server->record(1, "silent.wav", 100, 0);
    RecordingResult result = leg.wait_recording();  // ends by the wall clock
    CHECK(result.ok);
    CHECK(result.duration_ms == 0);
  }
}

TEST_CASE("a recording outside recordings_dir is refused with a reason") {
  RecordingLeg leg;
  leg.server->record(1, "../escape.wav", 1000, 0);
  RecordingResult result = leg.wait_recording();
  CHECK_FALSE(result.ok);
  CHECK_MESSAGE(result.error.find("climbs out") != std::string::npos, result.error);
  CHECK_FALSE(std::filesystem::exists(leg.dir.path() / "escape.wav"));
}

TEST_CASE("a bridged call records to a stereo WAV with both sides aligned in time") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  Phone caller;
  Phone agent;
  auto a = server->open_leg(1, &error);
  auto b = server->open_leg(2, &error);
  server->set_remote(1, caller.address(), Codec::pcmu, 101);
  server->set_remote(2, agent.address(), Codec::pcma, 101);
  server->bridge(1, 2, "calls/call.wav");
  std::this_thread::sleep_for(50ms);

  // The caller talks for a second; the agent answers half a second in.
  auto caller_voice = sine(300, 8000, 8000);
  auto agent_voice = sine(700, 8000, 8000);
  auto start = std::chrono::steady_clock::now();
  for (std::size_t f = 0; f < 50; ++f) {
    std::this_thread::sleep_until(start + f * 20ms);
    caller.send_rtp(0, f == 0, static_cast<std::uint16_t>(f), static_cast<std::uint32_t>(160 * f),
                    1, encode(Codec::pcmu, caller_voice.data() + 160 * f, 160), a.port);
    if (f >= 25) {
      agent.send_rtp(8, f == 25, static_cast<std::uint16_t>(f),
                     static_cast<std::uint32_t>(160 * f), 2,
                     encode(Codec::pcma, agent_voice.data() + 160 * f, 160), b.port);
    }
  }
  std::this_thread::sleep_for(100ms);
  server->unbridge(1);
  REQUIRE(log.wait_for([&] { return !log.recordings().empty(); }));
  auto [leg, result] = log.recordings()[0];
  CHECK(leg == 1);
  CHECK(result.ok);
  CHECK(result.path == dir.path() / "recordings" / "calls" / "call.wav");
  WavContent wav = read_wav(result.path);
  CHECK(wav.channels == 2);
  CHECK(wav.rate == 8000);
  std::size_t frames = wav.samples.size() / 2;
  CHECK(frames == static_cast<std::size_t>(result.duration_ms * 8));
  CHECK(frames >= 8000);  // a second of talk and the tail: wall time, not packet count
  CHECK(frames <= 8000 + 2400);

  // Where each side starts being loud, in 20 ms frames.
  auto onset = [&](std::size_t channel) {
    for (std::size_t f = 0; f < frames / 160; ++f) {
      double energy = 0;
      for (std::size_t i = 0; i < 160; ++i) {
        energy += std::abs(wav.samples[2 * (160 * f + i) + channel]);
      }
      if (energy / 160 > 1000) return static_cast<long>(f);
    }
    return -1L;
  };
  long left = onset(0);
  long right = onset(1);
  REQUIRE(left >= 0);
  REQUIRE(right >= 0);
  CHECK(right - left >= 25 - 3);  // the agent's half second of silence is kept
  CHECK(right - left <= 25 + 3);
  // Each side holds only its own voice: silence on the agent's channel before it talks.
  for (long f = left; f < right - 3; ++f) {
    for (std::size_t i = 0; i < 160; ++i) {
      REQUIRE(wav.samples[2 * (160 * static_cast<std::size_t>(f) + i) + 1] == 0);
    }
  }
}

TEST_CASE("a recording named by its full path inside recordings_dir is written there") {
  RecordingLeg leg;
  auto inside = leg.dir.path() / "recordings" / "queue" / "full.wav";
  leg.server->record(1, inside, 100, 0);
  std::this_thread::sleep_for(50ms);
  leg.send(sine(400, 9000, 8000), 0, 5);
  RecordingResult result = leg.wait_recording();
  CHECK(result.ok);
  CHECK(result.path == inside);
  CHECK(read_wav(inside).samples.size() == 800);

  leg.server->record(1, leg.dir.path() / "elsewhere.wav", 100, 0);
  REQUIRE(leg.log.wait_for([&] { return leg.log.recordings().size() == 2; }));
  auto refused = leg.log.recordings()[1].second;
  CHECK_FALSE(refused.ok);
  CHECK_MESSAGE(refused.error.find("outside recordings_dir") != std::string::npos, refused.error);
}

TEST_CASE("a paused call recording leaves out what is said while paused") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  Phone caller;
  Phone agent;
  auto a = server->open_leg(1, &error);
  server->open_leg(2, &error);
  server->set_remote(1, caller.address(), Codec::pcmu, 101);
  server->set_remote(2, agent.address(), Codec::pcmu, 101);
  server->bridge(1, 2, "paused.wav");
  std::this_thread::sleep_for(50ms);
  // A second of a loud 300 Hz tone, the middle half second of it a 900 Hz
  // one read out while the recording is paused.
  auto low = sine(300, 8000, 8000);
  auto secret = sine(900, 8000, 8000);
  auto start = std::chrono::steady_clock::now();
  for (std::size_t f = 0; f < 50; ++f) {
    if (f == 12) server->pause_call_recording(2, true);  // either leg names the bridge
    if (f == 38) server->pause_call_recording(1, false);
    std::this_thread::sleep_until(start + f * 20ms);
    const auto& voice = f >= 13 && f < 37 ? secret : low;
    caller.send_rtp(0, f == 0, static_cast<std::uint16_t>(f), static_cast<std::uint32_t>(160 * f),
                    1, encode(Codec::pcmu, voice.data() + 160 * f, 160), a.port);
  }
  std::this_thread::sleep_for(100ms);
  server->unbridge(1);
  REQUIRE(log.wait_for([&] { return !log.recordings().empty(); }));
  auto result = log.recordings()[0].second;
  CHECK(result.ok);
  CHECK(result.call_recording);
  WavContent wav = read_wav(result.path);
  std::vector<std::int16_t> left;
  for (std::size_t i = 0; i < wav.samples.size(); i += 2) left.push_back(wav.samples[i]);
  // Wall time less the half second paused (26 frames), and none of the
  // 900 Hz tone is there.
  CHECK(left.size() <= 8000 + 1200 - 20 * 160);  // a second, the lead-in and the tail
  CHECK(left.size() >= 8000 - 30 * 160);
  for (std::size_t f = 0; f + 160 <= left.size(); f += 160) {
    std::vector<std::int16_t> frame(left.begin() + static_cast<std::ptrdiff_t>(f),
                                    left.begin() + static_cast<std::ptrdiff_t>(f + 160));
    int crossings = 0;
    for (std::size_t i = 1; i < frame.size(); ++i) {
      if ((frame[i - 1] < 0) != (frame[i] < 0)) ++crossings;
    }
    // 300 Hz crosses zero about 12 times in 20 ms, 900 Hz about 36.
    CHECK(crossings < 24);
  }
}
