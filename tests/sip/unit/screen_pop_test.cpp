#include <doctest/doctest.h>

#include "screen_pop.hpp"

using namespace hotline::sip;
using nlohmann::json;

namespace {
bool printable_ascii(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
}  // namespace

TEST_CASE("a customer's name cannot break out of its header") {
  const json customer = {{"id", 7}, {"name", "Eve\r\nX-Injected: yes"}};
  const std::string value = header_json(customer);
  CHECK(printable_ascii(value));
  CHECK(value.find("\\r\\n") != std::string::npos);
  CHECK(json::parse(value) == customer);
}

TEST_CASE("non-ASCII names are escaped and read back unchanged") {
  const json customer = {{"id", 12}, {"name", "李小龙"}};
  const std::string value = header_json(customer);
  CHECK(printable_ascii(value));
  CHECK(value == R"({"id":12,"name":"\u674e\u5c0f\u9f99"})");
  CHECK(json::parse(value) == customer);
}

TEST_CASE("bytes that are not UTF-8 are replaced, not thrown on") {
  const json customer = {{"name", std::string("bad\xff")}};
  std::string value;
  CHECK_NOTHROW(value = header_json(customer));
  CHECK(printable_ascii(value));
}

TEST_CASE("tokens are percent-encoded outside printable ASCII") {
  CHECK(header_token("c17") == "c17");
  CHECK(header_token("a b\r\n%") == "a%20b%0D%0A%25");
}

TEST_CASE("the screen pop's headers name the call, queue, customer and IVR path") {
  ScreenPop pop{"c3", "retail", json{{"id", 1}, {"name", "Ann"}}, {"hours", "welcome", "menu"}};
  const std::string headers = screen_pop_headers(pop);
  CHECK(headers ==
        "X-Hotline-Call: c3\r\n"
        "X-Hotline-Queue: retail\r\n"
        "X-Hotline-Customer: {\"id\":1,\"name\":\"Ann\"}\r\n"
        "X-Hotline-IVR-Path: [\"hours\",\"welcome\",\"menu\"]\r\n");
}

TEST_CASE("an unknown caller and an empty path leave their headers out") {
  ScreenPop pop{"c4", "", nullptr, {}};
  CHECK(screen_pop_headers(pop) == "X-Hotline-Call: c4\r\n");
}

TEST_CASE("a caller's number becomes a safe URI user part") {
  CHECK(uri_user("+972500000001") == "+972500000001");
  CHECK(uri_user("a b@c:d<e>") == "a%20b%40c%3Ad%3Ce%3E");
  CHECK(uri_user("") == "anonymous");
}
