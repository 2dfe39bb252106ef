#include "screen_pop.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/expr/attributes.hpp"
#include "hotline/util/utf8.hpp"

namespace hotline::engine {

namespace {

// The text is written directly, as nlohmann::json's compact dump of the
// object would write it (keys sorted, no spaces, the same escapes): every
// offer carries one, and building a document of the call's attributes only
// to print it cost several times the routing decision. What the direct
// writer does not reproduce itself (a number with a fraction, text that is
// not UTF-8) is printed by nlohmann as before.

constexpr auto kReplace = nlohmann::json::error_handler_t::replace;

void append_string(std::string& out, std::string_view s) {
  // Most text (numbers, ids, codes) is printable ASCII: copied whole, after
  // one pass that also stands for the UTF-8 check.
  std::size_t plain = 0;
  while (plain < s.size()) {
    const auto b = static_cast<unsigned char>(s[plain]);
    if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
    ++plain;
  }
  // Replaced, not failed, on text that is not UTF-8: a caller id is the
  // network's, and an offer must reach the agent whatever it holds. The
  // ASCII before `plain` ends on a character's boundary.
  if (plain < s.size() && first_invalid_utf8(s.substr(plain))) {
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false, kReplace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = plain; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b != '"' && b != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (b) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char u[] = {'\\', 'u', '0', '0', kHex[b >> 4], kHex[b & 0xF]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_attributes(std::string& out, const expr::Attributes& a);

// As Attributes::to_json gives it: a whole number below 9e15 as an integer.
void append_value(std::string& out, const expr::Value& v) {
  switch (v.kind()) {
    case expr::Value::Kind::kNull: out += "null"; return;
    case expr::Value::Kind::kBool: out += v.as_bool() ? "true" : "false"; return;
    case expr::Value::Kind::kNumber: {
      const double n = v.as_number();
      if (std::floor(n) == n && std::fabs(n) < 9e15) {
        char digits[24];
        const auto whole = static_cast<std::int64_t>(n);
        out.append(digits, std::to_chars(digits, digits + sizeof digits, whole).ptr);
      } else {
        out += nlohmann::json(n).dump(-1, ' ', false, kReplace);
      }
      return;
    }
    case expr::Value::Kind::kString: append_string(out, v.as_string()); return;
    case expr::Value::Kind::kList:
      out += '[';
      for (std::size_t i = 0; i < v.list_size(); ++i) {
        if (i) out += ',';
        append_value(out, v.list_at(i));
      }
      out += ']';
      return;
    case expr::Value::Kind::kObject: append_attributes(out, *v.as_object()); return;
  }
  out += "null";
}

// Keys come sorted and each once (Attributes keeps them so), as a JSON
// object's are dumped.
void append_attributes(std::string& out, const expr::Attributes& a) {
  out += '{';
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) out += ',';
    append_string(out, a.key_at(i));
    out += ':';
    append_value(out, a.value_at(i));
  }
  out += '}';
}

}  // namespace

std::string screen_pop_json(const CallInfo& info, const ivr::Session* session,
                            std::string_view queue_id) {
  std::string out;
  out.reserve(128 + info.caller.size() + info.dialled.size() + queue_id.size());
  out += "{\"caller\":";
  append_string(out, info.caller);
  // The call's attributes are the customer the host resolved (plus the ones
  // it added at arrival): what the IVR saw as customer.*.
  out += ",\"customer\":";
  append_attributes(out, info.attributes);
  out += ",\"dialled\":";
  append_string(out, info.dialled);
  out += ",\"digits\":{";
  if (session) {
    // By variable, a variable entered twice with its last digits.
    const auto& entered = session->entered_digits();
    std::vector<std::size_t> order(entered.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return entered[x].first < entered[y].first;
    });
    bool first = true;
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k + 1 < order.size() && entered[order[k]].first == entered[order[k + 1]].first) continue;
      if (!first) out += ',';
      first = false;
      append_string(out, entered[order[k]].first);
      out += ':';
      append_string(out, entered[order[k]].second);
    }
  }
  out += "},\"ivr_path\":[";
  if (session) {
    bool first = true;
    for (const std::string& node : session->path()) {
      if (!first) out += ',';
      first = false;
      append_string(out, node);
    }
  }
  out += "],\"queue_id\":";
  append_string(out, queue_id);
  out += '}';
  return out;
}

}  // namespace hotline::engine
