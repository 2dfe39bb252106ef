#include <doctest/doctest.h>

#include <set>

#include "browser_sessions.hpp"

using namespace hotline::ops;

TEST_CASE("a session stands for its token until it expires") {
  std::int64_t now = 1000;
  BrowserSessions sessions([&now] { return now; });
  const std::string id = sessions.open("Bearer token-of-the-agent-0123");
  CHECK(id.size() == 64);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(sessions.token_of("hotline_session=" + id) == "Bearer token-of-the-agent-0123");
  now += BrowserSessions::kLifetimeMs - 1;
  CHECK(sessions.token_of("a=1; hotline_session=" + id + "; b=2").has_value());
  now += 1;
  CHECK_FALSE(sessions.token_of("hotline_session=" + id).has_value());
  CHECK(sessions.size() == 0);  // an expired session is forgotten when seen
}

TEST_CASE("session ids are random and a closed session is gone") {
  BrowserSessions sessions;
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.insert(sessions.open("Bearer t" + std::to_string(i)));
  CHECK(ids.size() == 100);
  const std::string id = *ids.begin();
  CHECK(sessions.close("hotline_session=" + id));
  CHECK_FALSE(sessions.close("hotline_session=" + id));
  CHECK_FALSE(sessions.token_of("hotline_session=" + id).has_value());
}

TEST_CASE("sessions beyond the limit push out the one closest to expiry") {
  std::int64_t now = 0;
  BrowserSessions sessions([&now] { return now; });
  const std::string oldest = sessions.open("Bearer first");
  for (std::size_t i = 1; i < BrowserSessions::kMaxSessions; ++i) {
    now += 1;
    sessions.open("Bearer next-" + std::to_string(i));
  }
  CHECK(sessions.size() == BrowserSessions::kMaxSessions);
  sessions.open("Bearer one-more");
  CHECK(sessions.size() == BrowserSessions::kMaxSessions);
  CHECK_FALSE(sessions.token_of("hotline_session=" + oldest).has_value());
}

TEST_CASE("a token logging in in a loop pushes out only its own oldest sessions") {
  std::int64_t now = 0;
  BrowserSessions sessions([&now] { return now; });
  const std::string others = sessions.open("Bearer other");
  const std::string first = sessions.open("Bearer looping");
  std::string second;
  for (std::size_t i = 1; i < BrowserSessions::kMaxSessionsPerToken; ++i) {
    now += 1;
    const std::string id = sessions.open("Bearer looping");
    if (i == 1) second = id;
  }
  CHECK(sessions.size() == BrowserSessions::kMaxSessionsPerToken + 1);
  now += 1;
  sessions.open("Bearer looping");
  CHECK(sessions.size() == BrowserSessions::kMaxSessionsPerToken + 1);
  CHECK_FALSE(sessions.token_of("hotline_session=" + first).has_value());
  CHECK(sessions.token_of("hotline_session=" + second) == "Bearer looping");
  for (int i = 0; i < 10'000; ++i) sessions.open("Bearer looping");
  CHECK(sessions.size() == BrowserSessions::kMaxSessionsPerToken + 1);
  CHECK(sessions.token_of("hotline_session=" + others) == "Bearer other");
  // A closed session frees its place under the token's cap.
  CHECK(sessions.close("hotline_session=" + others));
  CHECK(sessions.size() == BrowserSessions::kMaxSessionsPerToken);
}

TEST_CASE("at the global limit a session of the heaviest token gives way, not an older one") {
  std::int64_t now = 0;
  BrowserSessions sessions([&now] { return now; });
  const std::string oldest = sessions.open("Bearer early");
  std::size_t token = 0;
  std::string heavy_oldest;
  // Many tokens at two sessions each, one at three: the global limit is reached.
  while (sessions.size() < BrowserSessions::kMaxSessions) {
    now += 1;
    const std::string name = "Bearer t" + std::to_string(token++);
    sessions.open(name);
    if (sessions.size() < BrowserSessions::kMaxSessions) sessions.open(name);
  }
  now += 1;
  heavy_oldest = sessions.open("Bearer heavy");  // pushes out one of a two-session token
  CHECK(sessions.size() == BrowserSessions::kMaxSessions);
  now += 1;
  sessions.open("Bearer heavy");
  now += 1;
  sessions.open("Bearer heavy");
  // "heavy" holds three now, the most: its own oldest gives way, not the oldest of all.
  now += 1;
  sessions.open("Bearer newcomer");
  CHECK(sessions.size() == BrowserSessions::kMaxSessions);
  CHECK(sessions.token_of("hotline_session=" + oldest) == "Bearer early");
  CHECK_FALSE(sessions.token_of("hotline_session=" + heavy_oldest).has_value());
}

TEST_CASE("the session id is read from a Cookie header among others") {
  CHECK(BrowserSessions::id_in("hotline_session=abc") == "abc");
  CHECK(BrowserSessions::id_in(" theme=dark ;hotline_session = abc ; x=y") == "abc");
  CHECK_FALSE(BrowserSessions::id_in("other_hotline_session=abc").has_value());
  CHECK_FALSE(BrowserSessions::id_in("hotline_session=").has_value());
  CHECK_FALSE(BrowserSessions::id_in("").has_value());
  CHECK_FALSE(BrowserSessions::id_in(";;;=;").has_value());
}

TEST_CASE("the cookie is HttpOnly, SameSite=Strict and for the whole site") {
  const std::string cookie = BrowserSessions::set_cookie("abc");
  CHECK(cookie == "hotline_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
  CHECK(BrowserSessions::clear_cookie().find("Max-Age=0") != std::string::npos);
}

TEST_CASE("the CSRF check accepts only this server's origin") {
  CHECK(same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
  CHECK(same_origin("https://ops.example:443", "ops.example:443"));
  CHECK_FALSE(same_origin("http://evil.example", "127.0.0.1:8080"));
  CHECK_FALSE(same_origin("http://127.0.0.1:8081", "127.0.0.1:8080"));
  CHECK_FALSE(same_origin("", "127.0.0.1:8080"));
  CHECK_FALSE(same_origin("null", "127.0.0.1:8080"));
  CHECK_FALSE(same_origin("http://", ""));
}
