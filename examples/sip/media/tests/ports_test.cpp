// The media plane's start-up checks and its even-port pool.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "media_test_support.hpp"

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

TEST_CASE("legs take even ports from the range until it is exhausted") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  auto server = MediaServer::start(config_in(dir, 33001, 33006), log.events(), &error);
  REQUIRE_MESSAGE(server, error);
  std::vector<std::uint16_t> ports;
  for (LegId leg = 1; leg <= 3; ++leg) {
    auto endpoint = server->open_leg(leg, &error);
    REQUIRE_MESSAGE(endpoint.port != 0, error);
    CHECK(endpoint.address == "127.0.0.1");
    CHECK(endpoint.port % 2 == 0);
    ports.push_back(endpoint.port);
  }
  std::sort(ports.begin(), ports.end());
  CHECK(ports == std::vector<std::uint16_t>{33002, 33004, 33006});

  error.clear();
  CHECK(server->open_leg(4, &error).port == 0);
  CHECK_MESSAGE(error.find("no free RTP port") != std::string::npos, error);

  error.clear();
  CHECK(server->open_leg(2, &error).port == 0);
  CHECK_MESSAGE(error.find("leg 2 is already open") != std::string::npos, error);

  server->close_leg(2);
  REQUIRE(log.wait_for([&] { return server->stats().legs_open == 2; }, 2s));
  CHECK(server->open_leg(4, &error).port != 0);
}

TEST_CASE("the media plane refuses to start on an unusable configuration") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  SUBCASE("no even port") {
    CHECK_FALSE(MediaServer::start(config_in(dir, 33001, 33001), log.events(), &error));
    CHECK_MESSAGE(error.find("holds no even port") != std::string::npos, error);
  }
  SUBCASE("reversed range") {
    CHECK_FALSE(MediaServer::start(config_in(dir, 34000, 33000), log.events(), &error));
    CHECK_MESSAGE(error.find("34000-33000") != std::string::npos, error);
  }
  SUBCASE("bad address") {
    MediaConfig config = config_in(dir);
    config.rtp_address = "not-an-address";
    CHECK_FALSE(MediaServer::start(config, log.events(), &error));
    CHECK_MESSAGE(error.find("rtp_address 'not-an-address'") != std::string::npos, error);
  }
  SUBCASE("missing audio_root") {
    MediaConfig config = config_in(dir);
    config.audio_root = dir.path() / "nowhere";
    CHECK_FALSE(MediaServer::start(config, log.events(), &error));
    CHECK_MESSAGE(error.find("is not a directory") != std::string::npos, error);
  }
  SUBCASE("recordings_dir is a file") {
    MediaConfig config = config_in(dir);
    std::ofstream(dir.path() / "file") << "x";
    config.recordings_dir = dir.path() / "file";
    CHECK_FALSE(MediaServer::start(config, log.events(), &error));
    CHECK_MESSAGE(error.find("cannot use directory") != std::string::npos, error);
  }
}
