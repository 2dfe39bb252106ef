// The bits of a queue's membership digests (see CompiledRing): which value
// each bit stands for. A value takes the bit its hash names; when another
// value holds that bit, it takes a free one, so that the first 32 distinct
// values noted each have a bit of their own. A digest bit of its own says
// exactly whether an agent holds the value: the membership test is then
// settled from the free-set entry, and a candidate's attributes are not
// read. Bits are not given back when the last agent holding a value changes
// (only a change of the queue's tests starts the table afresh), so past 32
// values noted since then, values share bits, and a shared bit says "maybe":
// slower, never wrong.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "hotline/expr/value.hpp"

namespace hotline::routing {

class DigestOwners {
 public:
  struct Found {
    std::uint32_t bit = 0;  // 0: no agent holds the value
    bool exact = false;     // a digest has `bit` if and only if its agent holds the value
  };

  // Whether `v` may stand in a digest: a scalar equal to itself (not NaN).
  static bool has_bit(const expr::Value& v) noexcept;

  // Forgets every value: for a queue whose tests were compiled anew, before
  // its agents' digests are computed again.
  void clear();
  // The bit an agent's digest carries for `v` (has_bit, and the test lets
  // it through), given it on first sight. A bit once given stays: digests
  // computed earlier are not computed again.
  std::uint32_t note(const expr::Value& v);
  // The bit a contact's value `v` has in the digests computed so far.
  Found find(const expr::Value& v) const noexcept;

 private:
  // A scalar, copied: the agent's attributes it came from may change.
  struct Owner {
    expr::Value::Kind kind = expr::Value::Kind::kNull;
    double number = 0;
    std::string text;  // a string's bytes; "1" for true, "" for false
  };
  // Equal as the expression language compares scalars.
  static bool same(const Owner& o, const expr::Value& v) noexcept;
  // The bit `v` was given first-hand (its owner's), or 0.
  std::uint32_t owned_by(const expr::Value& v, std::uint32_t home) const noexcept;

  std::array<Owner, 32> owners_{};
  std::uint32_t owned_ = 0;      // bits that stand for one value each
  std::uint32_t displaced_ = 0;  // owned bits not their value's hash
  std::uint32_t shared_ = 0;     // bits more values were given once none was free
};

// The bit of 32 that a scalar hashes to (values the expression language finds
// equal share it); 0 for other values.
std::uint32_t value_bit(const expr::Value& v) noexcept;

}  // namespace hotline::routing
