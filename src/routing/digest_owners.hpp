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

// Aligned so that its first line holds the bit masks and the answers of
// recent finds (see find), loaded together.
class alignas(64) DigestOwners {
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
  // The bit a contact's value `v` has in the digests computed so far. The
  // answers for the last seven scalars asked about (strings of up to 8
  // bytes, numbers, booleans) are remembered in the first two lines, beside
  // the masks, until a value is given a bit or the table is cleared: a
  // contact's value is mostly one of a few (languages, regions), and the
  // owner it is compared with is otherwise a cache miss or two. Three, one
  // line's worth, leave two finds in five to the owners when contacts carry
  // one of five languages evenly (the routing benchmark's).
  Found find(const expr::Value& v) const noexcept;
  // The same answer, worked out from the owners without the remembered ones.
  Found find_afresh(const expr::Value& v) const noexcept;

  // Changes when a bit stops standing for one value: the table is cleared,
  // or a bit is shared. A bit find() called exact stays exact while this
  // stays the same. It changes at most 33 times between two clears (each
  // of 32 bits is shared once), and whoever keeps a bit with it asks again
  // after a clear: the 16 bits never wrap around to a stale answer.
  std::uint16_t epoch() const noexcept { return epoch_; }
  // Starts loading the two lines find reads first.
  [[gnu::always_inline]] void prefetch() const noexcept {
    __builtin_prefetch(this);
    __builtin_prefetch(reinterpret_cast<const char*>(this) + 64);
  }

 private:
  // A scalar find answered, by its kind and exact bits: equal bits give the
  // same answer.
  struct Remembered {
    std::uint64_t bits = 0;  // a string's bytes (zero after its end), a number's or a boolean's
    std::uint32_t bit = 0;
    expr::Value::Kind kind = expr::Value::Kind::kNull;  // kNull: the slot is empty
    std::uint8_t size = 0;  // a string's length
    bool exact = false;
  };
  static constexpr std::size_t kRemembered = 7;
  // The value's kind and bits as Remembered keeps them; false for a value
  // that is not kept (a string longer than 8 bytes, or not a scalar).
  static bool remembered_form(const expr::Value& v, Remembered& form) noexcept;
  void forget_found() noexcept;

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

  std::uint32_t owned_ = 0;      // bits that stand for one value each
  std::uint32_t displaced_ = 0;  // owned bits not their value's hash
  std::uint32_t shared_ = 0;     // bits more values were given once none was free
  mutable std::uint16_t next_remembered_ = 0;  // the slot the next answer replaces
  std::uint16_t epoch_ = 0;
  mutable std::array<Remembered, kRemembered> remembered_{};
  std::array<Owner, 32> owners_{};

  // The masks and the remembered answers fill the first two lines.
  static_assert(sizeof(Remembered) == 16 &&
                3 * sizeof(std::uint32_t) + 2 * sizeof(std::uint16_t) + 16 * kRemembered == 128);
};


// The bit of 32 that a scalar hashes to (values the expression language finds
// equal share it); 0 for other values.
std::uint32_t value_bit(const expr::Value& v) noexcept;

}  // namespace hotline::routing
