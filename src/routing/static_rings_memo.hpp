// A queue's static ring answers (Membership::static_rings), reused per
// value. Most queues' agent-only tests read one agent key
// (`agent.skills.billing >= 3`), whose values are a few small integers, so
// all of a queue's agents share a handful of answers. Evaluating the tests
// for each agent reads the queue's compiled programs, spread over several
// allocations per ring: with a thousand queues and a million agents loaded
// in turn, those lines miss the cache on almost every agent. The answers
// for the values seen sit here in two cache lines instead, beside the key
// they depend on.
//
// Only answers that cannot differ from evaluating are kept: the queue has
// no skills of its own (the answer would depend on more than one value),
// every static part reads the same single agent key, and the value there
// is missing or null, a boolean, or an integer from 0 to kSmallIntegers - 1
// (the language compares numbers by value alone, so -0 is 0). Any other
// value is evaluated each time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/expr/expression.hpp"

namespace hotline::routing {

class StaticRingsMemo {
 public:
  static constexpr int kSmallIntegers = 16;

  // Forgets every answer and judges anew whether answers may be kept, from
  // the static parts of each of the queue's rings.
  void reset(const std::vector<const std::vector<expr::Expression>*>& static_parts,
             bool queue_has_skills);

  bool usable() const noexcept { return usable_; }

  // The static rings of an agent whose view is `view`: the answer kept for
  // its value, or `evaluate()`, kept when the value has a slot. Only for a
  // usable memo.
  template <typename Evaluate>
  std::uint32_t static_rings(const expr::Attributes& view, Evaluate evaluate) {
    const int slot = slot_of(view.find_path(key_));
    if (slot < 0) return evaluate();
    const std::uint32_t bit = 1u << slot;
    if (known_ & bit) return answers_[static_cast<std::size_t>(slot)];
    const std::uint32_t answer = evaluate();
    answers_[static_cast<std::size_t>(slot)] = answer;
    known_ |= bit;
    return answer;
  }

 private:
  static constexpr int kNullSlot = kSmallIntegers;
  static constexpr int kFalseSlot = kSmallIntegers + 1;
  static constexpr int kTrueSlot = kSmallIntegers + 2;
  static constexpr int kSlots = kSmallIntegers + 3;

  // The slot of a value (nullptr: the key is missing), or -1 for none.
  static int slot_of(const expr::Value* v) noexcept;

  bool usable_ = false;
  std::uint32_t known_ = 0;  // bit s: answers_[s] holds the answer for slot s
  std::string key_;          // the dotted agent key every static part reads
  std::array<std::uint32_t, kSlots> answers_{};
};

}  // namespace hotline::routing
