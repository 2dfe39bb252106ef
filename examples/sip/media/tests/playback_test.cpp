// Prompts played to a phone: timing, numbering and content of the packets,
// resampling, the tts cache, failures.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cmath>
#include <fstream>
#include <thread>

#include "media_test_support.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

struct PlayingLeg {
  ScratchDir dir;
  EventLog log;
  std::unique_ptr<MediaServer> server;
  Phone phone;
  LocalEndpoint endpoint;

  explicit PlayingLeg(Codec codec, const std::function<void(ScratchDir&)>& prepare = {}) {
    if (prepare) prepare(dir);
    std::string error;
    server = MediaServer::start(config_in(dir), log.events(), &error);
    REQUIRE_MESSAGE(server, error);
    endpoint = server->open_leg(1, &error);
    REQUIRE_MESSAGE(endpoint.port != 0, error);
    server->set_remote(1, phone.address(), codec, 101);
  }

  bool wait_playback(std::size_t count, std::chrono::milliseconds timeout = 10s) {
    return log.wait_for([&] { return log.playbacks().size() >= count; }, timeout);
  }
};

}  // namespace

TEST_CASE("an 8 kHz WAV is played as paced, numbered PCMU packets that decode to the file") {
  auto tone = sine(440, 12000, 8000);  // one second: exactly 50 frames
  PlayingLeg leg(Codec::pcmu, [&](ScratchDir& dir) {
    write_wav(dir.path() / "audio" / "tone.wav", tone, 8000, 1);
  });
  leg.server->play(1, {{Prompt::Kind::audio, "tone.wav"}}, false);
  auto packets = leg.phone.receive_all(300ms);  // read as they come: arrival times matter
  REQUIRE(leg.wait_playback(1));
  CHECK(leg.log.playbacks()[0].ok);
  REQUIRE(packets.size() == 50);

  std::vector<std::int16_t> heard;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const auto& packet = packets[i];
    CHECK(packet.payload_type() == 0);
    CHECK(packet.marker() == (i == 0));
    CHECK(packet.bytes.size() == 12 + 160);
    CHECK(packet.ssrc() == packets[0].ssrc());
    CHECK(packet.sequence() == static_cast<std::uint16_t>(packets[0].sequence() + i));
    CHECK(packet.timestamp() == packets[0].timestamp() + 160 * i);
    CHECK(ntohs(packet.source.sin_port) == leg.endpoint.port);  // sent from the leg's own port
    auto samples = decode(Codec::pcmu, packet.payload());
    heard.insert(heard.end(), samples.begin(), samples.end());
  }
  for (std::size_t i = 0; i < tone.size(); ++i) {
    if (std::abs(heard[i] - tone[i]) > g711_tolerance(tone[i])) {
      FAIL("sample " << i << " decodes to " << heard[i] << ", the file has " << tone[i]);
    }
  }
  // 49 intervals of 20 ms, paced by the tick rather than sent in a burst.
  auto span = std::chrono::duration_cast<std::chrono::milliseconds>(packets.back().arrival -
                                                                    packets.front().arrival);
  CHECK(span.count() >= 940);
  CHECK(span.count() <= 1100);
  for (std::size_t i = 10; i < packets.size(); i += 10) {
    auto at = std::chrono::duration_cast<std::chrono::milliseconds>(packets[i].arrival -
                                                                    packets[0].arrival);
    CHECK(std::abs(at.count() - static_cast<long>(20 * i)) <= 40);
  }
  CHECK(leg.server->stats().packets_sent == 50);
}

TEST_CASE("a 16 kHz stereo WAV is mixed down and resampled to 8 kHz PCMA") {
  auto left = sine(500, 10000, 16000, 16000);
  std::vector<std::int16_t> interleaved;
  for (std::int16_t sample : left) {
    interleaved.push_back(sample);
    interleaved.push_back(sample);  // both channels alike: the mixdown is the tone itself
  }
  PlayingLeg leg(Codec::pcma, [&](ScratchDir& dir) {
    write_wav(dir.path() / "audio" / "wide.wav", interleaved, 16000, 2);
  });
  leg.server->play(1, {{Prompt::Kind::audio, "wide.wav"}}, false);
  REQUIRE(leg.wait_playback(1));
  CHECK(leg.log.playbacks()[0].ok);
  auto packets = leg.phone.receive_all(300ms);
  REQUIRE(packets.size() == 50);  // one second at any rate is 50 frames
  std::vector<std::int16_t> heard;
  for (const auto& packet : packets) {
    CHECK(packet.payload_type() == 8);
    auto samples = decode(Codec::pcma, packet.payload());
    heard.insert(heard.end(), samples.begin(), samples.end());
  }
  auto expected = sine(500, 10000, 8000, 8000);
  double error = 0;
  double energy = 0;
  for (std::size_t i = 200; i < 7800; ++i) {  // the resampler's edges aside
    error += std::pow(heard[i] - expected[i], 2);
    energy += std::pow(expected[i], 2);
  }
  CHECK(error / energy < 0.01);  // within 1 % of the tone's energy
}

