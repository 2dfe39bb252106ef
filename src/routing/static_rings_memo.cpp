#include "static_rings_memo.hpp"

#include <cmath>

namespace hotline::routing {

void StaticRingsMemo::reset(const std::vector<const std::vector<expr::Expression>*>& static_parts,
                            bool queue_has_skills) {
  usable_ = false;
  known_ = 0;
  key_.clear();
  if (queue_has_skills) return;
  bool one_key = true;
  bool have_key = false;
  for (const std::vector<expr::Expression>* parts : static_parts) {
    for (const expr::Expression& part : *parts) {
      // Static parts read no contact key; one that did could not be kept.
      if (part.references_contact()) return;
      for (const std::string& key : part.agent_keys()) {
        if (!have_key) {
          key_ = key;
          have_key = true;
        } else if (key != key_) {
          one_key = false;
        }
      }
    }
  }
  // Tests that read no agent key at all answer the same for everyone: any
  // key will do, its value then decides nothing.
  usable_ = one_key;
}

int StaticRingsMemo::slot_of(const expr::Value* v) noexcept {
  if (!v) return kNullSlot;
  switch (v->kind()) {
    case expr::Value::Kind::kNull: return kNullSlot;
    case expr::Value::Kind::kBool: return v->as_bool() ? kTrueSlot : kFalseSlot;
    case expr::Value::Kind::kNumber: {
      const double d = v->as_number();
      if (!(d >= 0 && d < kSmallIntegers) || std::floor(d) != d) return -1;
      return static_cast<int>(d);
    }
    default: return -1;
  }
}

}  // namespace hotline::routing
