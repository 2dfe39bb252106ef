// Decoded prompts are shared from memory: bounded, least recently used out,
// and a thousand callers on one greeting read its file once.
#include <doctest/doctest.h>

#include <thread>

#include "media_test_support.hpp"
#include "prompt_cache.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

SharedClip clip_of(std::size_t samples) { return std::make_shared<const AudioClip>(samples); }

}  // namespace

TEST_CASE("the prompt cache keeps its total under the bound, dropping the least recently used") {
  PromptCache cache(1000);
  cache.insert("a", clip_of(400));
  cache.insert("b", clip_of(400));
  CHECK(cache.find("a"));  // a is now the most recently used
  cache.insert("c", clip_of(400));
  CHECK(cache.find("a"));
  CHECK_FALSE(cache.find("b"));
  CHECK(cache.find("c"));
  CHECK(cache.samples() == 800);
  cache.insert("huge", clip_of(5000));  // larger than the whole cache: not kept
  CHECK_FALSE(cache.find("huge"));
  CHECK(cache.entries() == 2);
}

TEST_CASE("many legs on one prompt share a single read of its file") {
  ScratchDir dir;
  EventLog log;
  write_wav(dir.path() / "audio" / "welcome.wav", sine(440, 8000, 800), 8000, 1);
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  Phone phone;
  constexpr LegId kLegs = 50;
  for (LegId leg = 1; leg <= kLegs; ++leg) {
    REQUIRE(server->open_leg(leg, &error).port != 0);
    server->set_remote(leg, phone.address(), Codec::pcmu, 101);
    server->play(leg, {{Prompt::Kind::audio, "welcome.wav"}}, false);
  }
  REQUIRE(log.wait_for([&] { return log.playbacks().size() == kLegs; }));
  for (const auto& done : log.playbacks()) CHECK_MESSAGE(done.ok, done.error);
  CHECK(phone.receive_all(300ms).size() == kLegs * 5);

  // The file is gone, yet the prompt still plays: it comes from memory.
  std::filesystem::remove(dir.path() / "audio" / "welcome.wav");
  server->play(1, {{Prompt::Kind::audio, "welcome.wav"}}, false);
  REQUIRE(log.wait_for([&] { return log.playbacks().size() == kLegs + 1; }));
  CHECK(log.playbacks().back().ok);
}

TEST_CASE("stopping the media plane while a prompt renders is clean") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  Phone phone;
  REQUIRE(server->open_leg(1, &error).port != 0);
  server->set_remote(1, phone.address(), Codec::pcmu, 101);
  server->play(1, {{Prompt::Kind::tts, "Your call is important to us."}}, false);
  server->record(1, "at-shutdown.wav", 60000, 0);
  std::this_thread::sleep_for(20ms);
  server.reset();  // waits for the render; the leg is gone by then
  CHECK(log.playbacks().empty());
  REQUIRE(log.recordings().size() == 1);  // closing the leg ended the recording
  CHECK(log.recordings()[0].second.ok);
}
