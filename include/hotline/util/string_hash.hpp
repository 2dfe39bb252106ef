// The hash of the flat string maps (ViewMap, KeyedMap): ids of calls,
// agents and queues, looked up several times for every event. Nearly all
// are at most 16 bytes ("c12345", "agent0042", "callback:c17"), and for
// those two loads and two 64×64→128-bit multiplications mix every byte and
// the length into the code, inline, where the library's byte-wise hash was
// a call and a loop. Longer keys (a SIP stack's call ids) take the
// library's hash as before. A code lives only in its map's memory: it
// picks where a key sits, and so the order in which a map's for_each walks
// its entries, which no caller relies on.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>

namespace hotline {

namespace detail {

// The high and low halves of a full product, folded together.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) noexcept {
  __extension__ using Wide = unsigned __int128;
  const Wide product = static_cast<Wide>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

}  // namespace detail

inline std::uint64_t hash_string(std::string_view key) noexcept {
  const std::size_t n = key.size();
  if (n > 16) return static_cast<std::uint64_t>(std::hash<std::string_view>{}(key));
  const char* p = key.data();
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n >= 8) {
    // The first and the last eight bytes, overlapping when n < 16.
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);
    a = first;
    b = last;
  } else if (n > 0) {
    a = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1]));
  }
  // The constants are those of wyhash. A key can be built to zero a factor
  // (its first eight bytes equal to the first constant), which would zero
  // the product whatever the other factor held; so each product keeps its
  // factors xored in, and such keys still hash apart.
  const std::uint64_t fa = a ^ 0xa0761d6478bd642fULL;
  const std::uint64_t fb = b ^ 0xe7037ed1a0b428dbULL;
  const std::uint64_t mixed = detail::fold_multiply(fa, fb) ^ fa ^ fb;
  const std::uint64_t fm = mixed ^ 0x8ebc6af09c88c6e3ULL;
  const std::uint64_t fn = n ^ 0x589965cc75374cc3ULL;
  return detail::fold_multiply(fm, fn) ^ fm ^ fn;
}

}  // namespace hotline
