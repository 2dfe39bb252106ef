#include "store/phone_fast_path.hpp"

#include <algorithm>
#include <array>
#include <list>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <re2/re2.h>

// The metadata compiled into libphonenumber. The library exports these two
// functions (PhoneNumberUtil loads its own rules through them) but installs
// no header declaring them; reading the same bytes keeps both paths on one
// version of the numbering plans.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace hotline::store {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber's limits on a national significant number and a country code.
constexpr std::size_t kMinLengthForNsn = 2;
constexpr std::size_t kMaxLengthForNsn = 17;
constexpr std::size_t kMaxLengthCountryCode = 3;
constexpr std::size_t kNoMatch = std::string_view::npos;
constexpr int kCountryCodes = 1000;

struct NumberDesc {
  std::vector<int> lengths;      // empty: any length the general description allows
  std::unique_ptr<RE2> pattern;  // null: no pattern, which matches nothing
};

enum class Length { kPossible, kLocalOnly, kTooShort, kTooLong, kInvalidLength };

// One region's rules, compiled from its metadata on first use.
struct Territory {
  const PhoneMetadata* metadata = nullptr;
  std::once_flag once;
  bool usable = false;          // every pattern compiled
  bool strips_plainly = false;  // the national prefix is removed, never rewritten
  int country_code = 0;
  NumberDesc general;
  // The number types in the order libphonenumber tries them: premium rate,
  // toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed
  // line, mobile.
  std::array<NumberDesc, 10> types;
  std::vector<int> local_only_lengths;
  bool same_mobile_and_fixed_line = false;
  std::unique_ptr<RE2> international_prefix;
  std::unique_ptr<RE2> national_prefix;
  bool has_leading_digits = false;
  std::unique_ptr<RE2> leading_digits;
};

std::unique_ptr<RE2> compile(const std::string& pattern, bool& ok) {
  if (pattern.empty()) return nullptr;
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) ok = false;
  return re;
}

void compile_desc(const PhoneNumberDesc& desc, NumberDesc& out, bool& ok) {
  out.lengths.assign(desc.possible_length().begin(), desc.possible_length().end());
  out.pattern = compile(desc.national_number_pattern(), ok);
}

void compile_territory(Territory& t) {
  const PhoneMetadata& m = *t.metadata;
  bool ok = true;
  t.country_code = m.country_code();
  compile_desc(m.general_desc(), t.general, ok);
  const PhoneNumberDesc* types[] = {&m.premium_rate(), &m.toll_free(),      &m.shared_cost(),
                                    &m.voip(),         &m.personal_number(), &m.pager(),
                                    &m.uan(),          &m.voicemail(),       &m.fixed_line(),
                                    &m.mobile()};
  for (std::size_t i = 0; i < t.types.size(); ++i) compile_desc(*types[i], t.types[i], ok);
  t.local_only_lengths.assign(m.general_desc().possible_length_local_only().begin(),
                              m.general_desc().possible_length_local_only().end());
  t.same_mobile_and_fixed_line = m.same_mobile_and_fixed_line_pattern();
  t.international_prefix = compile(m.international_prefix(), ok);
  t.national_prefix = compile(m.national_prefix_for_parsing(), ok);
  t.has_leading_digits = m.has_leading_digits();
  t.leading_digits = compile(m.leading_digits(), ok);
  // An empty pattern where libphonenumber would match one (it compiles ""
  // to a pattern that matches at every start) is left to libphonenumber.
  if (!t.international_prefix || (t.has_leading_digits && !t.leading_digits)) ok = false;
  t.strips_plainly = m.national_prefix_transform_rule().empty();
  t.usable = ok && !t.general.lengths.empty();
}

bool matches(const NumberDesc& d, std::string_view number) {
  return d.pattern && RE2::FullMatch(re2::StringPiece(number.data(), number.size()), *d.pattern);
}

// A pattern anchored at the start: how many characters it consumes.
std::size_t consumed(const RE2& re, std::string_view text) {
  re2::StringPiece rest(text.data(), text.size());
  if (!RE2::Consume(&rest, re)) return kNoMatch;
  return text.size() - rest.size();
}

// The description's possible lengths first, then its pattern.
bool matches_desc(const NumberDesc& d, std::string_view number) {
  if (!d.lengths.empty() &&
      std::find(d.lengths.begin(), d.lengths.end(), static_cast<int>(number.size())) ==
          d.lengths.end()) {
    return false;
  }
  return matches(d, number);
}

