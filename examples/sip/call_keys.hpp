// The keys an agent's phone presses during a call (RFC 4733 events or SIP
// INFO), read against the in-call feature codes: the conference code merges
// a consultation, the mute code toggles the phone's own mute, the drop code
// followed by a leg and '#' drops that party from a conference, the add code
// followed by a number and '#' adds that party, the record code starts or
// stops the call's recording and the pause code pauses or resumes it.
//
// Keys arrive one at a time, so a code is taken once no longer code could
// still follow (the longest match, as with the dialled codes); a key that
// makes the typed keys the start of no code starts them afresh.
#pragma once

#include <optional>
#include <string>

#include "feature_codes.hpp"

namespace hotline::sip {

struct CallKeyAction {
  enum class Kind { conference, mute, drop, add, record, pause };
  Kind kind = Kind::conference;
  std::string leg;  // drop and add: the keys typed between the code and '#'
};

class CallKeys {
 public:
  explicit CallKeys(const FeatureCodes* codes) : codes_(codes) {}

  // Takes one key; an action when it completes a code.
  std::optional<CallKeyAction> press(char key);

 private:
  const FeatureCodes* codes_;
  std::string typed_;
  // After the drop or add code, until '#': the keys that follow name a party.
  std::optional<CallKeyAction::Kind> naming_;
};

}  // namespace hotline::sip
