// What the pages need of the server beside the API: the browser session
// (POST to log in, GET to ask who is logged in, DELETE to log out:
// /api/v1/session, browser_sessions.hpp), the
// wallboard's thresholds (GET /api/v1/wallboard), and a request's session
// cookie turned into the bearer token the API reads, behind the CSRF check.
// Without a socket, so that it is tested on its own.
#pragma once

#include <optional>
#include <string>

#include "access_table.hpp"
#include "browser_sessions.hpp"
#include "http_exchange.hpp"
#include "wallboard_thresholds.hpp"

namespace hotline::ops {

// The headers of a request that matter to a browser's authentication.
struct BrowserRequest {
  std::string method;
  std::string path;
  std::string authorization;  // the Authorization header, or empty
  std::string cookie;         // the Cookie header, or empty
  std::string origin;         // the Origin header, or empty
  std::string host;           // the Host header, or empty
};

struct BrowserAnswer {
  HttpResponse response;
  std::string set_cookie;  // a Set-Cookie header's value, or empty
};

constexpr std::string_view kSessionPath = "/api/v1/session";
constexpr std::string_view kWallboardPath = "/api/v1/wallboard";

class PageRoutes {
 public:
  PageRoutes(const AccessTable& access, WallboardThresholds wallboard,
             BrowserSessions::Clock clock = {});

  // Answers the session and wallboard routes; nullopt for every other path.
  std::optional<BrowserAnswer> answer(const BrowserRequest& request);
  // A request without an Authorization header but with a live session's
  // cookie gets the session's token as its Authorization. One that would
  // change something (not GET or HEAD) that way must carry an Origin header
  // naming this server: else the 403 to send is returned.
  std::optional<HttpResponse> authorize(BrowserRequest& request);
  // Who opens the event stream: the Authorization header's token, else the
  // session cookie's, if the Origin names this server (a cross-site page
  // must not open a socket with the user's cookie).
  std::optional<Principal> subscriber(const BrowserRequest& request);

  // Whether a URL path is a page's file rather than the API's.
  static bool is_page_path(std::string_view path);

 private:
  BrowserAnswer session(const BrowserRequest& request);
  // The principal by Authorization header, else by session cookie.
  std::optional<Principal> who(const BrowserRequest& request);

  const AccessTable& access_;
  WallboardThresholds wallboard_;
  BrowserSessions sessions_;
};

}  // namespace hotline::ops