TEST_CASE("prompts play back to back, and a looping list repeats until stopped") {
  PlayingLeg leg(Codec::pcmu, [&](ScratchDir& dir) {
    write_wav(dir.path() / "audio" / "a.wav", sine(300, 8000, 1600), 8000, 1);  // 10 frames
    write_wav(dir.path() / "audio" / "b.wav", sine(600, 8000, 800), 8000, 1);   // 5 frames
  });
  leg.server->play(1, {{Prompt::Kind::audio, "a.wav"}, {Prompt::Kind::audio, "b.wav"}}, false);
  REQUIRE(leg.wait_playback(1));
  CHECK(leg.phone.receive_all(300ms).size() == 15);

  leg.server->play(1, {{Prompt::Kind::audio, "b.wav"}}, true);
  std::this_thread::sleep_for(500ms);
  leg.server->stop_playback(1);
  auto looped = leg.phone.receive_all(300ms);
  CHECK(looped.size() >= 20);  // 500 ms is 25 frames: well past the 5-frame file
  CHECK(looped.size() <= 30);
  CHECK(leg.log.playbacks().size() == 1);  // a loop reports nothing
}

TEST_CASE("a tts prompt is rendered by espeak-ng once and then served from the cache") {
  PlayingLeg leg(Codec::pcmu);
  Prompt hello{Prompt::Kind::tts, "Thank you for calling."};
  leg.server->play(1, {hello}, false);
  REQUIRE(leg.wait_playback(1, 30s));
  REQUIRE_MESSAGE(leg.log.playbacks()[0].ok, leg.log.playbacks()[0].error);
  auto first = leg.phone.receive_all(300ms);
  CHECK(first.size() > 25);  // more than half a second of speech
  CHECK(leg.server->stats().tts_renders == 1);

  std::vector<std::filesystem::path> cached;
  for (const auto& entry : std::filesystem::directory_iterator(leg.dir.path() / "tts")) {
    cached.push_back(entry.path());
  }
  REQUIRE(cached.size() == 1);  // the WAV and no temporary left behind
  CHECK(cached[0].extension() == ".wav");
  auto written = std::filesystem::last_write_time(cached[0]);

  leg.server->play(1, {hello}, false);
  REQUIRE(leg.wait_playback(2));
  CHECK(leg.log.playbacks()[1].ok);
  CHECK(leg.phone.receive_all(300ms).size() == first.size());
  CHECK(leg.server->stats().tts_renders == 1);

  // A restarted host finds the rendering on disk and does not run espeak-ng.
  EventLog log;
  std::string error;
  auto restarted = MediaServer::start(config_in(leg.dir, 32000, 32999), log.events(), &error);
  REQUIRE(restarted);
  Phone phone;
  REQUIRE(restarted->open_leg(7, &error).port != 0);
  restarted->set_remote(7, phone.address(), Codec::pcmu, 101);
  restarted->play(7, {hello}, false);
  REQUIRE(log.wait_for([&] { return !log.playbacks().empty(); }));
  CHECK(log.playbacks()[0].ok);
  CHECK(phone.receive_all(300ms).size() == first.size());
  CHECK(restarted->stats().tts_renders == 0);
  CHECK(std::filesystem::last_write_time(cached[0]) == written);
}

TEST_CASE("a missing, unreadable or escaping prompt fails cleanly with a reason") {
  PlayingLeg leg(Codec::pcmu, [&](ScratchDir& dir) {
    std::ofstream(dir.path() / "audio" / "junk.wav") << "not a wav file at all";
    write_wav(dir.path() / "secret.wav", sine(300, 8000, 800), 8000, 1);
  });
  struct Case {
    std::string name;
    std::string expected;
  };
  std::vector<Case> cases = {{"missing.wav", "missing.wav"},
                             {"junk.wav", "junk.wav"},
                             {"../secret.wav", "climbs out"},
                             {"/etc/passwd", "absolute"},
                             {"", "empty"}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    leg.server->play(1, {{Prompt::Kind::audio, cases[i].name}}, false);
    REQUIRE(leg.wait_playback(i + 1));
    auto done = leg.log.playbacks()[i];
    CHECK_FALSE(done.ok);
    CHECK_MESSAGE(done.error.find(cases[i].expected) != std::string::npos, done.error);
  }
  CHECK_FALSE(leg.phone.receive(200ms).has_value());
  CHECK(leg.server->stats().packets_sent == 0);
}

TEST_CASE("an unknown espeak-ng voice fails the tts prompt and caches nothing") {
  ScratchDir dir;
  EventLog log;
  MediaConfig config = config_in(dir);
  config.tts_voice = "qqq";  // no such language or voice
  std::string error;
  auto server = MediaServer::start(config, log.events(), &error);
  REQUIRE(server);
  REQUIRE(server->open_leg(1, &error).port != 0);
  server->play(1, {{Prompt::Kind::tts, "hello"}}, false);
  REQUIRE(log.wait_for([&] { return !log.playbacks().empty(); }, 30s));
  CHECK_FALSE(log.playbacks()[0].ok);
  CHECK_MESSAGE(log.playbacks()[0].error.find("espeak-ng") != std::string::npos,
                log.playbacks()[0].error);
  CHECK(std::filesystem::is_empty(dir.path() / "tts"));
}
