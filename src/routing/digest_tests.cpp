#include "digest_tests.hpp"

#include <cstring>

namespace hotline::routing {

void DigestTests::reset(const std::vector<const std::vector<expr::Expression>*>& membership_tests) {
  // Built aside and swapped in: an allocation failing halfway must not
  // leave a part of the queue's tests, whose digests would then lack bits
  // and turn away agents who pass.
  std::vector<Test> fresh;
  noted_count_ = 0;
  // Whether a test passes for a list's item or a scalar depends on its
  // operator alone (the item is in the list; a scalar equals itself), so it
  // is asked once here, of a sample of each.
  const expr::Value sample = expr::Value::string("x");
  const expr::Value list = expr::Value::list(&sample, 1);
  for (const std::vector<expr::Expression>* tests : membership_tests) {
    for (const expr::Expression& test : *tests) {
      // A membership test reads one agent key: its agent operand.
      const std::vector<std::string> keys = test.agent_keys();
      fresh.push_back({keys.empty() ? std::string() : keys.front(),
                        test.membership_holds(sample, list),
                        test.membership_holds(sample, sample)});
    }
  }
  tests_.swap(fresh);
}

std::uint32_t DigestTests::note(const expr::Value& v, DigestOwners& owners) {
  const std::string_view text = v.as_string();
  const double number =
      v.kind() == expr::Value::Kind::kBool ? (v.as_bool() ? 1 : 0) : v.as_number();
  for (std::size_t i = 0; i < noted_count_; ++i) {
    const Noted& n = noted_[i];
    if (n.kind != v.kind()) continue;
    // As DigestOwners compares: numbers by value (-0 is 0), strings by bytes.
    if (v.kind() == expr::Value::Kind::kString
            ? n.size == text.size() &&
                  (text.empty() || std::memcmp(n.text, text.data(), text.size()) == 0)
            : n.number == number) {
      return n.bit;
    }
  }
  const std::uint32_t bit = owners.note(v);
  if (noted_count_ < kNoted && text.size() <= kNotedText) {
    Noted& n = noted_[noted_count_++];
    n.bit = bit;
    n.kind = v.kind();
    n.size = static_cast<std::uint8_t>(text.size());
    if (!text.empty()) std::memcpy(n.text, text.data(), text.size());
    n.number = number;
  }
  return bit;
}

std::uint32_t DigestTests::signature(const expr::Attributes& view, DigestOwners& owners) {
  std::uint32_t signature = 0;
  for (const Test& test : tests_) {
    const expr::Value* found = view.find_path(test.key);
    if (!found) continue;  // missing: null, which has no bit
    const expr::Value& v = *found;
    if (v.kind() == expr::Value::Kind::kList) {
      if (!test.passes_items) continue;
      for (std::size_t k = 0; k < v.list_size(); ++k) {
        const expr::Value& item = v.list_at(k);
        if (DigestOwners::has_bit(item)) signature |= note(item, owners);
      }
    } else if (test.passes_scalar && DigestOwners::has_bit(v)) {
      signature |= note(v, owners);
    }
  }
  return signature;
}

}  // namespace hotline::routing
