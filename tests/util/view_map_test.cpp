#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "hotline/util/view_map.hpp"

using hotline::ViewMap;

TEST_CASE("ViewMap: insert, find, replace and erase by string") {
  ViewMap<int> m;
  const std::string a = "agent1", b = "agent2";
  CHECK(m.find(a) == nullptr);
  CHECK_FALSE(m.erase(a));
  m.insert(a, 1);
  m.insert(b, 2);
  REQUIRE(m.find("agent1") != nullptr);
  CHECK(*m.find("agent1") == 1);
  CHECK(*m.find(std::string_view("agent2")) == 2);
  CHECK(m.find("agent") == nullptr);
  m.insert(a, 10);
  CHECK(*m.find(a) == 10);
  CHECK(m.size() == 2);
  CHECK(m.erase("agent1"));
  CHECK(m.find(a) == nullptr);
  CHECK(*m.find(b) == 2);
  CHECK_FALSE(m.contains(""));  // never inserted
}

TEST_CASE("ViewMap: a value may own the bytes of its own key") {
  ViewMap<std::unique_ptr<std::string>> m;
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

TEST_CASE("ViewMap: reserving keeps what is there and makes room for more") {
  std::deque<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("agent" + std::to_string(i));
  ViewMap<int> m;
  for (int i = 0; i < 100; ++i) m.insert(keys[i], i);
  CHECK(*m.find("agent7") == 7);  // remembered as the last key found
  m.reserve(5000);                // rehashes what is there
  CHECK(m.size() == 100);
  CHECK(*m.find("agent7") == 7);
  for (int i = 100; i < 5000; ++i) m.insert(keys[i], i);
  m.reserve(10);  // never shrinks
  CHECK(m.size() == 5000);
  for (int i = 0; i < 5000; ++i) {
    const int* v = m.find(keys[i]);
    REQUIRE(v != nullptr);
    CHECK(*v == i);
  }
  CHECK(m.erase("agent4999"));
  CHECK_FALSE(m.contains("agent4999"));
  CHECK(m.contains("agent4998"));
  ViewMap<int> empty;
  empty.reserve(0);
  CHECK(empty.find("x") == nullptr);
  empty.insert(keys[0], 1);
  CHECK(*empty.find("agent0") == 1);
}

TEST_CASE("ViewMap agrees with std::unordered_map through random inserts and erases") {
  std::mt19937_64 rng(7);
  std::deque<std::string> names;  // stable storage for the views
  for (int i = 0; i < 3000; ++i) names.push_back("id" + std::to_string(i));
  ViewMap<int> m;
  std::unordered_map<std::string, int> ref;
  for (int step = 0; step < 200'000; ++step) {
    const std::string& key = names[rng() % (step < 100'000 ? 50 : names.size())];
    if (rng() % 3 != 0) {
      const int v = static_cast<int>(rng() % 1000);
      m.insert(key, v);
      ref[key] = v;
    } else {
      CHECK(m.erase(key) == (ref.erase(key) == 1));
    }
    if (step % 1999 == 0) {
      REQUIRE(m.size() == ref.size());
      for (const std::string& n : names) {
        const int* v = m.find(n);
        auto it = ref.find(n);
        REQUIRE((v != nullptr) == (it != ref.end()));
        if (v) REQUIRE(*v == it->second);
      }
    }
  }
  std::size_t seen = 0;
  m.for_each([&](std::string_view k, int v) {
    ++seen;
    CHECK(ref.at(std::string(k)) == v);
  });
  CHECK(seen == ref.size());
}
