// DigestOwners::find, which remembers its recent answers, gives the answer
// worked out afresh from the owners (find_afresh) whatever values were noted
// and asked about before: a generated run of notes, clears and finds over a
// pool of values of every kind (strings about the 8 bytes kept, with a zero
// byte inside, numbers with -0 and NaN, booleans, null and a list), past the
// 32 bits so that bits are shared, each find compared with find_afresh on
// the same table.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "../../src/routing/digest_owners.hpp"
#include "hotline/expr/attributes.hpp"

using namespace hotline;
using namespace hotline::routing;

TEST_CASE("remembered finds answer as finds worked out afresh") {
  // Values are borrowed from attributes that outlive the run.
  std::vector<std::string> texts = {"",         "a",        "en",        "de",       "12345678",
                                    "12345679", "123456789", "1234567890", std::string("a\0", 2),
                                    "1",        "true"};
  for (int i = 0; i < 60; ++i) texts.push_back("v" + std::to_string(i));
  expr::Attributes pool;
  std::vector<std::string> keys;
  auto add = [&](auto value) {
    const std::string key = "k" + std::to_string(keys.size());
    pool.set(key, value);
    keys.push_back(key);
  };
  for (const std::string& t : texts) add(std::string_view(t));
  for (double d : {0.0, -0.0, 1.0, 2.5, 1e300, std::nan("")}) add(d);
  add(true);
  add(false);
  add(std::vector<std::string>{"en"});
  std::vector<expr::Value> values;
  for (const std::string& k : keys) values.push_back(*pool.find(k));
  values.push_back(expr::Value());  // null

  std::mt19937_64 rng(5);
  int remembered = 0;
  for (int run = 0; run < 40; ++run) {
    DigestOwners owners;
    // Some runs note few values (every bit exact), others many (bits shared).
    const std::size_t noted_pool = run % 2 ? 8 : values.size();
    for (int step = 0; step < 3000; ++step) {
      const std::size_t r = rng() % 100;
      if (r < 10) {
        const expr::Value& v = values[rng() % noted_pool];
        if (DigestOwners::has_bit(v)) (void)owners.note(v);
      } else if (r == 10 && rng() % 20 == 0) {
        owners.clear();
      } else {
        // Mostly the few values a queue's contacts carry, so answers are
        // remembered; sometimes any value.
        const expr::Value& v = values[rng() % 4 == 0 ? rng() % values.size() : rng() % 6];
        const DigestOwners::Found afresh = owners.find_afresh(v);
        const DigestOwners::Found found = owners.find(v);
        REQUIRE(found.bit == afresh.bit);
        REQUIRE(found.exact == afresh.exact);
        // Asked again at once: the remembered answer.
        const DigestOwners::Found again = owners.find(v);
        REQUIRE(again.bit == afresh.bit);
        REQUIRE(again.exact == afresh.exact);
        ++remembered;
      }
    }
  }
  CHECK(remembered > 50'000);
}

TEST_CASE("a value given a bit after it was asked about is found by it") {
  expr::Attributes pool;
  pool.set("v", "fr");
  const expr::Value fr = *pool.find("v");
  DigestOwners owners;
  const DigestOwners::Found before = owners.find(fr);
  CHECK(before.bit == 0);
  CHECK(before.exact);
  const std::uint32_t bit = owners.note(fr);
  REQUIRE(bit != 0);
  const DigestOwners::Found after = owners.find(fr);
  CHECK(after.bit == bit);
  CHECK(after.exact);
  owners.clear();
  CHECK(owners.find(fr).bit == 0);
}

// A waiting contact's key keeps its value's bit while that bit is the
// value's own, with the epoch it was found in (ContactKey::digest_decides),
// and trusts it while the epoch stays. Generated notes and clears over more
// values than there are bits: every bit found exact, asked again in the same
// epoch, is the same bit and still exact.
TEST_CASE("an exact bit stays exact while the epoch stays") {
  expr::Attributes pool;
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) {
    keys.push_back("k" + std::to_string(i));
    pool.set(keys.back(), std::string_view("v" + std::to_string(i)));
  }
  std::vector<expr::Value> values;
  for (const std::string& k : keys) values.push_back(*pool.find(k));
  struct Kept {
    std::size_t value;
    std::uint32_t bit;
    std::uint16_t epoch;
  };
  std::mt19937_64 rng(9);
  int checked = 0;
  int outdated = 0;  // kept bits whose epoch had moved on
  for (int run = 0; run < 20; ++run) {
    DigestOwners owners;
    std::vector<Kept> kept;
    for (int step = 0; step < 2000; ++step) {
      const std::size_t r = rng() % 100;
      if (r < 8) {
        const std::uint16_t epoch = owners.epoch();
        const std::size_t v = rng() % values.size();
        const bool had_bit = owners.find_afresh(values[v]).bit != 0;
        (void)owners.note(values[v]);
        // A value given a bit of its own takes a free one: no exact bit is
        // lost, and the epoch stays.
        if (!had_bit && owners.find_afresh(values[v]).exact) CHECK(owners.epoch() == epoch);
      } else if (r == 8 && rng() % 10 == 0) {
        const std::uint16_t epoch = owners.epoch();
        owners.clear();
        CHECK(owners.epoch() != epoch);
      } else if (r < 30) {
        const std::size_t v = rng() % values.size();
        const DigestOwners::Found found = owners.find(values[v]);
        if (found.exact && found.bit != 0) kept.push_back({v, found.bit, owners.epoch()});
      } else {
        for (const Kept& k : kept) {
          if (k.epoch != owners.epoch()) {
            ++outdated;
            continue;
          }
          const DigestOwners::Found now = owners.find_afresh(values[k.value]);
          REQUIRE(now.bit == k.bit);
          REQUIRE(now.exact);
          ++checked;
        }
        if (kept.size() > 64) kept.erase(kept.begin(), kept.begin() + 32);
      }
    }
  }
  // Both sides ran: bits checked in their epoch, and bits outdated by shares
  // and clears.
  CHECK(checked > 10'000);
  CHECK(outdated > 1'000);
}
