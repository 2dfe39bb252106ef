#include "hotline/store/phone.hpp"

#include <fmt/format.h>
#include <phonenumbers/phonenumberutil.h>

#include "store/phone_fast_path.hpp"
#include "store/text_input.hpp"

namespace hotline::store {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

Error not_valid(std::string_view number, std::string_view region) {
  return make_error(Errc::kInvalidArgument,
                    fmt::format("'{}' is not a valid phone number (default region {})", number,
                                region));
}

}  // namespace

Result<PhoneNormalizer> PhoneNormalizer::make(std::string_view default_region) {
  std::string region(default_region);
  const auto& util = *PhoneNumberUtil::GetInstance();
  if (util.GetCountryCodeForRegion(region) == 0) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("unknown default region '{}' (expected a code like US or DE)",
                                  region));
  }
  return PhoneNormalizer(std::move(region));
}

bool PhoneNormalizer::looks_like_e164(std::string_view n) noexcept {
  if (n.size() < 9 || n.size() > 16 || n[0] != '+' || n[1] == '0') return false;
  for (std::size_t i = 1; i < n.size(); ++i) {
    if (n[i] < '0' || n[i] > '9') return false;
  }
  return true;
}

Result<std::string> PhoneNormalizer::to_e164(std::string_view number) const {
  const auto& util = *PhoneNumberUtil::GetInstance();
  std::string text(number);
  if (text.rfind("tel:", 0) == 0) text.erase(0, 4);  // RFC 3966 URIs from SIP headers
  if (text.empty() || text.size() > 64) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("'{}' is not a phone number", excerpt(text)));
  }
  // The common shapes are decided without libphonenumber's parser, with
  // the same answers (phone_fast_path.hpp); the rest goes through it.
  std::string e164;
  switch (PhoneFastPath::instance().to_e164(text, region_, e164)) {
    case PhoneFastPath::Verdict::kValid:
      return e164;
    case PhoneFastPath::Verdict::kInvalid:
      return not_valid(text, region_);
    case PhoneFastPath::Verdict::kUnsure:
      break;
  }
  PhoneNumber parsed;
  if (util.Parse(text, region_, &parsed) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(parsed)) {
    return not_valid(text, region_);
  }
  util.Format(parsed, PhoneNumberUtil::E164, &e164);
  return e164;
}

}  // namespace hotline::store
