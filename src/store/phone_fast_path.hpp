// The E.164 form of a phone number written in one of the common shapes
// (digits with spaces, dashes, dots or parentheses, with or without a
// leading '+'), computed without libphonenumber's parser and validator.
//
// libphonenumber runs its rules through ICU regular expressions looked up by
// pattern text on every call, which costs tens of microseconds per number;
// caller id pays that on every call. This path follows the same rules
// (international and national prefixes, the default region's own country
// code, possible lengths, the number-type patterns that make a number
// valid) over the same metadata, the one compiled into libphonenumber,
// matched with RE2. Whatever it is not certain to decide exactly as
// libphonenumber does (letters, extensions, non-ASCII digits, RFC 3966
// parameters, regions whose national prefix is rewritten rather than
// stripped, non-geographic codes) it leaves to libphonenumber.
// tests/store/phone_fast_path_test.cpp checks both on a generated corpus.
#pragma once

#include <string>
#include <string_view>

namespace hotline::store {

class PhoneFastPath {
 public:
  enum class Verdict {
    kUnsure,   // ask libphonenumber
    kInvalid,  // libphonenumber refuses it (parse error or not a valid number)
    kValid,    // libphonenumber accepts it; `e164` holds its E.164 form
  };

  // Shared by every thread; regions are compiled on first use.
  static const PhoneFastPath& instance();

  Verdict to_e164(std::string_view number, std::string_view default_region,
                  std::string& e164) const;

  PhoneFastPath(const PhoneFastPath&) = delete;
  PhoneFastPath& operator=(const PhoneFastPath&) = delete;
  ~PhoneFastPath();

 private:
  PhoneFastPath();
  struct Impl;
  Impl* impl_;
};

}  // namespace hotline::store
