#include "digest_tests.hpp"

namespace hotline::routing {

void DigestTests::reset(const std::vector<const std::vector<expr::Expression>*>& membership_tests) {
  tests_.clear();
  // Whether a test passes for a list's item or a scalar depends on its
  // operator alone (the item is in the list; a scalar equals itself), so it
  // is asked once here, of a sample of each.
  const expr::Value sample = expr::Value::string("x");
  const expr::Value list = expr::Value::list(&sample, 1);
  for (const std::vector<expr::Expression>* tests : membership_tests) {
    for (const expr::Expression& test : *tests) {
      // A membership test reads one agent key: its agent operand.
      const std::vector<std::string> keys = test.agent_keys();
      tests_.push_back({keys.empty() ? std::string() : keys.front(),
                        test.membership_holds(sample, list), test.membership_holds(sample, sample)});
    }
  }
}

std::uint32_t DigestTests::signature(const expr::Attributes& view, DigestOwners& owners) const {
  std::uint32_t signature = 0;
  for (const Test& test : tests_) {
    const expr::Value* found = view.find_path(test.key);
    if (!found) continue;  // missing: null, which has no bit
    const expr::Value& v = *found;
    if (v.kind() == expr::Value::Kind::kList) {
      if (!test.passes_items) continue;
      for (std::size_t k = 0; k < v.list_size(); ++k) {
        const expr::Value& item = v.list_at(k);
        if (DigestOwners::has_bit(item)) signature |= owners.note(item);
      }
    } else if (test.passes_scalar && DigestOwners::has_bit(v)) {
      signature |= owners.note(v);
    }
  }
  return signature;
}

}  // namespace hotline::routing
