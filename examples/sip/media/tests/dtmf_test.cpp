// RFC 4733 telephone events: each key press reported once, from crafted
// packets and from SIPp replaying the DTMF captures it ships.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "media_test_support.hpp"

extern char** environ;

using namespace hotline::sip::media;
using namespace hotline::sip::media::testing;
using namespace std::chrono_literals;

namespace {

std::string keys_of(const std::vector<Digit>& digits) {
  std::string keys;
  for (const auto& digit : digits) keys += digit.key;
  return keys;
}

// Sends one key press as a phone does: start packets while held, then the
// end packet three times, all with the press's timestamp.
void press(const Phone& phone, std::uint16_t to_port, std::uint8_t event, std::uint16_t* sequence,
           std::uint32_t timestamp) {
  for (int i = 0; i < 4; ++i) {
    std::vector<std::uint8_t> payload = {event, 10, 0, static_cast<std::uint8_t>(160 * (i + 1))};
    phone.send_rtp(101, i == 0, (*sequence)++, timestamp, 0x1234, payload, to_port);
  }
  for (int i = 0; i < 3; ++i) {
    std::vector<std::uint8_t> payload = {event, 0x80 | 10, 0x03, 0x20};
    phone.send_rtp(101, false, (*sequence)++, timestamp, 0x1234, payload, to_port);
  }
}

std::uint16_t free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address = loopback(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

pid_t spawn(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int failed = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return failed == 0 ? pid : -1;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("a key press is reported once despite its repeated and end packets") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  Phone phone;
  auto endpoint = server->open_leg(3, &error);
  server->set_remote(3, phone.address(), Codec::pcmu, 101);
  std::uint16_t sequence = 100;
  press(phone, endpoint.port, 5, &sequence, 8000);
  press(phone, endpoint.port, 5, &sequence, 16000);  // the same key again: a new press
  press(phone, endpoint.port, 11, &sequence, 24000);
  press(phone, endpoint.port, 10, &sequence, 32000);
  press(phone, endpoint.port, 16, &sequence, 40000);  // a tone event, not a key
  REQUIRE(log.wait_for([&] { return log.digits().size() >= 4; }));
  std::this_thread::sleep_for(200ms);
  CHECK(keys_of(log.digits()) == "55#*");
  CHECK(log.digits()[0].leg == 3);
  CHECK(server->stats().packets_received == 5 * 7);
}

TEST_CASE("DTMF replayed by SIPp from its RFC 4733 captures is reported key by key, in order") {
  ScratchDir dir;
  EventLog log;
  std::string error;
  auto server = MediaServer::start(config_in(dir), log.events(), &error);
  REQUIRE(server);
  auto endpoint = server->open_leg(9, &error);
  REQUIRE(endpoint.port != 0);

  std::uint16_t uas_port = free_udp_port();
  std::uint16_t uac_port = free_udp_port();
  std::uint16_t uas_media_port = free_udp_port();
  // SIPp replays the captures from its media address; the leg latches to it.
  server->set_remote(9, loopback(uas_media_port), Codec::pcmu, 101);

  std::string scenarios = HOTLINE_SIP_MEDIA_SIPP_DIR;
  pid_t uas = spawn({"sipp", "-sf", scenarios + "/dtmf_uas.xml", "-i", "127.0.0.1", "-p",
                     std::to_string(uas_port), "-mi", "127.0.0.1", "-mp",
                     std::to_string(uas_media_port), "-m", "1", "-nostdin", "-timeout", "30s",
                     "-timeout_error"});
  REQUIRE(uas > 0);
  std::this_thread::sleep_for(300ms);  // the UAS listens before the call comes
  pid_t uac = spawn({"sipp", "127.0.0.1:" + std::to_string(uas_port), "-sf",
                     scenarios + "/dtmf_uac.xml", "-i", "127.0.0.1", "-p",
                     std::to_string(uac_port), "-m", "1", "-nostdin", "-timeout", "30s",
                     "-timeout_error", "-key", "leg_port", std::to_string(endpoint.port)});
  REQUIRE(uac > 0);
  CHECK(wait_exit(uac) == 0);
  CHECK(wait_exit(uas) == 0);

  // The UAS plays 1, 5, 9, *, # and 0, one capture every 400 ms.
  REQUIRE(log.wait_for([&] { return log.digits().size() >= 6; }, 5s));
  std::this_thread::sleep_for(100ms);
  CHECK(keys_of(log.digits()) == "159*#0");
  CHECK(server->stats().packets_dropped_stranger == 0);
}
