// The caller-id fast path against libphonenumber itself: every number of a
// generated corpus, read with each default region, must get the same answer
// from both (the same E.164 form, or a refusal from both), and the common
// shapes must be answered by the fast path rather than handed on.
#include <doctest/doctest.h>

#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "hotline/store/phone.hpp"
#include "store/phone_fast_path.hpp"

using namespace hotline::store;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// What PhoneNormalizer::to_e164 answered before the fast path existed.
std::string reference(const std::string& text, const std::string& region) {
  const auto& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  if (util.Parse(text, region, &parsed) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(parsed)) {
    return "invalid";
  }
  std::string e164;
  util.Format(parsed, PhoneNumberUtil::E164, &e164);
  return e164;
}

struct Outcome {
  bool decided = false;
  std::string answer;  // "invalid" or the E.164 form
};

Outcome fast(const std::string& text, const std::string& region) {
  std::string e164;
  switch (PhoneFastPath::instance().to_e164(text, region, e164)) {
    case PhoneFastPath::Verdict::kValid: return {true, e164};
    case PhoneFastPath::Verdict::kInvalid: return {true, "invalid"};
    case PhoneFastPath::Verdict::kUnsure: break;
  }
  return {};
}

// Only ASCII digits, spaces, dashes, dots, parentheses and a leading '+',
// with three digits or more: the shapes the fast path is meant to answer.
bool plain_shape(const std::string& text) {
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+') {
      if (digits > 0 || text.find('+') != i) return false;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 3;
}

std::string full_width(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      out += "\xEF\xBC";  // U+FF10..U+FF19
      out += static_cast<char>(0x90 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

// Spaces, dashes, dots or parentheses at random places in a digit string.
std::string punctuate(const std::string& digits, std::mt19937_64& rng) {
  static const char* kSeparators[] = {" ", "-", ".", " - ", "(", ")", "  "};
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && rng() % 4 == 0) out += kSeparators[rng() % 7];
    out += digits[i];
  }
  return out;
}

std::vector<std::string> corpus() {
  const auto& util = *PhoneNumberUtil::GetInstance();
  const char* regions[] = {"CN", "US", "GB", "DE", "FR", "IT", "JP", "IN", "BR", "AR", "RU",
                           "AU", "CA", "CH", "NL", "KR", "HK", "SG", "MX", "ES", "GG", "PR",
                           "AT", "BE", "SE", "ZA", "NZ", "IE", "PL", "TW"};
  const PhoneNumberUtil::PhoneNumberType types[] = {
      PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE,     PhoneNumberUtil::TOLL_FREE,
      PhoneNumberUtil::PREMIUM_RATE, PhoneNumberUtil::SHARED_COST, PhoneNumberUtil::VOIP,
      PhoneNumberUtil::PERSONAL_NUMBER, PhoneNumberUtil::UAN,   PhoneNumberUtil::PAGER,
      PhoneNumberUtil::VOICEMAIL};
  std::mt19937_64 rng(2026);
  std::vector<std::string> out = {
      "+8613812345678", "013812345678",  "13812345678",    "010-12345678",   "010 1234 5678",
      "(010) 12345678", "008613812345678", "8613812345678", "+86 138 1234 5678",
      "+1 (650) 253-0000", "(650) 253-0000", "650.253.0000", "1 650 253 0000", "011 49 30 1234567",
      "030 1234567",    "+49 (0)30 1234567", "0049 30 1234567", "4930 1234567", "020 7946 0958",
      "+44 20 7946 0958", "+44 (0) 20 7946 0958", "07700 900123", "00 44 7700 900123",
      "12", "123", "1234", "+1", "+12", "+123", "000", "0000000000", "+0 123 4567",
      "+999 1234 5678", "00 999 1234", "+800 1234 5678", "+882 1234 5678", "0 800 123 4567",
      "+86 10 1234 5678 ext. 12", "+1 650 253 0000 x123", "650-253-0000#", "030 1234567;ext=9",
      "1-800-FLOWERS", "ＡＢＣ", "tel:+4930123456", "+49 30/1234567", "++49 30 1234567",
      "49+30 1234567", "(+49) 30 1234567", "+(49) 30 1234567", "-+49 30 1234567",
      "+49 30 1234567 -", "030 1234567)", "((030)) 1234567", "0 0 4 9 3 0 1 2 3 4 5 6 7"};
  for (const char* region : regions) {
    for (auto type : types) {
      PhoneNumber example;
      if (!util.GetExampleNumberForType(region, type, &example)) continue;
      std::string nsn, e164, national, international;
      util.GetNationalSignificantNumber(example, &nsn);
      util.Format(example, PhoneNumberUtil::E164, &e164);
      util.Format(example, PhoneNumberUtil::NATIONAL, &national);
      util.Format(example, PhoneNumberUtil::INTERNATIONAL, &international);
      const std::string cc = std::to_string(example.country_code());
      std::vector<std::string> shapes = {e164, national, international, nsn, "0" + nsn,
                                         "1" + nsn, cc + nsn, "00" + cc + nsn, "011" + cc + nsn,
                                         "+" + cc + "0" + nsn, "+" + cc + " (0) " + nsn,
                                         "8" + nsn, "00" + cc + " " + national};
      // Too short, too long, and one digit changed.
      for (int i = 0; i < 2; ++i) {
        std::string shorter = nsn.substr(0, nsn.size() - 1 - (rng() % 2));
        std::string longer = nsn + std::to_string(rng() % 100);
        std::string changed = nsn;
        changed[rng() % changed.size()] = static_cast<char>('0' + rng() % 10);
        for (const auto& n : {shorter, longer, changed}) {
          shapes.push_back(n);
          shapes.push_back("0" + n);
          shapes.push_back("+" + cc + n);
          shapes.push_back("00" + cc + n);
        }
      }
      for (const auto& s : shapes) {
        out.push_back(s);
        out.push_back(punctuate(s, rng));
      }
      // Shapes left to libphonenumber: full-width digits, letters, extensions.
      out.push_back(full_width(national));
      out.push_back(full_width(e164));
      out.push_back(national + " ext. " + std::to_string(rng() % 1000));
      out.push_back(e164 + " x" + std::to_string(rng() % 100));
      out.push_back(national + "#");
      out.push_back(nsn + "ABC");
      out.push_back("tel:" + e164);
    }
  }
  // Random digit strings, some behind '+' or an international prefix.
  const char* starts[] = {"", "+", "00", "0", "011", "+1", "+86", "+44", "+49", "1"};
  for (int i = 0; i < 1000; ++i) {
    std::string digits;
    const int length = 1 + static_cast<int>(rng() % 20);
    for (int j = 0; j < length; ++j) digits += static_cast<char>('0' + rng() % 10);
    std::string s = starts[rng() % 10] + digits;
    out.push_back(rng() % 2 ? punctuate(s, rng) : s);
  }
  return out;
}

