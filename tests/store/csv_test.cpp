#include <doctest/doctest.h>

#include "hotline/store/csv.hpp"
#include "hotline/store/phone.hpp"

using namespace hotline;
using namespace hotline::store;

namespace {
std::vector<std::vector<std::string>> read_all(std::string_view text) {
  CsvReader r(text);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  for (;;) {
    auto more = r.next(fields);
    REQUIRE_MESSAGE(more.ok(), (more.ok() ? "" : more.error().message));
    if (!*more) break;
    out.push_back(fields);
  }
  return out;
}
}  // namespace

TEST_CASE("RFC 4180: quotes, doubled quotes, separators and line breaks inside fields") {
  using Rows = std::vector<std::vector<std::string>>;
  CHECK(read_all("a,b,c\r\n1,2,3\r\n") == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
  CHECK(read_all("a,b\n1,2") == Rows{{"a", "b"}, {"1", "2"}});  // LF, no final line end
  CHECK(read_all("\"x,y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n") ==
        Rows{{"x,y", "say \"hi\"", "two\r\nlines"}});
  CHECK(read_all(",,\n") == Rows{{"", "", ""}});
  CHECK(read_all("\"\"\n") == Rows{{""}});
  CHECK(read_all("名前,電話\n山田,+81 3-1234-5678\n") ==
        Rows{{"名前", "電話"}, {"山田", "+81 3-1234-5678"}});
  CHECK(read_all("").empty());
}

TEST_CASE("malformed CSV is reported with record, line and column") {
  std::vector<std::string> f;
  CsvReader open_quote("a,b\n1,\"never closed\n2,3\n");
  REQUIRE(*open_quote.next(f));
  auto e = open_quote.next(f);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message == "CSV record 2 (line 2), column 3: a quoted field is never closed");

  CsvReader stray("ab\"c,d\n");
  e = stray.next(f);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("column 3: a quote inside an unquoted field") != std::string::npos);

  CsvReader after("\"ok\"x,1\n");
  e = after.next(f);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message.find("column 5: text after a closing quote") != std::string::npos);
}

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
