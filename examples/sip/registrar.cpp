#include "registrar.hpp"

#include <re.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <random>

namespace hotline::sip {

namespace {

struct pl pl_of(const std::string& text) {
  struct pl p;
  pl_set_str(&p, text.c_str());
  return p;
}

std::string text_of(const struct pl& p) { return std::string(p.p ? p.p : "", p.l); }

// The nc of a digest answer: eight hex digits (RFC 2617 section 3.2.2).
std::optional<std::uint32_t> nonce_count(const std::string& text) {
  if (text.size() != 8) return std::nullopt;
  std::uint32_t count = 0;
  for (const char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    count = count * 16 + static_cast<std::uint32_t>(digit);
  }
  return count;
}

}  // namespace

std::optional<int> expires_seconds(std::string_view text) {
  // Space around a header's value is not part of it.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = std::min<std::int64_t>(seconds * 10 + (c - '0'), INT_MAX);
  }
  return static_cast<int>(seconds);
}

Registrar::Registrar(std::string realm, std::vector<PhoneAccount> phones, int max_seconds,
                     int nonce_seconds)
    : realm_(std::move(realm)),
      max_seconds_(max_seconds),
      nonce_seconds_(nonce_seconds),
      nonce_secret_(std::random_device{}() * 0x100000000ULL + std::random_device{}()) {
  for (auto& phone : phones) phones_[phone.user] = phone;
}

const PhoneAccount* Registrar::phone(const std::string& user) const {
  auto it = phones_.find(user);
  return it == phones_.end() ? nullptr : &it->second;
}

std::string Registrar::issue_nonce(std::int64_t now_ms) {
  // Nonces are only ever compared with the table, so they need to be unique
  // and unguessable, not meaningful.
  forget_old_nonces(now_ms);
  std::uint8_t digest[16];
  md5_printf(digest, "%llu:%llu:%lld", static_cast<unsigned long long>(nonce_secret_),
             static_cast<unsigned long long>(++nonce_counter_), static_cast<long long>(now_ms));
  char hex[33];
  for (int i = 0; i < 16; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  const std::int64_t valid_until = now_ms + std::int64_t(nonce_seconds_) * 1000;
  nonces_[hex] = IssuedNonce{valid_until};
  nonces_by_age_.emplace_back(valid_until, hex);
  return hex;
}

void Registrar::forget_old_nonces(std::int64_t now_ms) {
  // Every nonce lives as long, so the order of issue is the order of expiry.
  // An expired nonce is kept one lifetime more, so that a phone answering it
  // late hears stale=true (its password was right) rather than a plain
  // challenge.
  const std::int64_t kept_after_expiry = std::int64_t(nonce_seconds_) * 1000;
  while (!nonces_by_age_.empty() &&
         (nonces_by_age_.front().first + kept_after_expiry < now_ms ||
          nonces_by_age_.size() >= kMaxOutstandingNonces)) {
    nonces_.erase(nonces_by_age_.front().second);
    nonces_by_age_.pop_front();
  }
}

std::string Registrar::challenge(std::int64_t now_ms, bool stale) {
  return "Digest realm=\"" + realm_ + "\", nonce=\"" + issue_nonce(now_ms) +
         "\", algorithm=MD5, qop=\"auth\"" + (stale ? ", stale=true" : "");
}

AuthOutcome Registrar::check(const std::string& user, const std::string& authorization,
                             const std::string& method, std::string_view datagram,
                             std::int64_t now_ms) {
  const PhoneAccount* account = phone(user);
  if (!account) return AuthOutcome::unknown_user;
  if (authorization.empty()) return AuthOutcome::challenge;
  struct httpauth_digest_resp response;
  const struct pl value = pl_of(authorization);
  if (httpauth_digest_response_decode(&response, &value) != 0) return AuthOutcome::malformed;
  if (text_of(response.username) != user) return AuthOutcome::wrong_password;
  if (text_of(response.realm) != realm_) return AuthOutcome::challenge;
  const auto nonce = nonces_.find(text_of(response.nonce));
  if (nonce == nonces_.end()) return AuthOutcome::challenge;
  IssuedNonce& issued = nonce->second;
  if (issued.valid_until < now_ms) {
    nonces_.erase(nonce);
    return AuthOutcome::stale;
  }
  std::uint8_t ha1[16];
  md5_printf(ha1, "%s:%s:%s", user.c_str(), realm_.c_str(), account->password.c_str());
  const struct pl met = pl_of(method);
  if (httpauth_digest_response_auth(&response, &met, ha1) != 0) {
    return AuthOutcome::wrong_password;
  }
  // The digest is right; is it new? Without qop there is no count, and the
  // nonce answers one request only.
  std::array<std::uint8_t, 16> fingerprint{};
  if (!datagram.empty()) {
    md5(reinterpret_cast<const std::uint8_t*>(datagram.data()), datagram.size(),
        fingerprint.data());
  }
  const bool counted = pl_isset(&response.qop);
  const std::optional<std::uint32_t> count =
      counted ? nonce_count(text_of(response.nc)) : std::nullopt;
  if (counted && !count) return AuthOutcome::malformed;
  if (issued.answered) {
    // A clock stepped back is no reason to stretch the window.
    if (!datagram.empty() && fingerprint == issued.answered_datagram &&
        now_ms >= issued.answered_at && now_ms - issued.answered_at <= kRetransmissionWindowMs) {
      return AuthOutcome::retransmission;
    }
    if (!count || *count <= issued.last_count) return AuthOutcome::replayed;
  }
  issued.answered = true;
  issued.last_count = count.value_or(0);
  issued.answered_datagram = fingerprint;
  issued.answered_at = now_ms;
  return AuthOutcome::ok;
}

int Registrar::bind(const std::string& user, const std::string& contact, int requested_seconds,
                    std::int64_t now_ms) {
  const PhoneAccount* account = phone(user);
  if (!account) return 0;
  const int granted = std::clamp(requested_seconds, 0, max_seconds_);
  if (granted == 0) {
    bindings_.erase(user);
    return 0;
  }
  bindings_[user] = Binding{user, account->agent, contact, now_ms + std::int64_t(granted) * 1000};
  return granted;
}

std::vector<Binding> Registrar::expire(std::int64_t now_ms) {
  std::vector<Binding> expired;
  for (auto it = bindings_.begin(); it != bindings_.end();) {
    if (it->second.expires_at_ms <= now_ms) {
      expired.push_back(it->second);
      it = bindings_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

std::optional<std::int64_t> Registrar::next_expiry() const {
  std::optional<std::int64_t> next;
  for (const auto& item : bindings_) {
    if (!next || item.second.expires_at_ms < *next) next = item.second.expires_at_ms;
  }
  return next;
}

const Binding* Registrar::binding_of_agent(const std::string& agent) const {
  for (const auto& item : bindings_) {
    if (item.second.agent == agent) return &item.second;
  }
  return nullptr;
}

}  // namespace hotline::sip
