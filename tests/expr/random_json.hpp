// Random JSON values for the attributes tests: scalars, lists of scalars
// and of objects, objects, nested a few levels.
#pragma once

#include <iterator>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace hotline::expr::testing {

// A value for a random key: scalars, lists of scalars and objects, objects.
inline nlohmann::json random_json_value(std::mt19937& rng, int depth) {
  const char* const words[] = {"", "en", "de", "billing", "a somewhat longer string value"};
  switch (rng() % (depth < 3 ? 7 : 5)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<int>(rng() % 2000) - 1000;
    case 3: return words[rng() % std::size(words)];
    case 4: {
      nlohmann::json list = nlohmann::json::array();
      for (unsigned i = rng() % 4; i > 0; --i) list.push_back(words[rng() % std::size(words)]);
      return list;
    }
    case 5: {
      nlohmann::json list = nlohmann::json::array();
      for (unsigned i = rng() % 3; i > 0; --i) {
        list.push_back(nlohmann::json{{"k", random_json_value(rng, depth + 1)}});
      }
      list.push_back(1.5);
      return list;
    }
    default: {
      nlohmann::json o = nlohmann::json::object();
      for (unsigned i = rng() % 4; i > 0; --i) {
        o["k" + std::to_string(rng() % 6)] = random_json_value(rng, depth + 1);
      }
      return o;
    }
  }
}

}  // namespace hotline::expr::testing
