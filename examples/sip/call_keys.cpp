#include "call_keys.hpp"

#include <utility>

namespace hotline::sip {

namespace {

// A party named by more keys than this is no party: the keys are let go
// (a phone left pressing keys must not grow the host's memory).
constexpr std::size_t kMaxPartyKeys = 32;

// Codes followed by a party's keys and '#'.
bool names_a_party(CallKeyAction::Kind kind) {
  return kind == CallKeyAction::Kind::drop || kind == CallKeyAction::Kind::add;
}

}  // namespace

std::optional<CallKeyAction> CallKeys::press(char key) {
  if (naming_) {
    if (key != '#') {
      typed_ += key;
      if (typed_.size() > kMaxPartyKeys) {
        naming_.reset();
        typed_.clear();
      }
      return std::nullopt;
    }
    const CallKeyAction::Kind kind = *naming_;
    naming_.reset();
    std::string party = std::move(typed_);
    typed_.clear();
    if (party.empty()) return std::nullopt;
    return CallKeyAction{kind, std::move(party)};
  }
  typed_ += key;
  const std::pair<CallKeyAction::Kind, const std::string*> codes[] = {
      {CallKeyAction::Kind::conference, &codes_->conference},
      {CallKeyAction::Kind::mute, &codes_->mute},
      {CallKeyAction::Kind::drop, &codes_->drop},
      {CallKeyAction::Kind::add, &codes_->add},
      {CallKeyAction::Kind::record, &codes_->record},
      {CallKeyAction::Kind::pause, &codes_->pause}};
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
    if (names_a_party(complete->first)) {
      naming_ = complete->first;
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
      if (!typed_.empty() && *code.second == typed_ && !names_a_party(code.first)) {
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
