// The even UDP ports of the configured range, handed out one per leg. Even
// ports because RTP conventionally sits on the even port with RTCP above it;
// the host speaks no RTCP, but leaving the odd port free keeps peers that
// expect the convention happy.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace hotline::sip::media {

struct BoundSocket {
  int fd = -1;
  std::uint16_t port = 0;
};

class PortPool {
 public:
  PortPool(std::string address, std::uint16_t port_min, std::uint16_t port_max);

  // Number of even ports in the range (0: the range is unusable).
  std::size_t capacity() const { return in_use_.size(); }

  // A nonblocking UDP socket bound to the next free even port. Ports another
  // process holds are skipped. fd -1 and `error` when none is left.
  BoundSocket bind(std::string* error);
  void release(std::uint16_t port);

 private:
  std::string address_;
  std::uint16_t first_port_;
  std::mutex mutex_;
  std::vector<bool> in_use_;  // by index: port = first_port_ + 2 * index
  std::size_t cursor_ = 0;    // rotating, so a just-closed port is not reused at once
};

}  // namespace hotline::sip::media