// Compares the fast path with libphonenumber for every input under every
// default region; counts what the fast path decided.
struct Comparison {
  std::size_t compared = 0, decided = 0, valid = 0, mismatches = 0;
  std::set<std::string> valid_answers;  // distinct E.164 numbers the fast path found valid
  std::string first_mismatch;
};

Comparison compare(const std::vector<std::string>& inputs, const std::vector<std::string>& regions) {
  Comparison out;
  for (const auto& region : regions) {
    for (const auto& text : inputs) {
      ++out.compared;
      const Outcome got = fast(text, region);
      if (!got.decided) continue;
      ++out.decided;
      if (got.answer != "invalid") {
        ++out.valid;
        out.valid_answers.insert(got.answer);
      }
      const std::string want = reference(text, region);
      if (got.answer != want || !plain_shape(text)) {
        if (out.mismatches++ == 0) {
          out.first_mismatch = "number '" + text + "', default region " + region +
                               ": fast path " + got.answer + ", libphonenumber " + want;
        }
      }
    }
  }
  return out;
}

std::string random_digits(std::mt19937_64& rng, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

// Chinese numbers as switches and people write them: landlines behind
// two-, three- and (unassigned) four-digit area codes with subscriber
// numbers of six to nine digits, mobiles of every 1x prefix at the right
// length and one digit off, each with and without the trunk prefix, behind
// +86, 0086 or 86, behind a carrier-selection prefix, and punctuated.
std::vector<std::string> chinese_corpus() {
  std::mt19937_64 rng(86);
  std::vector<std::string> out;
  const char* area_codes[] = {
      "10",  "20",  "21",  "22",  "23",  "24",  "25",  "27",  "28",  "29",  "311", "351",
      "371", "379", "411", "431", "451", "471", "510", "512", "531", "532", "551", "571",
      "574", "591", "592", "731", "755", "757", "760", "769", "791", "851", "871", "898",
      "931", "951", "971", "991", "335", "599", "719", "902", "26",  "1234"};
  auto shapes_of = [&](const std::string& national_digits, const std::string& trunk) {
    // trunk: the digits written before the number inside China ("0" for a
    // landline, "" for a mobile), kept apart so that each shape can drop it.
    const std::string n = national_digits;
    std::vector<std::string> shapes = {trunk + n,          n,
                                       "+86" + n,          "+86 " + n,
                                       "0086" + n,         "86" + n,
                                       "+860" + n,         "0086 0" + n,
                                       "17951" + trunk + n, "12593" + n,
                                       "00" + n,           "+86 (0) " + n};
    for (auto& s : std::vector<std::string>(shapes)) shapes.push_back(punctuate(s, rng));
    return shapes;
  };
  for (const char* code : area_codes) {
    const std::string ac = code;
    for (int i = 0; i < 12; ++i) {
      const int length = 6 + static_cast<int>(rng() % 4);  // 6 to 9 digits
      std::string subscriber = std::to_string(2 + rng() % 7) + random_digits(rng, length - 1);
      if (i % 6 == 5) subscriber[0] = static_cast<char>('0' + rng() % 2);  // 0 or 1: unassigned
      for (auto& s : shapes_of(ac + subscriber, "0")) out.push_back(s);
      out.push_back("0" + ac + "-" + subscriber);
      out.push_back("(0" + ac + ") " + subscriber);
      out.push_back("0" + ac + " " + subscriber.substr(0, 4) + " " + subscriber.substr(4));
    }
  }
  for (int second = 0; second <= 9; ++second) {
    for (int third = 0; third <= 9; ++third) {
      for (int extra = -1; extra <= 1; ++extra) {
        const std::string mobile = "1" + std::to_string(second) + std::to_string(third) +
                                   random_digits(rng, 8 + extra);
        for (auto& s : shapes_of(mobile, "")) out.push_back(s);
        out.push_back("0" + mobile);
        if (mobile.size() == 11) {
          out.push_back(mobile.substr(0, 3) + " " + mobile.substr(3, 4) + " " + mobile.substr(7));
          out.push_back("+86 " + mobile.substr(0, 3) + "-" + mobile.substr(3, 4) + "-" +
                        mobile.substr(7));
        }
      }
    }
  }
  return out;
}

// The example fixed-line and mobile numbers of every region libphonenumber
// knows, in E.164, international format, behind 00 and 011, and in national
// format (read under another default region, mostly invalid or another
// number, which both must agree on).
std::vector<std::string> every_region_corpus(std::size_t* regions_seen) {
  const auto& util = *PhoneNumberUtil::GetInstance();
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  *regions_seen = regions.size();
  std::mt19937_64 rng(7);
  std::vector<std::string> out;
  for (const auto& region : regions) {
    for (auto type : {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE}) {
      PhoneNumber example;
      if (!util.GetExampleNumberForType(region, type, &example)) continue;
      std::string nsn, e164, national, international;
      util.GetNationalSignificantNumber(example, &nsn);
      util.Format(example, PhoneNumberUtil::E164, &e164);
      util.Format(example, PhoneNumberUtil::NATIONAL, &national);
      util.Format(example, PhoneNumberUtil::INTERNATIONAL, &international);
      const std::string cc = std::to_string(example.country_code());
      std::string changed = nsn;
      changed.back() = static_cast<char>('0' + (changed.back() - '0' + 1) % 10);
      for (const auto& s : {e164, international, "00" + cc + nsn, "011" + cc + nsn, national,
                            "+" + cc + changed, "+" + cc + nsn + "5", "+" + cc + nsn.substr(1)}) {
        out.push_back(s);
        out.push_back(punctuate(s, rng));
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the fast path answers Chinese numbers as libphonenumber does") {
  const auto inputs = chinese_corpus();
  const Comparison c = compare(inputs, {"CN", "HK", "TW", "US", "DE"});
  CHECK_MESSAGE(c.mismatches == 0, c.first_mismatch);
  MESSAGE(c.compared << " compared, " << c.decided << " decided (" << c.valid << " valid, "
                     << c.valid_answers.size() << " distinct numbers)");
  // Not a stub: it decides most of these shapes itself, valid and invalid,
  // landlines of many area codes and mobiles alike.
  CHECK(c.decided * 10 > c.compared * 8);
  CHECK(c.decided - c.valid > 10000);
  std::set<std::string> landline_areas, mobile_prefixes;
  for (const auto& e164 : c.valid_answers) {
    if (e164.rfind("+861", 0) == 0 && e164.size() == 14) {
      mobile_prefixes.insert(e164.substr(3, 3));
    } else if (e164.rfind("+86", 0) == 0) {
      landline_areas.insert(e164.substr(3, e164[3] == '1' || e164[3] == '2' ? 2 : 3));
    }
  }
  CHECK(landline_areas.size() >= 30);
  CHECK(mobile_prefixes.size() >= 30);
}

TEST_CASE("the fast path answers the numbers of every region as libphonenumber does") {
  std::size_t regions = 0;
  const auto inputs = every_region_corpus(&regions);
  const Comparison c = compare(inputs, {"CN", "US", "GB", "DE", "FR", "IN", "JP", "BR"});
  CHECK_MESSAGE(c.mismatches == 0, c.first_mismatch);
  MESSAGE(regions << " regions, " << c.compared << " compared, " << c.decided << " decided ("
                  << c.valid << " valid, " << c.valid_answers.size() << " distinct numbers)");
  CHECK(regions > 200);
  CHECK(c.valid_answers.size() > 300);
  CHECK(c.decided - c.valid > 5000);
}

TEST_CASE("the caller-id fast path answers as libphonenumber does") {
  const auto inputs = corpus();
  const char* defaults[] = {"CN", "US", "GB", "DE", "FR", "IT", "JP", "CA", "AU", "BR", "RU",
                            "GG", "IN", "AR", "CH"};
  // Regions whose national prefix is rewritten are handed on whole.
  const std::set<std::string> rewriting = {"BR", "AR", "GG"};
  std::size_t decided = 0, plain = 0, plain_decided = 0, valid = 0, compared = 0;
  std::size_t mismatches = 0;
  std::string first_mismatch;
  for (const char* region : defaults) {
    const bool counted = rewriting.count(region) == 0;
    for (const auto& text : inputs) {
      const Outcome got = fast(text, region);
      ++compared;
      if (counted && plain_shape(text)) ++plain;
      if (!got.decided) continue;
      ++decided;
      if (counted && plain_shape(text)) ++plain_decided;
      if (got.answer != "invalid") ++valid;
      // Anything but the plain shapes is libphonenumber's to answer.
      const std::string want = reference(text, region);
      if (got.answer != want || !plain_shape(text)) {
        if (mismatches++ == 0) {
          first_mismatch = "number '" + text + "', default region " + region + ": fast path " +
                           got.answer + ", libphonenumber " + want;
        }
      }
    }
  }
  CHECK_MESSAGE(mismatches == 0, first_mismatch);
  MESSAGE(compared << " compared, " << decided << " decided by the fast path (" << valid
                   << " valid), " << plain_decided << " of " << plain
                   << " in plain shapes with regions that strip their prefix");
  // The fast path is not a stub: it answers valid and invalid numbers alike,
  // and nearly every plain-shaped one (it hands on unknown codes after '+'
  // and numbers of the regions that rewrite their prefix).
  CHECK(valid > 5000);
  CHECK(decided - valid > 5000);
  CHECK(plain_decided * 100 > plain * 95);
}

TEST_CASE("the common shapes of caller id take the fast path") {
  struct Case {
    const char* text;
    const char* region;
    const char* e164;
  };
  const Case cases[] = {
      {"+8613812345678", "CN", "+8613812345678"}, {"013812345678", "CN", "+8613812345678"},
      {"13812345678", "CN", "+8613812345678"},    {"010-12345678", "CN", "+861012345678"},
      {"(010) 1234 5678", "CN", "+861012345678"}, {"008613812345678", "CN", "+8613812345678"},
      {"(650) 253-0000", "US", "+16502530000"},   {"+1 650.253.0000", "DE", "+16502530000"},
      {"030 1234567", "DE", "+49301234567"},      {"+49 (0)30 1234567", "GB", "+49301234567"},
      {"020 7946 0958", "GB", "+442079460958"},   {"+8613812345678", "US", "+8613812345678"},
  };
  for (const auto& c : cases) {
    INFO(c.text << " in " << c.region);
    const Outcome got = fast(c.text, c.region);
    CHECK(got.decided);
    CHECK(got.answer == c.e164);
    CHECK(reference(c.text, c.region) == c.e164);
    auto normalizer = PhoneNormalizer::make(c.region);
    REQUIRE(normalizer.ok());
    CHECK(*normalizer->to_e164(c.text) == c.e164);
  }
  // Refused by both, with the same message through the normaliser.
  auto cn = PhoneNormalizer::make("CN");
  const Outcome short_number = fast("0138123", "CN");
  CHECK(short_number.decided);
  CHECK(short_number.answer == "invalid");
  CHECK(cn->to_e164("0138123").error().message ==
        "'0138123' is not a valid phone number (default region CN)");
}
