// The agent's side of a queue's membership tests (see CompiledRing), kept
// compact: for each test, in ring order, the agent key it reads and whether
// it passes for the items of a list there or for a scalar. An agent's digest
// is computed from these and its view alone: reading each test's compiled
// program instead (several allocations per test, in a thousand queues)
// missed the cache for nearly every agent loaded.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/expr/expression.hpp"

#include "digest_owners.hpp"

namespace hotline::routing {

class DigestTests {
 public:
  // Strings this long or shorter are remembered with their bits (see Noted).
  static constexpr std::size_t kNotedText = 14;

  // From the membership tests of each of the queue's rings, in order; also
  // forgets the values noted, as when the queue's owners are cleared.
  void reset(const std::vector<const std::vector<expr::Expression>*>& membership_tests);

  bool empty() const noexcept { return tests_.empty(); }

  // The digest of an agent whose view is `view`: each value the tests could
  // let a contact's value through with (a list's items for `IN` and `HAS`,
  // a scalar for `==`), noted in `owners`, in the order the tests and the
  // items come. `owners` must be the queue's, changed only through here
  // since the last reset (see `noted_`).
  std::uint32_t signature(const expr::Attributes& view, DigestOwners& owners);

 private:
  struct Test {
    std::string key;          // dotted, as Expression::agent_keys names it
    bool passes_items = false;  // a list's items pass (`IN`, `HAS`)
    bool passes_scalar = false;  // a scalar passes (`==`)
  };
  // A value noted before, with the bit it was given. Noting a value again
  // gives the same bit and changes nothing (a bit once given stays until
  // the owners are cleared, and a shared bit is only set again), so the
  // first few values noted are answered here, beside the tests, rather
  // than from the owners in the queue's record, a cache miss at a time.
  struct Noted {
    std::uint32_t bit = 0;
    expr::Value::Kind kind = expr::Value::Kind::kNull;
    std::uint8_t size = 0;        // of a string's bytes in `text`
    char text[kNotedText] = {};  // a string's bytes
    double number = 0;            // a number's value; 1 or 0 for a boolean
  };
  static constexpr std::size_t kNoted = 8;
  // Noted in `owners`, or answered from `noted_`.
  std::uint32_t note(const expr::Value& v, DigestOwners& owners);

  std::vector<Test> tests_;
  std::size_t noted_count_ = 0;
  std::array<Noted, kNoted> noted_{};
};

}  // namespace hotline::routing
