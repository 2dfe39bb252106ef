// The registrar's rules, apart from the wire: digest authentication of
// REGISTER against the phones of the configuration (RFC 3261 section 22 with
// RFC 2617 digests, checked by libre's httpauth), nonces that expire, and the
// table of registered contacts with their expiry. The SIP thread owns the one
// instance; times are passed in so the rules are tested without waiting.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "host_config.hpp"

namespace hotline::sip {

enum class AuthOutcome {
  ok,
  retransmission,  // the accepted request again (its 200 was lost): answered, not re-applied
  challenge,       // no credentials, or a nonce this registrar did not issue: 401
  stale,           // a nonce this registrar issued that has expired: 401, stale=true
  replayed,        // credentials already used, sent again by someone: 401, stale=true
  unknown_user,    // no phone has this user: 404
  wrong_password,  // the digest does not match: 403
  malformed,       // the Authorization header cannot be read: 400
};

struct Binding {
  std::string user;
  std::string agent;
  std::string contact;  // the URI calls are sent to
  std::int64_t expires_at_ms = 0;
};

// The seconds of an Expires header or a Contact's expires parameter
// (delta-seconds: digits only). A value beyond an int's range is read as
// the largest int, which bind() then cuts to the maximum: a long wish is
// still a wish to stay, never a wrapped-around 0 that would unregister.
// nullopt when it is not a number at all.
std::optional<int> expires_seconds(std::string_view text);

class Registrar {
 public:
  // At most this many nonces are waiting for their answer; beyond it the
  // oldest is forgotten (a phone that answers it is challenged again). A
  // flood of REGISTERs without credentials costs this much memory, not more.
  static constexpr std::size_t kMaxOutstandingNonces = 65536;

  Registrar(std::string realm, std::vector<PhoneAccount> phones, int max_seconds,
            int nonce_seconds);

  const std::string& realm() const { return realm_; }
  const PhoneAccount* phone(const std::string& user) const;

  // A fresh nonce, valid for nonce_seconds from `now_ms`.
  std::string issue_nonce(std::int64_t now_ms);
  // The value of a WWW-Authenticate header with a fresh nonce.
  std::string challenge(std::int64_t now_ms, bool stale);
  // A request the registrar already accepted, byte for byte the same, this
  // long after is a retransmission: a UDP REGISTER whose 200 was lost (64 *
  // T1, the life of a non-INVITE server transaction).
  static constexpr std::int64_t kRetransmissionWindowMs = 32'000;

  // Checks an Authorization header's value for `user` (the To user of the
  // REGISTER) and `method`. `datagram` is a UDP request's bytes; empty on a
  // reliable transport, which never retransmits. Each answer to a nonce
  // counts up its nc (RFC 2617 section 3.2.2): the digest does not cover
  // the Contact, so credentials seen once, sent again with another Contact,
  // would move the phone's calls elsewhere. A count that does not go up is
  // `replayed`, unless it is the accepted datagram again within
  // kRetransmissionWindowMs: `retransmission`, which the caller answers with
  // the bindings as they stand and does not apply again (the phone may have
  // moved since, under a newer nonce).
  AuthOutcome check(const std::string& user, const std::string& authorization,
                    const std::string& method, std::string_view datagram, std::int64_t now_ms);

  // Binds `contact` for the phone's user for min(requested, max) seconds and
  // returns the seconds granted; 0 removes the binding.
  int bind(const std::string& user, const std::string& contact, int requested_seconds,
           std::int64_t now_ms);
  // Removes and returns the bindings that expired by `now_ms`.
  std::vector<Binding> expire(std::int64_t now_ms);
  std::optional<std::int64_t> next_expiry() const;
  const Binding* binding_of_agent(const std::string& agent) const;
  std::size_t bindings() const { return bindings_.size(); }
  std::size_t outstanding_nonces() const { return nonces_.size(); }

 private:
  std::string realm_;
  std::map<std::string, PhoneAccount> phones_;  // by user
  int max_seconds_;
  int nonce_seconds_;
  // Forgets the nonces past their time, oldest first, and the oldest
  // beyond kMaxOutstandingNonces: each challenge costs the nonces it drops,
  // not a walk over every nonce issued.
  void forget_old_nonces(std::int64_t now_ms);
  struct IssuedNonce {
    std::int64_t valid_until = 0;
    bool answered = false;         // a request with it has been accepted
    std::uint32_t last_count = 0;  // the nc of that request (0: it had none)
    std::array<std::uint8_t, 16> answered_datagram{};  // its MD5 (zeros: not UDP)
    std::int64_t answered_at = 0;
  };
  std::unordered_map<std::string, IssuedNonce> nonces_;
  // The same nonces in the order they were issued, with their time. One a
  // check has already taken out of nonces_ is skipped when its turn comes.
  std::deque<std::pair<std::int64_t, std::string>> nonces_by_age_;
  std::map<std::string, Binding> bindings_;     // by user
  std::uint64_t nonce_counter_ = 0;
  std::uint64_t nonce_secret_;
};

}  // namespace hotline::sip
