#include "wire_text.hpp"

#include <nlohmann/json.hpp>

namespace hotline::sip {

bool valid_utf8(const std::string& text) {
  // nlohmann's serializer checks UTF-8 strictly (RFC 3629) and throws on the
  // first bad byte; the host reuses that check rather than writing its own.
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace hotline::sip
