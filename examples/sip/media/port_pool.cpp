#include "port_pool.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hotline::sip::media {
namespace {

std::uint16_t first_even(std::uint16_t port) {
  return static_cast<std::uint16_t>(port % 2 == 0 ? port : port + 1);
}

}  // namespace

PortPool::PortPool(std::string address, std::uint16_t port_min, std::uint16_t port_max)
    : address_(std::move(address)), first_port_(first_even(port_min)) {
  if (port_min != 0 && port_min <= port_max && first_port_ <= port_max) {
    in_use_.assign((port_max - first_port_) / 2 + 1, false);
  }
}

BoundSocket PortPool::bind(std::string* error) {
  sockaddr_in local{};
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, address_.c_str(), &local.sin_addr) != 1) {
    *error = "rtp_address '" + address_ + "' is not an IPv4 address";
    return {};
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::string last_failure = "every port is taken by another leg";
  for (std::size_t tried = 0; tried < in_use_.size(); ++tried) {
    std::size_t index = cursor_;
    cursor_ = (cursor_ + 1) % in_use_.size();
    if (in_use_[index]) continue;
    auto port = static_cast<std::uint16_t>(first_port_ + 2 * index);
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      *error = std::string("cannot open a UDP socket: ") + std::strerror(errno);
      return {};
    }
    local.sin_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0) {
      in_use_[index] = true;
      return {fd, port};
    }
    last_failure = "port " + std::to_string(port) + ": " + std::strerror(errno);
    ::close(fd);
  }
  *error = "no free RTP port in the range (" + last_failure + ")";
  return {};
}

void PortPool::release(std::uint16_t port) {
  if (port < first_port_ || (port - first_port_) % 2 != 0) return;
  std::size_t index = (port - first_port_) / 2;
  std::lock_guard<std::mutex> lock(mutex_);
  if (index < in_use_.size()) in_use_[index] = false;
}

}  // namespace hotline::sip::media
