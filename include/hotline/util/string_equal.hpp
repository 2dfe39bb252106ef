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

// Whether the first and the last sizeof(Word) bytes of two keys of `n`
// bytes are equal: all of them when sizeof(Word) <= n <= 2 * sizeof(Word)
// (the two words overlap when n is less).
template <typename Word>
inline bool same_ends(const char* p, const char* q, std::size_t n) noexcept {
  Word p0 = 0, p1 = 0, q0 = 0, q1 = 0;
  std::memcpy(&p0, p, sizeof(Word));
  std::memcpy(&p1, p + n - sizeof(Word), sizeof(Word));
  std::memcpy(&q0, q, sizeof(Word));
  std::memcpy(&q1, q + n - sizeof(Word), sizeof(Word));
  return ((p0 ^ q0) | (p1 ^ q1)) == 0;
}

inline bool same_string(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return a == b;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) return same_ends<std::uint64_t>(p, q, n);
  if (n >= 4) return same_ends<std::uint32_t>(p, q, n);
  // Up to three bytes: the first, the middle and the last are all of them.
  return n == 0 || (p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1]);
}

}  // namespace hotline
