// same_string answers as `==` on views does: over every length up to past
// the inline limit, for equal keys in different storage and for keys that
// differ in a single byte at every position, and over a generated corpus of
// a center's ids.
#include <doctest/doctest.h>

#include <cstddef>
#include <fmt/format.h>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/string_equal.hpp"

using hotline::same_string;

namespace {

// The key's bytes alone in a buffer of their own: under the sanitizers a load
// past a short key's end is reported.
std::unique_ptr<char[]> exact_copy(std::string_view key) {
  auto bytes = std::make_unique<char[]>(key.size() + (key.empty() ? 1 : 0));
  key.copy(bytes.get(), key.size());
  return bytes;
}

}  // namespace

TEST_CASE("same_string: equal keys in different storage are the same") {
  for (std::size_t n = 0; n <= 24; ++n) {
    std::string key;
    for (std::size_t i = 0; i < n; ++i) key.push_back(static_cast<char>('a' + i));
    const auto copy = exact_copy(key);
    CHECK(same_string(key, std::string_view(copy.get(), n)));
    CHECK(same_string(std::string_view(copy.get(), n), key));
  }
}

TEST_CASE("same_string: one byte changed anywhere, or a length, tells keys apart") {
  for (std::size_t n = 1; n <= 24; ++n) {
    std::string key;
    for (std::size_t i = 0; i < n; ++i) key.push_back(static_cast<char>('0' + i % 10));
    for (std::size_t at = 0; at < n; ++at) {
      for (int flip : {1, 0x80, 0xff}) {
        std::string other = key;
        other[at] = static_cast<char>(other[at] ^ flip);
        const auto copy = exact_copy(other);
        CHECK_FALSE(same_string(key, std::string_view(copy.get(), n)));
      }
    }
    CHECK_FALSE(same_string(key, std::string_view(key).substr(0, n - 1)));
    if (n >= 2) {  // the same length, every byte shifted by one
      const std::string_view tail = std::string_view(key).substr(1);
      CHECK_FALSE(same_string(tail, std::string_view(key).substr(0, n - 1)));
    }
  }
}

TEST_CASE("same_string: answers as == over a generated corpus of ids") {
  std::vector<std::string> keys = {""};
  for (int n = 0; n < 400; ++n) {
    keys.push_back(fmt::format("c{}", n * 37));
    keys.push_back(fmt::format("agent{:04}", n));
    keys.push_back(fmt::format("callback:c{}", n * 11));
    keys.push_back(fmt::format("sip-call-id-{}@host.example", n));
  }
  std::mt19937_64 random(17);
  std::uniform_int_distribution<int> length(0, 20);
  std::uniform_int_distribution<int> byte(0, 3);  // few letters: many near misses
  for (int n = 0; n < 400; ++n) {
    std::string key(static_cast<std::size_t>(length(random)), 'x');
    for (char& c : key) c = static_cast<char>('a' + byte(random));
    keys.push_back(std::move(key));
  }
  std::size_t same = 0;
  for (const std::string& a : keys) {
    const auto copy = exact_copy(a);
    const std::string_view a_elsewhere(copy.get(), a.size());
    for (const std::string& b : keys) {
      const bool expected = std::string_view(a) == std::string_view(b);
      REQUIRE(same_string(a_elsewhere, b) == expected);
      same += expected ? 1 : 0;
    }
  }
  // Every key meets itself, and the random short keys meet some others.
  CHECK(same > keys.size());
}
