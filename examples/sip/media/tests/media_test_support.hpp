// What the media plane's tests share: a phone (a UDP socket on 127.0.0.1
// speaking RTP to a leg), an event log fed by MediaEvents, scratch
// directories, and WAV helpers.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "media_server.hpp"

namespace hotline::sip::media::testing {

struct ReceivedPacket {
  std::vector<std::uint8_t> bytes;
  sockaddr_in source{};
  std::chrono::steady_clock::time_point arrival;

  std::uint8_t payload_type() const { return bytes[1] & 0x7f; }
  bool marker() const { return (bytes[1] & 0x80) != 0; }
  std::uint16_t sequence() const;
  std::uint32_t timestamp() const;
  std::uint32_t ssrc() const;
  std::vector<std::uint8_t> payload() const { return {bytes.begin() + 12, bytes.end()}; }
};

class Phone {
 public:
  Phone();
  ~Phone();
  Phone(const Phone&) = delete;
  Phone& operator=(const Phone&) = delete;

  sockaddr_in address() const { return address_; }
  std::uint16_t port() const { return ntohs(address_.sin_port); }

  void send_raw(const std::vector<std::uint8_t>& bytes, std::uint16_t to_port) const;
  void send_rtp(std::uint8_t payload_type, bool marker, std::uint16_t sequence,
                std::uint32_t timestamp, std::uint32_t ssrc,
                const std::vector<std::uint8_t>& payload, std::uint16_t to_port) const;
  // Waits up to `timeout` for one packet.
  std::optional<ReceivedPacket> receive(std::chrono::milliseconds timeout) const;
  // Collects packets until `quiet` passes with none.
  std::vector<ReceivedPacket> receive_all(std::chrono::milliseconds quiet) const;

 private:
  int fd_ = -1;
  sockaddr_in address_{};
};

struct PlaybackDone {
  LegId leg;
  bool ok;
  std::string error;
};

struct Digit {
  LegId leg;
  char key;
};

// Collects MediaEvents from the media thread for the test thread to wait on.
class EventLog {
 public:
  MediaEvents events();

  bool wait_for(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<PlaybackDone> playbacks();
  std::vector<Digit> digits();
  std::vector<std::pair<LegId, RecordingResult>> recordings();

 private:
  // Recursive: wait_for's condition reads the log through its own accessors.
  std::recursive_mutex mutex_;
  std::condition_variable_any changed_;
  std::vector<PlaybackDone> playbacks_;
  std::vector<Digit> digits_;
  std::vector<std::pair<LegId, RecordingResult>> recordings_;
};

// A fresh directory under the system's temporary directory, removed after.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

MediaConfig config_in(const ScratchDir& dir, std::uint16_t port_min = 31000,
                      std::uint16_t port_max = 31999);

sockaddr_in loopback(std::uint16_t port);

std::vector<std::int16_t> sine(double frequency, double amplitude, std::size_t samples,
                               int rate = 8000);
// Writes interleaved 16-bit samples as a WAV file.
void write_wav(const std::filesystem::path& file, const std::vector<std::int16_t>& samples,
               int rate, int channels);
struct WavContent {
  int rate = 0;
  int channels = 0;
  std::vector<std::int16_t> samples;  // interleaved
};
WavContent read_wav(const std::filesystem::path& file);

std::vector<std::uint8_t> encode(Codec codec, const std::int16_t* pcm, std::size_t count);
std::vector<std::int16_t> decode(Codec codec, const std::vector<std::uint8_t>& payload);

// The largest step G.711 can round a sample of this magnitude by.
int g711_tolerance(int sample);

}  // namespace hotline::sip::media::testing