// True if the number has a type in the territory, as libphonenumber's
// validity requires.
bool has_type(const Territory& t, std::string_view nsn) {
  if (!matches_desc(t.general, nsn)) return false;
  for (std::size_t i = 0; i < 9; ++i) {  // every type up to and including fixed line
    if (matches_desc(t.types[i], nsn)) return true;
  }
  return !t.same_mobile_and_fixed_line && matches_desc(t.types[9], nsn);
}

Length test_length(const Territory& t, std::string_view number) {
  const auto& possible = t.general.lengths;
  if (possible.front() == -1) return Length::kInvalidLength;
  const int n = static_cast<int>(number.size());
  if (std::find(t.local_only_lengths.begin(), t.local_only_lengths.end(), n) !=
      t.local_only_lengths.end()) {
    return Length::kLocalOnly;
  }
  if (possible.front() == n) return Length::kPossible;
  if (possible.front() > n) return Length::kTooShort;
  if (possible.back() < n) return Length::kTooLong;
  return std::find(possible.begin() + 1, possible.end(), n) != possible.end()
             ? Length::kPossible
             : Length::kInvalidLength;
}

// Removes a national prefix (or carrier code) unless what remains no longer
// fits the territory's numbers while the whole did. Only for territories
// that strip plainly.
std::string_view strip_national_prefix(const Territory& t, std::string_view number) {
  if (number.empty() || !t.national_prefix) return number;
  const bool viable = matches(t.general, number);
  const std::size_t prefix = consumed(*t.national_prefix, number);
  if (prefix == kNoMatch) return number;
  const std::string_view rest = number.substr(prefix);
  if (viable && !matches(t.general, rest)) return number;
  return rest;
}

}  // namespace

struct PhoneFastPath::Impl {
  PhoneMetadataCollection collection;
  std::vector<std::unique_ptr<Territory>> territories;
  std::vector<std::pair<std::string, Territory*>> by_region;  // sorted by region code
  // Each country code's regions, main region first, as libphonenumber lists
  // them; `known` includes the non-geographic codes (+800, +808...).
  std::array<std::vector<Territory*>, kCountryCodes> by_country_code;
  std::array<bool, kCountryCodes> known{};
  std::array<bool, kCountryCodes> handled{};  // every region of the code has metadata here

  Territory* region(std::string_view code) const {
    auto it = std::lower_bound(by_region.begin(), by_region.end(), code,
                               [](const auto& entry, std::string_view c) { return entry.first < c; });
    return it != by_region.end() && it->first == code ? it->second : nullptr;
  }

  static bool ready(Territory& t) {
    std::call_once(t.once, [&t] { compile_territory(t); });
    return t.usable;
  }

  // Removes a leading country code from `number`, as libphonenumber reads
  // one: the shortest prefix (up to three digits) that is a code. 0 if none.
  int extract_country_code(std::string_view& number) const {
    if (number.empty() || number[0] == '0') return 0;
    int code = 0;
    for (std::size_t i = 1; i <= kMaxLengthCountryCode; ++i) {
      if (i > number.size()) break;
      code = code * 10 + (number[i - 1] - '0');
      if (known[static_cast<std::size_t>(code)]) {
        number.remove_prefix(i);
        return code;
      }
    }
    return 0;
  }
};

