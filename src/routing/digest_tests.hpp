// The agent's side of a queue's membership tests (see CompiledRing), kept
// compact: for each test, in ring order, the agent key it reads and whether
// it passes for the items of a list there or for a scalar. An agent's digest
// is computed from these and its view alone: reading each test's compiled
// program instead (several allocations per test, in a thousand queues)
// missed the cache for nearly every agent loaded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/expr/expression.hpp"

#include "digest_owners.hpp"

namespace hotline::routing {

class DigestTests {
 public:
  // From the membership tests of each of the queue's rings, in order.
  void reset(const std::vector<const std::vector<expr::Expression>*>& membership_tests);

  bool empty() const noexcept { return tests_.empty(); }

  // The digest of an agent whose view is `view`: each value the tests could
  // let a contact's value through with (a list's items for `IN` and `HAS`,
  // a scalar for `==`), noted in `owners`, in the order the tests and the
  // items come.
  std::uint32_t signature(const expr::Attributes& view, DigestOwners& owners) const;

 private:
  struct Test {
    std::string key;          // dotted, as Expression::agent_keys names it
    bool passes_items = false;  // a list's items pass (`IN`, `HAS`)
    bool passes_scalar = false;  // a scalar passes (`==`)
  };
  std::vector<Test> tests_;
};

}  // namespace hotline::routing
