// KeyedMap answers as the ViewMap the engine's calls and the router's agents
// were kept in did, with keys read from the values themselves: checked
// against std::unordered_map, while the storage the keys are read from moves.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "hotline/util/keyed_map.hpp"

using hotline::KeyedMap;

namespace {

// An owned string's key is the string.
struct OwnText {
  std::string_view operator()(const std::unique_ptr<std::string>& s) const noexcept { return *s; }
};

// Indexes into a table of names, as agent indexes into the agents: the
// table may grow (and move) while the map holds indexes.
struct NameAt {
  const std::vector<std::string>* names;
  std::string_view operator()(std::uint32_t i) const noexcept { return (*names)[i]; }
};

}  // namespace

TEST_CASE("KeyedMap: insert, find, replace and erase by a key the value holds") {
  KeyedMap<std::unique_ptr<std::string>, OwnText> m;
  CHECK(m.find("call1") == nullptr);
  CHECK_FALSE(m.erase("call1"));
  m.insert("call1", std::make_unique<std::string>("call1"));
  m.insert("call2", std::make_unique<std::string>("call2"));
  REQUIRE(m.find("call1") != nullptr);
  CHECK(**m.find("call1") == "call1");
  CHECK(m.find("call") == nullptr);
  // Replacing: the new value (with the same key) takes the slot.
  auto again = std::make_unique<std::string>("call1");
  const std::string* fresh = again.get();
  m.insert("call1", std::move(again));
  CHECK(m.find("call1")->get() == fresh);
  CHECK(m.size() == 2);
  CHECK(m.erase("call1"));
  CHECK(m.find("call1") == nullptr);
  CHECK(m.contains("call2"));
  CHECK_FALSE(m.contains(""));
}

TEST_CASE("KeyedMap: reserving keeps the keys there and makes room for more") {
  // Values that own their keys: a slot remembered from before the rehash
  // would be read through an empty or moved pointer, which ASan reports.
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) names.push_back("agent" + std::to_string(i));
  KeyedMap<std::unique_ptr<std::string>, OwnText> m;
  for (int i = 0; i < 100; ++i) m.insert(names[i], std::make_unique<std::string>(names[i]));
  CHECK(**m.find("agent7") == "agent7");  // remembered as the last key found
  m.reserve(5000);                        // rehashes what is there
  CHECK(m.size() == 100);
  CHECK(**m.find("agent7") == "agent7");
  for (int i = 100; i < 5000; ++i) m.insert(names[i], std::make_unique<std::string>(names[i]));
  m.reserve(10);  // never shrinks
  CHECK(m.size() == 5000);
  for (int i = 0; i < 5000; ++i) {
    const auto* v = m.find(names[i]);
    REQUIRE(v != nullptr);
    CHECK(**v == names[i]);
  }
  CHECK(m.erase("agent4999"));
  CHECK_FALSE(m.contains("agent4999"));
  CHECK(m.contains("agent4998"));
}

TEST_CASE("KeyedMap: a value may be erased by the bytes of its own key") {
  KeyedMap<std::unique_ptr<std::string>, OwnText> m;
  for (int i = 0; i < 100; ++i) {
    auto owned = std::make_unique<std::string>("call-" + std::to_string(i));
    const std::string_view key = *owned;
    m.insert(key, std::move(owned));
  }
  for (int i = 0; i < 100; i += 2) {
    std::unique_ptr<std::string>* v = m.find("call-" + std::to_string(i));
    REQUIRE(v != nullptr);
    CHECK(m.erase(**v));  // the key views the string the erase destroys
  }
  CHECK(m.size() == 50);
  for (int i = 0; i < 100; ++i) CHECK(m.contains("call-" + std::to_string(i)) == (i % 2 == 1));
}

TEST_CASE("KeyedMap agrees with std::unordered_map through random inserts and erases") {
  std::mt19937_64 rng(7);
  std::vector<std::string> names;
  KeyedMap<std::uint32_t, NameAt> m{NameAt{&names}};
  std::unordered_map<std::string, std::uint32_t> ref;
  std::unordered_map<std::string, std::uint32_t> index_of;  // a name's index, once made
  for (int step = 0; step < 200'000; ++step) {
    // Names come into being as the steps go on: the table grows under the map.
    const std::size_t known = std::min<std::size_t>(3000, 50 + step / 50);
    const std::string key = "id" + std::to_string(rng() % known);
    auto made = index_of.find(key);
    if (made == index_of.end()) {
      names.push_back(key);
      made = index_of.emplace(key, static_cast<std::uint32_t>(names.size() - 1)).first;
    }
    const std::uint32_t index = made->second;
    if (rng() % 3 != 0) {
      m.insert(key, index);
      ref[key] = index;
    } else {
      const bool erased = ref.erase(key) == 1;
      CHECK(m.erase(key) == erased);
    }
    if (step % 1999 == 0) {
      REQUIRE(m.size() == ref.size());
      for (const auto& [name, i] : index_of) {
        const std::uint32_t* v = m.find(name);
        auto it = ref.find(name);
        REQUIRE((v != nullptr) == (it != ref.end()));
        if (v) REQUIRE(*v == it->second);
      }
    }
  }
  std::size_t seen = 0;
  m.for_each([&](std::string_view k, std::uint32_t v) {
    ++seen;
    CHECK(ref.at(std::string(k)) == v);
  });
  CHECK(seen == ref.size());
}

TEST_CASE("KeyedMap: inserting a key known absent answers as inserting it") {
  // Two maps fed the same random keys, erasures and lookups, one through
  // insert, the other through insert_absent after finding nothing; the
  // last key found is remembered across the growth insert_absent causes.
  std::mt19937_64 rng(5);
  KeyedMap<std::unique_ptr<std::string>, OwnText> plain;
  KeyedMap<std::unique_ptr<std::string>, OwnText> absent;
  std::unordered_map<std::string, bool> truth;
  for (int i = 0; i < 20000; ++i) {
    const std::string key = "call" + std::to_string(rng() % 3000);
    switch (rng() % 3) {
      case 0:
      case 1:
        if (absent.find(key) == nullptr) {
          absent.insert_absent(key, std::make_unique<std::string>(key));
          plain.insert(key, std::make_unique<std::string>(key));
          truth[key] = true;
        }
        break;
      default:
        CHECK(absent.erase(key) == plain.erase(key));
        truth.erase(key);
        break;
    }
    REQUIRE(absent.size() == truth.size());
    REQUIRE(plain.size() == truth.size());
    const std::string probe = "call" + std::to_string(rng() % 3000);
    const bool held = truth.count(probe) != 0;
    REQUIRE((absent.find(probe) != nullptr) == held);
    REQUIRE((plain.find(probe) != nullptr) == held);
    if (held) REQUIRE(**absent.find(probe) == probe);
  }
}
