#include "media_test_support.hpp"

#include <poll.h>
#include <sndfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "g711.hpp"

namespace hotline::sip::media::testing {
namespace {

std::uint32_t read_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}

}  // namespace

std::uint16_t ReceivedPacket::sequence() const {
  return static_cast<std::uint16_t>((bytes[2] << 8) | bytes[3]);
}
std::uint32_t ReceivedPacket::timestamp() const { return read_u32(bytes.data() + 4); }
std::uint32_t ReceivedPacket::ssrc() const { return read_u32(bytes.data() + 8); }

Phone::Phone() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("phone: socket failed");
  sockaddr_in local = loopback(0);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    throw std::runtime_error("phone: bind failed");
  }
  socklen_t length = sizeof address_;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address_), &length);
}

Phone::~Phone() { ::close(fd_); }

void Phone::send_raw(const std::vector<std::uint8_t>& bytes, std::uint16_t to_port) const {
  sockaddr_in to = loopback(to_port);
  ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

void Phone::send_rtp(std::uint8_t payload_type, bool marker, std::uint16_t sequence,
                     std::uint32_t timestamp, std::uint32_t ssrc,
                     const std::vector<std::uint8_t>& payload, std::uint16_t to_port) const {
  std::vector<std::uint8_t> packet = {
      0x80,
      static_cast<std::uint8_t>((marker ? 0x80 : 0) | payload_type),
      static_cast<std::uint8_t>(sequence >> 8),
      static_cast<std::uint8_t>(sequence),
      static_cast<std::uint8_t>(timestamp >> 24),
      static_cast<std::uint8_t>(timestamp >> 16),
      static_cast<std::uint8_t>(timestamp >> 8),
      static_cast<std::uint8_t>(timestamp),
      static_cast<std::uint8_t>(ssrc >> 24),
      static_cast<std::uint8_t>(ssrc >> 16),
      static_cast<std::uint8_t>(ssrc >> 8),
      static_cast<std::uint8_t>(ssrc)};
  packet.insert(packet.end(), payload.begin(), payload.end());
  send_raw(packet, to_port);
}

std::optional<ReceivedPacket> Phone::receive(std::chrono::milliseconds timeout) const {
  pollfd ready{fd_, POLLIN, 0};
  if (::poll(&ready, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  ReceivedPacket packet;
  packet.bytes.resize(4096);
  socklen_t length = sizeof packet.source;
  ssize_t size = ::recvfrom(fd_, packet.bytes.data(), packet.bytes.size(), 0,
                            reinterpret_cast<sockaddr*>(&packet.source), &length);
  if (size < 0) return std::nullopt;
  packet.arrival = std::chrono::steady_clock::now();
  packet.bytes.resize(static_cast<std::size_t>(size));
  return packet;
}

std::vector<ReceivedPacket> Phone::receive_all(std::chrono::milliseconds quiet) const {
  std::vector<ReceivedPacket> packets;
  while (auto packet = receive(quiet)) packets.push_back(std::move(*packet));
  return packets;
}

MediaEvents EventLog::events() {
  MediaEvents events;
  events.user = this;
  events.digit = [](void* user, LegId leg, char key) {
    auto* self = static_cast<EventLog*>(user);
    std::lock_guard<std::recursive_mutex> lock(self->mutex_);
    self->digits_.push_back({leg, key});
    self->changed_.notify_all();
  };
  events.playback_done = [](void* user, LegId leg, bool ok, const std::string& error) {
    auto* self = static_cast<EventLog*>(user);
    std::lock_guard<std::recursive_mutex> lock(self->mutex_);
    self->playbacks_.push_back({leg, ok, error});
    self->changed_.notify_all();
  };
  events.recording_done = [](void* user, LegId leg, const RecordingResult& result) {
    auto* self = static_cast<EventLog*>(user);
    std::lock_guard<std::recursive_mutex> lock(self->mutex_);
    self->recordings_.emplace_back(leg, result);
    self->changed_.notify_all();
  };
  return events;
}

bool EventLog::wait_for(const std::function<bool()>& condition,
                        std::chrono::milliseconds timeout) {
  // A condition may read what no event announces (the server's counters), so
  // it is checked every few milliseconds as well as on each event.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::recursive_mutex> lock(mutex_);
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(5));
  }
  return true;
}

std::vector<PlaybackDone> EventLog::playbacks() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  return playbacks_;
}

std::vector<Digit> EventLog::digits() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  return digits_;
}

std::vector<std::pair<LegId, RecordingResult>> EventLog::recordings() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  return recordings_;
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("hotline-media-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_ / "audio");
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

MediaConfig config_in(const ScratchDir& dir, std::uint16_t port_min, std::uint16_t port_max) {
  MediaConfig config;
  config.rtp_address = "127.0.0.1";
  config.port_min = port_min;
  config.port_max = port_max;
  config.audio_root = dir.path() / "audio";
  config.cache_dir = dir.path() / "tts";
  config.recordings_dir = dir.path() / "recordings";
  return config;
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::vector<std::int16_t> sine(double frequency, double amplitude, std::size_t samples,
                               int rate) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    out[i] = static_cast<std::int16_t>(
        std::lround(amplitude * std::sin(2 * M_PI * frequency * static_cast<double>(i) / rate)));
  }
  return out;
}

void write_wav(const std::filesystem::path& file, const std::vector<std::int16_t>& samples,
               int rate, int channels) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* sound = sf_open(file.c_str(), SFM_WRITE, &info);
  if (sound == nullptr) throw std::runtime_error("cannot write " + file.string());
  sf_write_short(sound, samples.data(), static_cast<sf_count_t>(samples.size()));
  sf_close(sound);
}

WavContent read_wav(const std::filesystem::path& file) {
  SF_INFO info{};
  SNDFILE* sound = sf_open(file.c_str(), SFM_READ, &info);
  if (sound == nullptr) throw std::runtime_error("cannot read " + file.string());
  WavContent content;
  content.rate = info.samplerate;
  content.channels = info.channels;
  content.samples.resize(static_cast<std::size_t>(info.frames * info.channels));
  sf_read_short(sound, content.samples.data(), static_cast<sf_count_t>(content.samples.size()));
  sf_close(sound);
  return content;
}

std::vector<std::uint8_t> encode(Codec codec, const std::int16_t* pcm, std::size_t count) {
  std::vector<std::uint8_t> out(count);
  g711_encode(codec, pcm, count, out.data());
  return out;
}

std::vector<std::int16_t> decode(Codec codec, const std::vector<std::uint8_t>& payload) {
  std::vector<std::int16_t> out(payload.size());
  g711_decode(codec, payload.data(), payload.size(), out.data());
  return out;
}

int g711_tolerance(int sample) { return std::abs(sample) / 16 + 8; }

}  // namespace hotline::sip::media::testing
