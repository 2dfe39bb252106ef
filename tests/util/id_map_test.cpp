#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>

#include "hotline/util/id_map.hpp"

using hotline::IdMap;

TEST_CASE("IdMap: insert, find, overwrite and erase") {
  IdMap<std::string> m;
  CHECK(m.find(7) == nullptr);
  CHECK_FALSE(m.erase(7));
  CHECK_FALSE(m.contains(0));
  m[7] = "seven";
  m[8] = "eight";
  REQUIRE(m.find(7) != nullptr);
  CHECK(*m.find(7) == "seven");
  m[7] = "SEVEN";
  CHECK(*m.find(7) == "SEVEN");
  CHECK(m.size() == 2);
  CHECK(m.erase(7));
  CHECK(m.find(7) == nullptr);
  CHECK(*m.find(8) == "eight");
  CHECK(m.size() == 1);
  m.clear();
  CHECK(m.empty());
  CHECK(m.find(8) == nullptr);
  m[9] = "nine";
  CHECK(*m.find(9) == "nine");
}

TEST_CASE("IdMap: a reserved map takes its count without moving an entry") {
  IdMap<int> m;
  m.reserve(1000);
  m[1] = 1;
  const int* first = m.find(1);
  for (std::uint64_t id = 2; id <= 1000; ++id) m[id] = static_cast<int>(id);
  // Growing would have moved every entry to a larger array.
  CHECK(m.find(1) == first);
  CHECK(m.size() == 1000);
  for (std::uint64_t id = 1; id <= 1000; ++id) REQUIRE(*m.find(id) == static_cast<int>(id));
  // Past the count it grows as any map does, keeping every entry.
  for (std::uint64_t id = 1001; id <= 5000; ++id) m[id] = static_cast<int>(id);
  CHECK(m.size() == 5000);
  for (std::uint64_t id = 1; id <= 5000; ++id) REQUIRE(*m.find(id) == static_cast<int>(id));
  // Reserving less than it holds changes nothing.
  const int* kept = m.find(1);
  m.reserve(10);
  CHECK(m.find(1) == kept);
}

TEST_CASE("IdMap agrees with std::unordered_map through random inserts and erases") {
  // Ids from a narrow range collide often, which exercises probe runs that
  // wrap around the table and the backward shift on erase.
  std::mt19937_64 rng(42);
  for (std::uint64_t range : {40u, 1000u, 1u << 20}) {
    IdMap<std::uint64_t> m;
    std::unordered_map<std::uint64_t, std::uint64_t> ref;
    for (int step = 0; step < 200'000; ++step) {
      const std::uint64_t id = 1 + rng() % range;
      switch (rng() % 3) {
        case 0:
        case 1: {
          const std::uint64_t v = rng();
          m[id] = v;
          ref[id] = v;
          break;
        }
        default: CHECK(m.erase(id) == (ref.erase(id) == 1)); break;
      }
      if (step % 997 == 0) {
        REQUIRE(m.size() == ref.size());
        for (std::uint64_t probe = 1; probe <= std::min<std::uint64_t>(range, 2000); ++probe) {
          auto it = ref.find(probe);
          const std::uint64_t* v = m.find(probe);
          REQUIRE((v != nullptr) == (it != ref.end()));
          if (v) REQUIRE(*v == it->second);
        }
      }
    }
    std::size_t seen = 0;
    m.for_each([&](std::uint64_t id, std::uint64_t v) {
      ++seen;
      REQUIRE(ref.count(id) == 1);
      CHECK(ref[id] == v);
    });
    CHECK(seen == ref.size());
  }
}
