// What a contact's decision needs of its queue's membership tests before
// it walks the free sets, in one cache line of the queue's record: which
// rings have a test, which of them a digest bit settles, and, when the
// queue's tests are one test whose contact side is one short key, that key.
// Read from the compiled rings, the same is a chain of six dependent loads
// (the rings, the ring's tests, the test's program, its nodes, its key
// segments, their text), each a cache miss when the queue is not the last
// one routed to; this line is loaded as soon as the queue is known.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/expr/expression.hpp"
#include "hotline/expr/value.hpp"

namespace hotline::routing {

class alignas(64) ContactSide {
 public:
  // Keys longer than this are read through the test's own program.
  static constexpr std::size_t kMaxKey = 53;

  // For a queue whose rings' membership tests are all `test` (by text), with
  // bit i of `tested` set when ring i has one and of `settled` when a digest
  // bit settles ring i; null `test` for a queue with no test or several.
  void reset(const expr::Expression* test, std::uint32_t tested, std::uint32_t settled) {
    *this = ContactSide{};
    if (!test) return;
    one_test_ = true;
    tested_ = tested;
    settled_ = settled;
    const std::vector<std::string_view> path = test->contact_operand_path();
    if (path.size() != 1 || path.front().size() > kMaxKey) return;
    key_size_ = static_cast<std::uint8_t>(path.front().size());
    for (std::size_t i = 0; i < key_size_; ++i) key_[i] = path.front()[i];
    has_key_ = true;
  }

  // Whether the queue's membership tests are one test (see reset).
  bool one_test() const noexcept { return one_test_; }
  std::uint32_t tested() const noexcept { return tested_; }
  std::uint32_t settled() const noexcept { return settled_; }
  // Whether contact_value answers for the test's contact operand.
  bool has_key() const noexcept { return has_key_; }
  // The contact's side of the one test, as Expression::contact_operand
  // gives it for a scope whose contact is `contact`: a one-key path reads
  // that key, and a missing key is null.
  expr::Value contact_value(const expr::Attributes& contact) const noexcept {
    const expr::Value* v = contact.find(std::string_view(key_, key_size_));
    return v ? *v : expr::Value();
  }

  [[gnu::always_inline]] void prefetch() const noexcept { __builtin_prefetch(this); }

 private:
  std::uint32_t tested_ = 0;
  std::uint32_t settled_ = 0;
  bool one_test_ = false;
  bool has_key_ = false;
  std::uint8_t key_size_ = 0;
  char key_[kMaxKey]{};
};
static_assert(sizeof(ContactSide) == 64);

}  // namespace hotline::routing
