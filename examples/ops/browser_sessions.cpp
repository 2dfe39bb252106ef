#include "browser_sessions.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

namespace hotline::ops {

namespace {

std::string random_id() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0) throw std::runtime_error("the system's random source failed");
    filled += static_cast<std::size_t>(got);
  }
  std::string id;
  for (unsigned char b : bytes) id += fmt::format("{:02x}", b);
  return id;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

BrowserSessions::BrowserSessions(Clock clock) : clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
}

BrowserSessions::Sessions::iterator BrowserSessions::forget(Sessions::iterator session) {
  auto count = per_token_.find(session->second.token);
  if (count != per_token_.end() && --count->second == 0) per_token_.erase(count);
  return sessions_.erase(session);
}

void BrowserSessions::forget_expired(std::int64_t now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.expires_ms <= now ? forget(it) : std::next(it);
  }
}

BrowserSessions::Sessions::iterator BrowserSessions::soonest_of(const std::string* token) {
  std::size_t heaviest = 0;
  if (token == nullptr) {
    for (const auto& [held_by, count] : per_token_) {
      (void)held_by;
      heaviest = std::max(heaviest, count);
    }
  }
  auto soonest = sessions_.end();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    const bool candidate = token != nullptr ? it->second.token == *token
                                            : per_token_[it->second.token] == heaviest;
    if (candidate &&
        (soonest == sessions_.end() || it->second.expires_ms < soonest->second.expires_ms)) {
      soonest = it;
    }
  }
  return soonest;
}

std::string BrowserSessions::open(std::string token) {
  const std::int64_t now = clock_();
  forget_expired(now);
  auto held = per_token_.find(token);
  if (held != per_token_.end() && held->second >= kMaxSessionsPerToken) {
    if (auto own = soonest_of(&token); own != sessions_.end()) forget(own);
  } else if (sessions_.size() >= kMaxSessions) {
    if (auto heaviest = soonest_of(nullptr); heaviest != sessions_.end()) forget(heaviest);
  }
  std::string id = random_id();
  ++per_token_[token];
  sessions_[id] = Session{std::move(token), now + kLifetimeMs};
  return id;
}

std::optional<std::string> BrowserSessions::token_of(std::string_view cookie_header) {
  const auto id = id_in(cookie_header);
  if (!id) return std::nullopt;
  auto found = sessions_.find(*id);
  if (found == sessions_.end()) return std::nullopt;
  if (found->second.expires_ms <= clock_()) {
    forget(found);
    return std::nullopt;
  }
  return found->second.token;
}

bool BrowserSessions::close(std::string_view cookie_header) {
  const auto id = id_in(cookie_header);
  if (!id) return false;
  auto found = sessions_.find(*id);
  if (found == sessions_.end()) return false;
  forget(found);
  return true;
}

std::string BrowserSessions::set_cookie(std::string_view id) {
  return fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", kCookieName, id,
                     kLifetimeMs / 1000);
}

std::string BrowserSessions::clear_cookie() {
  return fmt::format("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0", kCookieName);
}

std::optional<std::string> BrowserSessions::id_in(std::string_view cookie_header) {
  while (!cookie_header.empty()) {
    const std::size_t end = cookie_header.find(';');
    const std::string_view pair = trim(cookie_header.substr(0, end));
    cookie_header = end == std::string_view::npos ? std::string_view{}
                                                  : cookie_header.substr(end + 1);
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos || trim(pair.substr(0, equals)) != kCookieName) {
      continue;
    }
    const std::string_view value = trim(pair.substr(equals + 1));
    if (!value.empty()) return std::string(value);
  }
  return std::nullopt;
}

bool same_origin(std::string_view origin, std::string_view host) {
  if (host.empty()) return false;
  return origin == fmt::format("http://{}", host) || origin == fmt::format("https://{}", host);
}

}  // namespace hotline::ops
