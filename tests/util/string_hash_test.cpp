// hash_string: equal keys hash alike; the ids of a center (calls, callback
// requests, agents, queues) do not collide; every byte and the length of a
// short key count; long keys keep the library's hash.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <fmt/format.h>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "hotline/util/keyed_map.hpp"
#include "hotline/util/string_hash.hpp"
#include "hotline/util/view_map.hpp"

using hotline::hash_string;

// Reads only the key's own bytes: under the sanitizers this also shows that
// no load strays past a short key's end.
TEST_CASE("hash_string: the same key, from different storage, hashes alike") {
  for (const char* text : {"", "a", "ab", "abc", "abcd", "c12345", "agent0042", "callback:c17",
                           "exactly-16-bytes", "a key longer than sixteen bytes"}) {
    const std::string copy(text);
    CHECK(hash_string(copy) == hash_string(std::string_view(text)));
  }
}

TEST_CASE("hash_string: a center's ids do not collide") {
  std::unordered_set<std::uint64_t> seen;
  std::size_t keys = 0;
  auto add = [&](const std::string& key) {
    ++keys;
    seen.insert(hash_string(key));
  };
  for (int n = 1; n <= 300000; ++n) {
    add(fmt::format("c{}", n));
    add(fmt::format("callback:c{}", n));
  }
  for (int n = 1; n <= 100000; ++n) add(fmt::format("agent{:03}", n));
  for (int n = 0; n < 1000; ++n) add(fmt::format("queue-{}", n));
  CHECK(seen.size() == keys);
}

TEST_CASE("hash_string: every byte and the length of a short key change the hash") {
  const std::string base = "0123456789abcdef";
  for (std::size_t n = 0; n <= 16; ++n) {
    const std::string key = base.substr(0, n);
    const std::uint64_t h = hash_string(key);
    if (n < 16) {
      CHECK(hash_string(base.substr(0, n + 1)) != h);      // the length counts
      CHECK(hash_string(key + std::string(1, '\0')) != h);  // a trailing zero byte too
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string flipped = key;
        flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
        CAPTURE(n);
        CAPTURE(i);
        CAPTURE(bit);
        CHECK(hash_string(flipped) != h);
      }
    }
  }
}

// A factor of the mix is zero when a key's first (or last) eight bytes equal
// its constant; such keys must still hash by the rest of their bytes, or a
// table of them would degrade to a scan.
TEST_CASE("hash_string: keys that zero a factor of the mix still hash apart") {
  const std::uint64_t zeroes_first = 0xa0761d6478bd642fULL;
  const std::uint64_t zeroes_last = 0xe7037ed1a0b428dbULL;
  std::unordered_set<std::uint64_t> first;
  std::unordered_set<std::uint64_t> last;
  for (int n = 1000; n < 2000; ++n) {
    const std::string digits = fmt::format("{}", n);
    std::string key(8, '\0');
    std::memcpy(key.data(), &zeroes_first, 8);
    first.insert(hash_string(key + digits));
    std::memcpy(key.data(), &zeroes_last, 8);
    last.insert(hash_string(digits + key));
  }
  CHECK(first.size() == 1000);
  CHECK(last.size() == 1000);
}

TEST_CASE("hash_string: keys over 16 bytes take the library's hash") {
  for (const char* text : {"a84b4c76e66710@pc33.atlanta.com", "12345678901234567",
                           "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}) {
    CHECK(hash_string(text) == std::hash<std::string_view>{}(text));
  }
}

TEST_CASE("hash_string: the flat maps find every id they hold, and only those") {
  struct Named {
    std::string id;
  };
  struct IdOf {
    std::string_view operator()(const Named& n) const noexcept { return n.id; }
  };
  hotline::KeyedMap<Named, IdOf> keyed;
  hotline::ViewMap<int> viewed;
  std::vector<std::string> ids;
  for (int n = 0; n < 20000; ++n) ids.push_back(fmt::format("c{}", n));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    keyed.insert(ids[i], Named{ids[i]});
    viewed.insert(ids[i], static_cast<int>(i));
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    REQUIRE(keyed.find(ids[i]) != nullptr);
    CHECK(keyed.find(ids[i])->id == ids[i]);
    REQUIRE(viewed.find(ids[i]) != nullptr);
    CHECK(*viewed.find(ids[i]) == static_cast<int>(i));
  }
  CHECK(keyed.find("c20000") == nullptr);
  CHECK(viewed.find("c20000") == nullptr);
  CHECK(keyed.find("") == nullptr);
}
