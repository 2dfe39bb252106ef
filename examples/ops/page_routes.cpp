#include "page_routes.hpp"

#include <nlohmann/json.hpp>

#include "ops_api.hpp"

namespace hotline::ops {

using nlohmann::json;

namespace {

bool changes_state(std::string_view method) { return method != "GET" && method != "HEAD"; }

HttpResponse principal_response(const Principal& who) {
  json body{{"authenticated", true}, {"role", role_name(who.role)}};
  if (!who.agent_id.empty()) body["agent_id"] = who.agent_id;
  body["expires_in_seconds"] = BrowserSessions::kLifetimeMs / 1000;
  return HttpResponse{200, "application/json", body.dump()};
}

const HttpResponse kCrossSite = error_response(
    403, "a request through a session cookie needs an Origin header naming this server");

}  // namespace

PageRoutes::PageRoutes(const AccessTable& access, WallboardThresholds wallboard,
                       BrowserSessions::Clock clock)
    : access_(access), wallboard_(wallboard), sessions_(std::move(clock)) {}

bool PageRoutes::is_page_path(std::string_view path) {
  return path != "/metrics" && path != "/api" && path.substr(0, 5) != "/api/";
}

std::optional<Principal> PageRoutes::who(const BrowserRequest& request) {
  if (!request.authorization.empty()) return access_.authenticate(request.authorization);
  if (auto token = sessions_.token_of(request.cookie)) {
    return access_.authenticate(*token);
  }
  return std::nullopt;
}

std::optional<BrowserAnswer> PageRoutes::answer(const BrowserRequest& request) {
  if (request.path == kSessionPath) return session(request);
  if (request.path != kWallboardPath) return std::nullopt;
  if (!who(request)) {
    return BrowserAnswer{error_response(401, "a valid bearer token is required"), {}};
  }
  if (request.method != "GET") return BrowserAnswer{error_response(405, "GET only"), {}};
  return BrowserAnswer{HttpResponse{200, "application/json", to_json(wallboard_).dump()}, {}};
}

BrowserAnswer PageRoutes::session(const BrowserRequest& request) {
  const HttpResponse unauthorized = error_response(401, "a valid bearer token is required");
  if (request.method == "POST") {
    // Only the bearer token opens a session: a cookie cannot renew itself.
    auto by_token = access_.authenticate(request.authorization);
    if (!by_token) return BrowserAnswer{unauthorized, {}};
    std::string id = sessions_.open(request.authorization);
    return BrowserAnswer{principal_response(*by_token), BrowserSessions::set_cookie(id)};
  }
  if (request.method == "GET") {
    // The pages ask before they show the login form: not logged in is an
    // answer here, not an error the browser's console would report.
    auto current = who(request);
    if (!current) {
      return BrowserAnswer{HttpResponse{200, "application/json", R"({"authenticated":false})"},
                           {}};
    }
    return BrowserAnswer{principal_response(*current), {}};
  }
  if (request.method == "DELETE") {
    if (!sessions_.token_of(request.cookie)) return BrowserAnswer{unauthorized, {}};
    if (!same_origin(request.origin, request.host)) return BrowserAnswer{kCrossSite, {}};
    sessions_.close(request.cookie);
    return BrowserAnswer{HttpResponse{204, "application/json", ""},
                         BrowserSessions::clear_cookie()};
  }
  if (!who(request)) return BrowserAnswer{unauthorized, {}};
  return BrowserAnswer{error_response(405, "POST, GET or DELETE only"), {}};
}

std::optional<HttpResponse> PageRoutes::authorize(BrowserRequest& request) {
  if (!request.authorization.empty()) return std::nullopt;
  auto token = sessions_.token_of(request.cookie);
  if (!token) return std::nullopt;  // the API answers 401
  if (changes_state(request.method) && !same_origin(request.origin, request.host)) {
    return kCrossSite;
  }
  request.authorization = *token;
  return std::nullopt;
}

std::optional<Principal> PageRoutes::subscriber(const BrowserRequest& request) {
  if (!request.authorization.empty()) return access_.authenticate(request.authorization);
  if (!same_origin(request.origin, request.host)) return std::nullopt;
  return who(request);
}

}  // namespace hotline::ops
