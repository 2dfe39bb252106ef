// The headers an agent's phone receives with an offered call, for the screen
// pop: the call, the queue, the customer and the path the caller took through
// the IVR. A header value is one line of printable ASCII whatever the
// customer's name holds (line breaks would inject headers; non-ASCII bytes
// are not allowed in every phone's parser), so values are written as JSON
// with every non-ASCII and control character escaped (\uXXXX).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hotline::sip {

struct ScreenPop {
  std::string call_id;
  std::string queue_id;
  nlohmann::json customer;  // null when the caller is not known
  std::vector<std::string> ivr_path;
};

// A JSON value as a header value: one line, printable ASCII only.
std::string header_json(const nlohmann::json& value);
// A plain token (a call or queue id) as a header value: characters outside
// printable ASCII and the characters that end a header are percent-encoded.
std::string header_token(const std::string& text);
// "X-Hotline-Call: ...\r\n" and the others, ready for a request's headers.
std::string screen_pop_headers(const ScreenPop& pop);

}  // namespace hotline::sip

namespace hotline::sip {

// A caller's number as the user part of a SIP URI: unreserved characters
// and the few user-part marks stay, everything else is percent-encoded.
std::string uri_user(const std::string& text);

}  // namespace hotline::sip
