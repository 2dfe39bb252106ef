#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "page_routes.hpp"

using namespace hotline;
using namespace hotline::ops;
using nlohmann::json;

namespace {

const json kTokens = json::array({
    {{"token", "agent-r01-token-0123"}, {"role", "agent"}, {"agent_id", "r01"}},
    {{"token", "supervisor-token-0123"}, {"role", "supervisor"}},
});

// The parsed table outlives the tests: GCC 12 at -O2 mistakes the inlined
// destruction of a local Result's error alternative for freeing a non-heap
// object (-Wfree-nonheap-object).
AccessTable table() {
  static const Result<AccessTable> parsed = AccessTable::from_json(kTokens, "$.tokens");
  REQUIRE(parsed.ok());
  return *parsed;
}

BrowserRequest request(std::string method, std::string path) {
  BrowserRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.host = "127.0.0.1:8080";
  return r;
}

// The session id a login's Set-Cookie carries.
std::string login(PageRoutes& routes, const std::string& token) {
  BrowserRequest r = request("POST", "/api/v1/session");
  r.authorization = "Bearer " + token;
  auto answer = routes.answer(r);
  REQUIRE(answer.has_value());
  REQUIRE(answer->response.status == 200);
  const std::string prefix = "hotline_session=";
  REQUIRE(answer->set_cookie.rfind(prefix, 0) == 0);
  return answer->set_cookie.substr(prefix.size(), 64);
}

}  // namespace

TEST_CASE("the API's paths are not pages") {
  CHECK(PageRoutes::is_page_path("/"));
  CHECK(PageRoutes::is_page_path("/wallboard.html"));
  CHECK(PageRoutes::is_page_path("/vendor/chart.js"));
  CHECK(PageRoutes::is_page_path("/apis.html"));
  CHECK_FALSE(PageRoutes::is_page_path("/api"));
  CHECK_FALSE(PageRoutes::is_page_path("/api/v1/queues"));
  CHECK_FALSE(PageRoutes::is_page_path("/api/anything"));
  CHECK_FALSE(PageRoutes::is_page_path("/metrics"));
}

TEST_CASE("a cookie stands for its token; a change through it needs this server's origin") {
  const AccessTable access = table();
  PageRoutes routes(access, WallboardThresholds{});
  const std::string id = login(routes, "agent-r01-token-0123");

  BrowserRequest read = request("GET", "/api/v1/agents");
  read.cookie = "hotline_session=" + id;
  CHECK_FALSE(routes.authorize(read).has_value());
  CHECK(read.authorization == "Bearer agent-r01-token-0123");

  BrowserRequest change = request("POST", "/api/v1/agents/r01/state");
  change.cookie = "hotline_session=" + id;
  auto refused = routes.authorize(change);
  REQUIRE(refused.has_value());
  CHECK(refused->status == 403);
  CHECK(change.authorization.empty());

  change.origin = "http://127.0.0.1:8080";
  CHECK_FALSE(routes.authorize(change).has_value());
  CHECK(change.authorization == "Bearer agent-r01-token-0123");
}

TEST_CASE("a request with its own Authorization header is left as it is") {
  const AccessTable access = table();
  PageRoutes routes(access, WallboardThresholds{});
  const std::string id = login(routes, "supervisor-token-0123");
  BrowserRequest r = request("POST", "/api/v1/agents/r01/state");
  r.authorization = "Bearer agent-r01-token-0123";
  r.cookie = "hotline_session=" + id;
  CHECK_FALSE(routes.authorize(r).has_value());
  CHECK(r.authorization == "Bearer agent-r01-token-0123");
}

TEST_CASE("an unknown cookie leaves the request without a token") {
  const AccessTable access = table();
  PageRoutes routes(access, WallboardThresholds{});
  BrowserRequest r = request("POST", "/api/v1/agents/r01/state");
  r.cookie = "hotline_session=" + std::string(64, 'a');
  r.origin = "http://127.0.0.1:8080";
  CHECK_FALSE(routes.authorize(r).has_value());
  CHECK(r.authorization.empty());
}

TEST_CASE("the session routes: who is logged in, logging out, other methods") {
  const AccessTable access = table();
  PageRoutes routes(access, WallboardThresholds{});
  BrowserRequest who = request("GET", "/api/v1/session");
  auto nobody = routes.answer(who);
  REQUIRE(nobody.has_value());
  CHECK(json::parse(nobody->response.body) == json{{"authenticated", false}});

  const std::string id = login(routes, "agent-r01-token-0123");
  who.cookie = "hotline_session=" + id;
  auto me = json::parse(routes.answer(who)->response.body);
  CHECK(me["role"] == "agent");
  CHECK(me["agent_id"] == "r01");

  BrowserRequest out = request("DELETE", "/api/v1/session");
  out.cookie = who.cookie;
  CHECK(routes.answer(out)->response.status == 403);  // no Origin
  out.origin = "https://127.0.0.1:8080";
  auto done = routes.answer(out);
  CHECK(done->response.status == 204);
  CHECK(done->set_cookie.find("Max-Age=0") != std::string::npos);
  CHECK(routes.answer(out)->response.status == 401);
  CHECK(json::parse(routes.answer(who)->response.body)["authenticated"] == false);

  BrowserRequest put = request("PUT", "/api/v1/session");
  CHECK(routes.answer(put)->response.status == 401);
  put.authorization = "Bearer supervisor-token-0123";
  CHECK(routes.answer(put)->response.status == 405);
}

TEST_CASE("the wallboard route serves the configured thresholds to any role") {
  const AccessTable access = table();
  WallboardThresholds thresholds;
  thresholds.asa_seconds = 30;
  PageRoutes routes(access, thresholds);
  BrowserRequest r = request("GET", "/api/v1/wallboard");
  CHECK(routes.answer(r)->response.status == 401);
  r.authorization = "Bearer agent-r01-token-0123";
  auto answer = routes.answer(r);
  CHECK(answer->response.status == 200);
  CHECK(json::parse(answer->response.body)["asa_seconds"] == 30);
  r.method = "POST";
  CHECK(routes.answer(r)->response.status == 405);
  CHECK_FALSE(routes.answer(request("GET", "/api/v1/queues")).has_value());
}

TEST_CASE("the event stream takes a cookie only from this server's origin") {
  const AccessTable access = table();
  PageRoutes routes(access, WallboardThresholds{});
  const std::string id = login(routes, "supervisor-token-0123");
  BrowserRequest r = request("GET", "/api/v1/events");
  r.cookie = "hotline_session=" + id;
  CHECK_FALSE(routes.subscriber(r).has_value());
  r.origin = "http://evil.example";
  CHECK_FALSE(routes.subscriber(r).has_value());
  r.origin = "http://127.0.0.1:8080";
  auto who = routes.subscriber(r);
  REQUIRE(who.has_value());
  CHECK(who->role == Role::kSupervisor);
  BrowserRequest bearer = request("GET", "/api/v1/events");
  bearer.authorization = "Bearer agent-r01-token-0123";
  CHECK(routes.subscriber(bearer)->agent_id == "r01");
}
