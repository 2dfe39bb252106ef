// Relay throughput: bridged pairs of legs fed by a generator thread playing
// both phones of every call over loopback at 50 packets a second each way.
// Prints one JSON line: legs, packets relayed per second, the media plane's
// CPU seconds, and the loss the phones saw. With --supervised every call has
// a third leg whispering to the agent, so every packet goes through the
// mixer (decoded, summed, encoded) instead of the relay.
#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "media_server.hpp"

using namespace hotline::sip::media;

namespace {

double cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct BenchPhone {
  int fd = -1;
  sockaddr_in address{};
  sockaddr_in leg{};
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
};

struct GeneratorResult {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  double cpu_seconds = 0;
};

void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::size_t drain(std::vector<BenchPhone>& phones) {
  constexpr std::size_t kBatch = 32;
  static std::array<std::array<std::uint8_t, 2048>, kBatch> buffers;
  std::array<mmsghdr, kBatch> messages{};
  std::array<iovec, kBatch> iov{};
  std::size_t received = 0;
  for (auto& phone : phones) {
    for (;;) {
      for (std::size_t i = 0; i < kBatch; ++i) {
        iov[i] = {buffers[i].data(), buffers[i].size()};
        messages[i].msg_hdr = msghdr{};
        messages[i].msg_hdr.msg_iov = &iov[i];
        messages[i].msg_hdr.msg_iovlen = 1;
      }
      int count = recvmmsg(phone.fd, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (count <= 0) break;
      received += static_cast<std::size_t>(count);
      if (static_cast<std::size_t>(count) < kBatch) break;
    }
  }
  return received;
}

// Every 20 ms each phone sends one PCMU frame to its leg; between frames the
// phones' sockets are drained and what the relay delivered is counted.
GeneratorResult generate(std::vector<BenchPhone>& phones, std::chrono::seconds duration) {
  GeneratorResult result;
  std::array<std::uint8_t, 12 + 160> packet{};
  packet[0] = 0x80;
  packet[1] = 0;  // PCMU
  std::fill(packet.begin() + 12, packet.end(), 0xff);
  auto start = std::chrono::steady_clock::now();
  auto end = start + duration;
  for (auto tick = start; tick < end; tick += std::chrono::milliseconds(20)) {
    std::this_thread::sleep_until(tick);
    for (std::size_t p = 0; p < phones.size(); ++p) {
      BenchPhone& phone = phones[p];
      packet[2] = static_cast<std::uint8_t>(phone.sequence >> 8);
      packet[3] = static_cast<std::uint8_t>(phone.sequence);
      std::uint32_t ts = htonl(phone.timestamp);
      std::uint32_t ssrc = htonl(static_cast<std::uint32_t>(p + 1));
      std::memcpy(&packet[4], &ts, 4);
      std::memcpy(&packet[8], &ssrc, 4);
      ++phone.sequence;
      phone.timestamp += 160;
      if (sendto(phone.fd, packet.data(), packet.size(), 0,
                 reinterpret_cast<sockaddr*>(&phone.leg), sizeof phone.leg) > 0) {
        ++result.sent;
      }
    }
    result.received += drain(phones);
  }
  // Packets still in flight at the end are not lost: give them time to land.
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    result.received += drain(phones);
  }
  result.cpu_seconds = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Relays RTP between bridged legs and reports the throughput as JSON"};
  int pairs = 500;
  int seconds = 10;
  bool supervised = false;
  app.add_option("--pairs", pairs, "calls (two legs each, three with --supervised)")
      ->check(CLI::Range(1, 2400));
  app.add_option("--seconds", seconds, "how long the generator sends")->check(CLI::Range(1, 3600));
  app.add_flag("--supervised", supervised,
               "a whispering supervisor on every call: three mixed legs instead of a relayed pair");
  CLI11_PARSE(app, argc, argv);
  raise_file_limit();

  auto scratch = std::filesystem::temp_directory_path() /
                 ("hotline-media-bench-" + std::to_string(getpid()));
  MediaConfig config;
  config.port_min = 20000;
  config.port_max = 29999;
  config.cache_dir = scratch / "tts";
  config.recordings_dir = scratch / "recordings";
  std::string error;
  auto server = MediaServer::start(config, MediaEvents{}, &error);
  if (!server) {
    std::fprintf(stderr, "hotline-sip-media-bench: %s\n", error.c_str());
    return 1;
  }

  const std::size_t legs_per_call = supervised ? 3 : 2;
  std::vector<BenchPhone> phones(legs_per_call * static_cast<std::size_t>(pairs));
  for (std::size_t i = 0; i < phones.size(); ++i) {
    BenchPhone& phone = phones[i];
    phone.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    phone.address.sin_family = AF_INET;
    phone.address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof phone.address;
    if (phone.fd < 0 ||
        bind(phone.fd, reinterpret_cast<sockaddr*>(&phone.address), sizeof phone.address) != 0 ||
        getsockname(phone.fd, reinterpret_cast<sockaddr*>(&phone.address), &length) != 0) {
      std::fprintf(stderr, "hotline-sip-media-bench: cannot open phone socket %zu\n", i);
      return 1;
    }
    LocalEndpoint endpoint = server->open_leg(i, &error);
    if (endpoint.port == 0) {
      std::fprintf(stderr, "hotline-sip-media-bench: %s\n", error.c_str());
      return 1;
    }
    phone.leg.sin_family = AF_INET;
    phone.leg.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    phone.leg.sin_port = htons(endpoint.port);
    server->set_remote(i, phone.address, Codec::pcmu, 101);
    if (!supervised && i % 2 == 1) server->bridge(i - 1, i, {});
    if (supervised && i % 3 == 2) {
      // caller i-2, agent i-1, supervisor i: the whisper of docs/call-control.md.
      server->mix({{i - 2, {i - 1}}, {i - 1, {i - 2, i}}, {i, {i - 2, i - 1}}});
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  double process_cpu_before = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  MediaStats before = server->stats();
  GeneratorResult generated;
  std::thread generator(
      [&] { generated = generate(phones, std::chrono::seconds(seconds)); });
  generator.join();
  MediaStats after = server->stats();
  double process_cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_cpu_before;

  std::uint64_t relayed = after.packets_relayed - before.packets_relayed;
  std::uint64_t mixed = after.packets_mixed - before.packets_mixed;
  double loss = generated.sent == 0
                    ? 0
                    : 1.0 - static_cast<double>(generated.received) /
                                static_cast<double>(generated.sent);
  // The main thread only waits, so what the process spent beyond the
  // generator is the media thread's.
  double media_cpu = process_cpu - generated.cpu_seconds;
  std::printf(
      "{\"legs\":%zu,\"pairs\":%d,\"seconds\":%d,\"packets_sent\":%llu,"
      "\"packets_relayed\":%llu,\"packets_per_second_relayed\":%.0f,"
      "\"packets_mixed\":%llu,\"packets_per_second_mixed\":%.0f,"
      "\"media_cpu_seconds\":%.3f,\"media_cpu_share\":%.3f,\"generator_cpu_seconds\":%.3f,"
      "\"loss\":%.6f}\n",
      phones.size(), pairs, seconds, static_cast<unsigned long long>(generated.sent),
      static_cast<unsigned long long>(relayed), static_cast<double>(relayed) / seconds,
      static_cast<unsigned long long>(mixed), static_cast<double>(mixed) / seconds, media_cpu,
      media_cpu / seconds, generated.cpu_seconds, loss < 0 ? 0 : loss);

  server.reset();
  for (auto& phone : phones) close(phone.fd);
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  return 0;
}
