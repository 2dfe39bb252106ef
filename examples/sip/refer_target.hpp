// What a REFER asks for (RFC 3515): the Refer-To URI's user names the
// transfer's target, and its Replaces header (RFC 3891) names the dialog
// whose party takes the call in an attended transfer.
//
// The user is an agent id when one of the engine's agents has it, else a
// queue id when one of its queues has it (agents first: an id both name is
// the agent), else a number the host calls through its trunk.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hotline::sip {

struct TransferTarget {
  enum class Kind { agent, queue, number };
  Kind kind = Kind::number;
  std::string id;  // the agent id, the queue id or the number
};

TransferTarget classify_transfer_target(const std::string& user,
                                        const std::vector<std::string>& agents,
                                        const std::vector<std::string>& queues);

// True when a target the host would send through its trunk is a number a
// phone could dial: digits, '+', '*' and '#' only. A phone must not name a
// SIP address of its own choosing (a REFER's percent-escaped
// "sip%3Ax%40elsewhere"): numbers leave through the trunk or not at all.
bool dialable_number(const std::string& number);

// RFC 3891's Replaces: the dialog's Call-ID and tags.
struct ReplacesDialog {
  std::string call_id;
  std::string to_tag;
  std::string from_tag;
};

// The Replaces header among a URI's headers ("?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2",
// '&'-separated, percent-escaped, the leading '?' optional); nothing when there is none or it
// lacks a part.
std::optional<ReplacesDialog> replaces_of(const std::string& uri_headers);

// Percent-escapes decoded; a '%' not followed by two hex digits is kept as it is.
std::string percent_decoded(const std::string& text);

}  // namespace hotline::sip
