// Phone numbers to E.164 through libphonenumber, with a default region for
// numbers written without a country code.
#pragma once

#include <string>
#include <string_view>

#include "hotline/util/result.hpp"

namespace hotline::store {

class PhoneNormalizer {
 public:
  // kInvalidArgument if the region is not a known two-letter code.
  static Result<PhoneNormalizer> make(std::string_view default_region);

  // "+49 30 1234567", "030 1234567" (region DE), "tel:+4930..." → "+49301234567".
  // kInvalidArgument, naming the number, if it is not a valid number.
  Result<std::string> to_e164(std::string_view number) const;
  // True if `number` is already written as E.164 ("+" and 8 to 15 digits):
  // the form stored numbers take, so a lookup can try it as it is.
  static bool looks_like_e164(std::string_view number) noexcept;
  const std::string& default_region() const noexcept { return region_; }

 private:
  explicit PhoneNormalizer(std::string region) : region_(std::move(region)) {}
  std::string region_;
};

}  // namespace hotline::store
