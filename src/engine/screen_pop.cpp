#include "screen_pop.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
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

// One layout, three writers. The common case is written in two passes over
// it: `Measure` finds the text's length, `Copy` copies it into a string of
// exactly that size. Every offer carries a screen pop, and appending piece by
// piece (a capacity check and a call per quote, comma and key) cost more than
// the decision that made the offer. That holds only where nothing needs
// escaping or nlohmann's printing: text of printable ASCII without quotes or
// backslashes, numbers whole below 9e15. Anything else is written by
// `Append`, which escapes and hands fractions to nlohmann.

bool is_plain(std::string_view s) {
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') return false;
  }
  return true;
}

// Measures: `size` is the text's length; `plain` false when a piece is not
// plain, and the text must be written by the appending writer.
struct Measure {
  std::size_t size = 0;
  bool plain = true;
  void put(std::string_view s) { size += s.size(); }
  void put(char) { ++size; }
  void put_string(std::string_view s) {
    plain = plain && is_plain(s);
    size += s.size() + 2;
  }
  void put_fraction(double) { plain = false; }  // nlohmann prints it
};

// Copies, into room the measure found.
struct Copy {
  char* at;
  void put(std::string_view s) {
    if (s.empty()) return;  // an empty view's data may be null, which memcpy may not take
    std::memcpy(at, s.data(), s.size());
    at += s.size();
  }
  void put(char c) { *at++ = c; }
  void put_string(std::string_view s) {
    *at++ = '"';
    put(s);
    *at++ = '"';
  }
  // Never reached: a fraction makes the measure not plain.
  void put_fraction(double) { assert(false && "a fraction in a plain screen pop"); }
};

// Appends, escaping what needs it.
struct Append {
  std::string& out;
  void put(std::string_view s) { out += s; }
  void put(char c) { out += c; }
  void put_string(std::string_view s) { append_string(out, s); }
  void put_fraction(double n) { out += nlohmann::json(n).dump(-1, ' ', false, kReplace); }
};

template <typename Out>
void put_attributes(Out& out, const expr::Attributes& a);

// As Attributes::to_json gives it: a whole number below 9e15 as an integer.
template <typename Out>
void put_value(Out& out, const expr::Value& v) {
  switch (v.kind()) {
    case expr::Value::Kind::kNull: out.put("null"); return;
    case expr::Value::Kind::kBool: out.put(v.as_bool() ? "true" : "false"); return;
    case expr::Value::Kind::kNumber: {
      const double n = v.as_number();
      if (std::floor(n) == n && std::fabs(n) < 9e15) {
        char digits[24];
        const auto whole = static_cast<std::int64_t>(n);
        const char* end = std::to_chars(digits, digits + sizeof digits, whole).ptr;
        out.put(std::string_view(digits, static_cast<std::size_t>(end - digits)));
      } else {
        out.put_fraction(n);  // a fraction, an infinity
      }
      return;
    }
    case expr::Value::Kind::kString: out.put_string(v.as_string()); return;
    case expr::Value::Kind::kList:
      out.put('[');
      for (std::size_t i = 0; i < v.list_size(); ++i) {
        if (i) out.put(',');
        put_value(out, v.list_at(i));
      }
      out.put(']');
      return;
    case expr::Value::Kind::kObject: put_attributes(out, *v.as_object()); return;
  }
  out.put("null");
}

template <typename Out>
void put_attributes(Out& out, const expr::Attributes& a) {
  out.put('{');
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) out.put(',');
    out.put_string(a.key_at(i));
    out.put(':');
    put_value(out, a.value_at(i));
  }
  out.put('}');
}

// The entered digits by variable, each variable once with its last digits:
// indexes into `entered`, in key order.
std::vector<std::size_t> digits_order(
    const std::vector<std::pair<std::string, std::string>>& entered) {
  std::vector<std::size_t> order(entered.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return entered[x].first < entered[y].first;
  });
  std::vector<std::size_t> last;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k + 1 < order.size() && entered[order[k]].first == entered[order[k + 1]].first) continue;
    last.push_back(order[k]);
  }
  return last;
}

template <typename Out>
void put_pop(Out& out, const CallInfo& info, const ivr::Session* session,
             const std::vector<std::size_t>& digits, std::string_view queue_id) {
  out.put("{\"caller\":");
  out.put_string(info.caller);
  // The call's attributes are the customer the host resolved (plus the ones
  // it added at arrival): what the IVR saw as customer.*.
  out.put(",\"customer\":");
  put_attributes(out, info.attributes);
  out.put(",\"dialled\":");
  out.put_string(info.dialled);
  out.put(",\"digits\":{");
  if (session) {
    const auto& entered = session->entered_digits();
    for (std::size_t k = 0; k < digits.size(); ++k) {
      if (k) out.put(',');
      out.put_string(entered[digits[k]].first);
      out.put(':');
      out.put_string(entered[digits[k]].second);
    }
  }
  out.put("},\"ivr_path\":[");
  if (session) {
    bool first = true;
    for (const std::string& node : session->path()) {
      if (!first) out.put(',');
      first = false;
      out.put_string(node);
    }
  }
  out.put("],\"queue_id\":");
  out.put_string(queue_id);
  out.put('}');
}

}  // namespace

std::string screen_pop_json(const CallInfo& info, const ivr::Session* session,
                            std::string_view queue_id) {
  // A call without a flow has entered no digits: no list to sort.
  const std::vector<std::size_t> digits =
      session ? digits_order(session->entered_digits()) : std::vector<std::size_t>();
  Measure measure;
  put_pop(measure, info, session, digits, queue_id);
  if (!measure.plain) {
    std::string out;
    // The measure counts no escapes or fractions: room for a few more.
    out.reserve(measure.size + 16);
    Append append{out};
    put_pop(append, info, session, digits, queue_id);
    return out;
  }
  std::string out(measure.size, '\0');
  Copy copy{out.data()};
  put_pop(copy, info, session, digits, queue_id);
  return out;
}

}  // namespace hotline::engine