PhoneFastPath::PhoneFastPath() : impl_(new Impl) {
  auto& d = *impl_;
  const auto* bytes = i18n::phonenumbers::metadata_get();
  if (!d.collection.ParseFromArray(bytes, i18n::phonenumbers::metadata_size())) {
    return;  // nothing is handled: every number goes to libphonenumber
  }
  for (const auto& m : d.collection.metadata()) {
    if (m.id() == "001") continue;  // non-geographic codes are left to libphonenumber
    auto t = std::make_unique<Territory>();
    t->metadata = &m;
    d.by_region.emplace_back(m.id(), t.get());
    d.territories.push_back(std::move(t));
  }
  std::sort(d.by_region.begin(), d.by_region.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto& util = *PhoneNumberUtil::GetInstance();
  for (int code = 1; code < kCountryCodes; ++code) {
    std::list<std::string> regions;
    util.GetRegionCodesForCountryCallingCode(code, &regions);
    const auto index = static_cast<std::size_t>(code);
    d.known[index] = !regions.empty();
    d.handled[index] = !regions.empty();
    for (const auto& r : regions) {
      Territory* t = d.region(r);
      if (t == nullptr) {
        d.handled[index] = false;
        break;
      }
      d.by_country_code[index].push_back(t);
    }
  }
}

PhoneFastPath::~PhoneFastPath() { delete impl_; }

const PhoneFastPath& PhoneFastPath::instance() {
  static const PhoneFastPath shared;
  return shared;
}

PhoneFastPath::Verdict PhoneFastPath::to_e164(std::string_view text,
                                              std::string_view default_region,
                                              std::string& e164) const {
  const Impl& d = *impl_;
  // The shape: ASCII digits and the separators people write, a '+' only
  // before the first digit. Such text is a viable number to libphonenumber
  // once it holds three digits, and carries no extension.
  char buffer[64];
  std::size_t n = 0;
  bool plus = false;
  if (text.size() > sizeof buffer) return Verdict::kUnsure;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      buffer[n++] = c;
    } else if (c == '+') {
      if (plus || n > 0) return Verdict::kUnsure;
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return Verdict::kUnsure;
    }
  }
  if (n < 3) return Verdict::kUnsure;
  const std::string_view digits(buffer, n);

  Territory* home = d.region(default_region);
  if (home == nullptr || !Impl::ready(*home) || !home->strips_plainly) return Verdict::kUnsure;

  // The country code: after '+', after the region's international prefix
  // (unless a 0 follows it), or the region's own code written without '+'
  // when the number only fits the region's plan without it.
  int code = 0;
  std::string_view number = digits;
  bool international = plus;
  if (!plus) {
    const std::size_t idd = consumed(*home->international_prefix, digits);
    if (idd != kNoMatch && !(idd < digits.size() && digits[idd] == '0')) {
      international = true;
      number = digits.substr(idd);
    }
  }
  if (international) {
    if (number.size() <= kMinLengthForNsn) return Verdict::kInvalid;
    code = d.extract_country_code(number);
    // After '+', libphonenumber retries without it; after a prefix it refuses.
    if (code == 0) return plus ? Verdict::kUnsure : Verdict::kInvalid;
  } else {
    const std::string own = std::to_string(home->country_code);
    if (digits.substr(0, own.size()) == own) {
      const std::string_view rest = strip_national_prefix(*home, digits.substr(own.size()));
      if ((!matches(home->general, digits) && matches(home->general, rest)) ||
          test_length(*home, digits) == Length::kTooLong) {
        number = rest;
        code = home->country_code;
      }
    }
  }

  Territory* rules = home;
  if (code != 0) {
    const auto index = static_cast<std::size_t>(code);
    if (!d.handled[index]) return Verdict::kUnsure;
    Territory* main = d.by_country_code[index].front();
    if (main != home) {
      if (!Impl::ready(*main) || !main->strips_plainly) return Verdict::kUnsure;
      rules = main;
    }
  } else {
    code = home->country_code;
  }
  const auto& regions = d.by_country_code[static_cast<std::size_t>(code)];
  if (!d.handled[static_cast<std::size_t>(code)]) return Verdict::kUnsure;

  if (number.size() < kMinLengthForNsn) return Verdict::kInvalid;
  // The national prefix goes only if what remains is a possible length.
  const std::string_view stripped = strip_national_prefix(*rules, number);
  const Length length = test_length(*rules, stripped);
  if (length != Length::kTooShort && length != Length::kLocalOnly &&
      length != Length::kInvalidLength) {
    number = stripped;
  }
  if (number.size() < kMinLengthForNsn || number.size() > kMaxLengthForNsn) {
    return Verdict::kInvalid;
  }

  // Valid: the number has a type in the region it belongs to, which for a
  // shared code is the first region whose leading digits (or, without
  // those, whose types) fit it.
  Territory* region = nullptr;
  if (regions.size() == 1) {
    region = regions.front();
  } else {
    for (Territory* r : regions) {
      if (!Impl::ready(*r)) return Verdict::kUnsure;
      const bool fits = r->has_leading_digits ? consumed(*r->leading_digits, number) != kNoMatch
                                              : has_type(*r, number);
      if (fits) {
        region = r;
        break;
      }
    }
  }
  if (region == nullptr) return Verdict::kInvalid;
  if (!Impl::ready(*region)) return Verdict::kUnsure;
  if (!has_type(*region, number)) return Verdict::kInvalid;
  e164.assign("+");
  e164.append(std::to_string(code));
  e164.append(number);
  return Verdict::kValid;
}

}  // namespace hotline::store
