#include "call_keys.hpp"

#include <utility>

namespace hotline::sip {

std::optional<CallKeyAction> CallKeys::press(char key) {
  if (naming_leg_) {
    if (key != '#') {
      typed_ += key;
      return std::nullopt;
    }
    naming_leg_ = false;
    std::string leg = std::move(typed_);
    typed_.clear();
    if (leg.empty()) return std::nullopt;
    return CallKeyAction{CallKeyAction::Kind::drop, std::move(leg)};
  }
  typed_ += key;
  const std::pair<CallKeyAction::Kind, const std::string*> codes[] = {
      {CallKeyAction::Kind::conference, &codes_->conference},
      {CallKeyAction::Kind::mute, &codes_->mute},
      {CallKeyAction::Kind::drop, &codes_->drop}};
  const std::pair<CallKeyAction::Kind, const std::string*>* complete = nullptr;
  bool longer_possible = false;
  for (const auto& code : codes) {
    if (code.second->empty()) continue;
    if (*code.second == typed_) {
      complete = &code;
    } else if (code.second->rfind(typed_, 0) == 0) {
      longer_possible = true;
    }
  }
  if (complete && !longer_possible) {
    typed_.clear();
    if (complete->first == CallKeyAction::Kind::drop) {
      naming_leg_ = true;
      return std::nullopt;
    }
    return CallKeyAction{complete->first, {}};
  }
  if (!complete && !longer_possible) {
    // Not the start of any code. The keys before this one may have been a
    // code waiting for a longer one that did not come: it is taken now, and
    // this key read afresh.
    typed_.pop_back();
    std::optional<CallKeyAction> waiting;
    for (const auto& code : codes) {
      if (!typed_.empty() && *code.second == typed_ && code.first != CallKeyAction::Kind::drop) {
        waiting = CallKeyAction{code.first, {}};
      }
    }
    const bool fresh = !typed_.empty();
    typed_.clear();
    if (waiting) {
      (void)press(key);
      return waiting;
    }
    if (fresh) return press(key);
  }
  return std::nullopt;
}

}  // namespace hotline::sip
