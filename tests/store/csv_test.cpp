#include <doctest/doctest.h>

#include "hotline/store/csv.hpp"

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
