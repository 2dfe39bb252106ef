#include <doctest/doctest.h>

#include "hotline/store/phone.hpp"

using namespace hotline;
using namespace hotline::store;

TEST_CASE("phone numbers normalise to E.164 with a default region") {
  auto de = PhoneNormalizer::make("DE");
  REQUIRE(de.ok());
  CHECK(*de->to_e164("030 1234567") == "+49301234567");
  CHECK(*de->to_e164("+1 (650) 253-0000") == "+16502530000");
  CHECK(*de->to_e164("tel:+33 1 42 68 53 00") == "+33142685300");
  auto us = PhoneNormalizer::make("US");
  CHECK(*us->to_e164("(650) 253-0000") == "+16502530000");
  auto bad = de->to_e164("12345");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("'12345'") != std::string::npos);
  CHECK(de->to_e164("").error().code == Errc::kInvalidArgument);
  CHECK(de->to_e164(std::string(1000, '1')).error().code == Errc::kInvalidArgument);
  CHECK(PhoneNormalizer::make("XX").error().message.find("'XX'") != std::string::npos);
}

TEST_CASE("what counts as already E.164") {
  CHECK(PhoneNormalizer::looks_like_e164("+49301234567"));
  CHECK(PhoneNormalizer::looks_like_e164("+12025550123"));
  CHECK_FALSE(PhoneNormalizer::looks_like_e164("+49 30 1234567"));
  CHECK_FALSE(PhoneNormalizer::looks_like_e164("0301234567"));
  CHECK_FALSE(PhoneNormalizer::looks_like_e164("+0301234567"));
  CHECK_FALSE(PhoneNormalizer::looks_like_e164("+1234567"));
  CHECK_FALSE(PhoneNormalizer::looks_like_e164("+1234567890123456"));
}
