#include "rtp_leg.hpp"

namespace hotline::sip::media {

bool same_address(const sockaddr_in& a, const sockaddr_in& b) {
  return a.sin_addr.s_addr == b.sin_addr.s_addr && a.sin_port == b.sin_port;
}

bool Leg::accept_from(const sockaddr_in& source) {
  if (!has_remote) return false;
  if (latched) return same_address(source, remote);
  // The SDP address is only a first guess: behind NAT the phone's packets
  // come from elsewhere, and that is where its audio must go.
  remote.sin_addr = source.sin_addr;
  remote.sin_port = source.sin_port;
  latched = true;
  return true;
}

}  // namespace hotline::sip::media
