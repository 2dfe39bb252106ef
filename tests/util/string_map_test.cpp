#include <doctest/doctest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "hotline/util/string_map.hpp"

using hotline::StringMap;

TEST_CASE("StringMap: emplace keeps the first value, find and erase by string") {
  StringMap<int> m;
  CHECK(m.find("c1") == nullptr);
  CHECK_FALSE(m.erase("c1"));
  {
    std::string key = "c1";
    CHECK(m.emplace(key, 1));
    key = "overwritten";  // the map keeps its own copy
  }
  CHECK(m.emplace("a call id longer than a small string holds", 2));
  CHECK_FALSE(m.emplace("c1", 10));  // as unordered_map::emplace: the first value stays
  REQUIRE(m.find("c1") != nullptr);
  CHECK(*m.find("c1") == 1);
  CHECK(*m.find("a call id longer than a small string holds") == 2);
  CHECK(m.find("overwritten") == nullptr);
  CHECK(m.size() == 2);
  CHECK(m.erase("c1"));
  CHECK_FALSE(m.contains("c1"));
  CHECK(m.size() == 1);
  CHECK_FALSE(m.contains(""));
}

TEST_CASE("StringMap agrees with std::unordered_map over many emplaces and erases") {
  // Keys come and go as calls do, so the table grows and erasing shifts
  // entries back over the holes.
  StringMap<long> m;
  std::unordered_map<std::string, long> reference;
  std::mt19937_64 rng(17);
  for (int step = 0; step < 20000; ++step) {
    const std::string key = "c" + std::to_string(rng() % 3000);
    if (rng() % 3 == 0) {
      CHECK(m.erase(key) == (reference.erase(key) == 1));
    } else {
      CHECK(m.emplace(key, step) == reference.emplace(key, step).second);
    }
  }
  CHECK(m.size() == reference.size());
  for (int i = 0; i < 3000; ++i) {
    const std::string key = "c" + std::to_string(i);
    auto it = reference.find(key);
    const long* found = m.find(key);
    REQUIRE((found != nullptr) == (it != reference.end()));
    if (found) CHECK(*found == it->second);
  }
}
