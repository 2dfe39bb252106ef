// Whether two keys of the flat string maps (ViewMap, KeyedMap) are equal.
// Once the hashes agree a map compares the keys themselves, several times
// for every event; nearly all are at most 16 bytes, and for those two loads
// from each key decide inline, where `==` on views was a call into the C
// library's memcmp. Longer keys compare as before.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace hotline {

inline bool same_string(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return a == b;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    // The first and the last eight bytes, overlapping when n < 16.
    std::uint64_t p0 = 0, p1 = 0, q0 = 0, q1 = 0;
    std::memcpy(&p0, p, 8);
    std::memcpy(&p1, p + n - 8, 8);
    std::memcpy(&q0, q, 8);
    std::memcpy(&q1, q + n - 8, 8);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  if (n >= 4) {
    std::uint32_t p0 = 0, p1 = 0, q0 = 0, q1 = 0;
    std::memcpy(&p0, p, 4);
    std::memcpy(&p1, p + n - 4, 4);
    std::memcpy(&q0, q, 4);
    std::memcpy(&q1, q + n - 4, 4);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  // Up to three bytes: the first, the middle and the last are all of them.
  return n == 0 || (p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1]);
}

}  // namespace hotline
