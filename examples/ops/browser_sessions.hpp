// Browser sessions: a browser cannot put an Authorization header on a
// WebSocket handshake, so a page trades its bearer token once
// (POST /api/v1/session) for a random session cookie. The server keeps the
// session's token; a request that carries the cookie and no Authorization
// header acts with that token until the session expires or is deleted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hotline::ops {

class BrowserSessions {
 public:
  using Clock = std::function<std::int64_t()>;  // milliseconds, monotonic

  static constexpr std::string_view kCookieName = "hotline_session";
  // A shift and its overtime; a new login after that.
  static constexpr std::int64_t kLifetimeMs = 12LL * 60 * 60 * 1000;
  // One token may hold this many live sessions (a person's browsers and
  // tabs); its next session replaces its own oldest, so a token that logs in
  // in a loop only ever pushes out its own sessions.
  static constexpr std::size_t kMaxSessionsPerToken = 16;
  // Beyond this many live sessions (many tokens at their cap) a session of
  // the token holding the most gives way, the one closest to expiry.
  static constexpr std::size_t kMaxSessions = 4096;

  // `clock` defaults to the system's monotonic clock (never the simulated one).
  explicit BrowserSessions(Clock clock = {});

  // A new session acting with `token` (the Authorization header that opened
  // it); returns its id (64 hex digits from the system's random source).
  std::string open(std::string token);
  // The token of the session named by a Cookie header; nullopt when it names
  // none, an unknown or an expired one.
  std::optional<std::string> token_of(std::string_view cookie_header);
  // Ends the session the Cookie header names; false when there was none.
  bool close(std::string_view cookie_header);

  // Set-Cookie values: the session's, and the one that clears it.
  static std::string set_cookie(std::string_view id);
  static std::string clear_cookie();
  // The session id in a Cookie header ("a=b; hotline_session=ID"), if any.
  static std::optional<std::string> id_in(std::string_view cookie_header);

  std::size_t size() const noexcept { return sessions_.size(); }

 private:
  struct Session {
    std::string token;
    std::int64_t expires_ms = 0;
  };
  using Sessions = std::unordered_map<std::string, Session>;
  void forget_expired(std::int64_t now);
  Sessions::iterator forget(Sessions::iterator session);
  // The session closest to expiry among those of `token`, or of the token
  // holding the most sessions when `token` is null.
  Sessions::iterator soonest_of(const std::string* token);

  Clock clock_;
  Sessions sessions_;
  std::unordered_map<std::string, std::size_t> per_token_;  // live sessions by token
};

// Whether an Origin header names this server as the Host header gives it
// (http or https, the TLS proxy's scheme): the CSRF check of a request that
// acts through a session cookie.
bool same_origin(std::string_view origin, std::string_view host);

}  // namespace hotline::ops
