#include "screen_pop.hpp"

#include <cstdio>

namespace hotline::sip {

std::string header_json(const nlohmann::json& value) {
  // ensure_ascii escapes every byte above 0x7f and every control character;
  // invalid UTF-8 is replaced rather than thrown on, since it came off the wire.
  return value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

std::string header_token(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c > 0x20 && c < 0x7f && c != '%') {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

std::string screen_pop_headers(const ScreenPop& pop) {
  std::string headers = "X-Hotline-Call: " + header_token(pop.call_id) + "\r\n";
  if (!pop.queue_id.empty()) headers += "X-Hotline-Queue: " + header_token(pop.queue_id) + "\r\n";
  if (!pop.customer.is_null()) {
    headers += "X-Hotline-Customer: " + header_json(pop.customer) + "\r\n";
  }
  if (!pop.ivr_path.empty()) {
    headers += "X-Hotline-IVR-Path: " + header_json(nlohmann::json(pop.ivr_path)) + "\r\n";
  }
  return headers;
}

}  // namespace hotline::sip

namespace hotline::sip {

std::string uri_user(const std::string& text) {
  static const std::string kept = "-_.!~*'()&=+$,;?/";  // RFC 3261 unreserved and user-unreserved
  std::string out;
  for (unsigned char c : text) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        kept.find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out.empty() ? "anonymous" : out;
}

}  // namespace hotline::sip
