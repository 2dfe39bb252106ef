#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>

#include <re.h>

#include "registrar.hpp"

using namespace hotline::sip;

namespace {

std::string md5_hex(const std::string& text) {
  std::uint8_t digest[16];
  md5(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), digest);
  char hex[33];
  for (int i = 0; i < 16; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  return hex;
}

// The Authorization header a phone computes (RFC 2617, qop=auth).
std::string authorization(const std::string& user, const std::string& realm,
                          const std::string& password, const std::string& nonce,
                          const std::string& method = "REGISTER",
                          const std::string& uri = "sip:127.0.0.1",
                          const std::string& nc = "00000001") {
  const std::string ha1 = md5_hex(user + ":" + realm + ":" + password);
  const std::string ha2 = md5_hex(method + ":" + uri);
  const std::string cnonce = "0a4f113b";
  const std::string response = md5_hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
  return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce +
         "\", uri=\"" + uri + "\", response=\"" + response +
         "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"";
}

std::string nonce_of(const std::string& challenge) {
  const auto start = challenge.find("nonce=\"") + 7;
  return challenge.substr(start, challenge.find('"', start) - start);
}

// The bytes of a REGISTER as received: the registrar tells a retransmission
// (the same bytes) from a replay by them.
const std::string kRequest = "REGISTER sip:127.0.0.1 SIP/2.0\r\nCSeq: 2 REGISTER\r\n\r\n";

Registrar make_registrar() {
  return Registrar("hotline", {{"r01", "ann", "secret"}, {"r02", "bob", "hunter2"}}, 600, 30);
}

}  // namespace

TEST_CASE("a REGISTER without credentials is challenged with a fresh nonce") {
  Registrar registrar = make_registrar();
  CHECK(registrar.check("ann", "", "REGISTER", kRequest, 1000) == AuthOutcome::challenge);
  const std::string first = registrar.challenge(1000, false);
  const std::string second = registrar.challenge(1000, false);
  CHECK(first.find("Digest realm=\"hotline\"") == 0);
  CHECK(first.find("stale") == std::string::npos);
  CHECK(nonce_of(first) != nonce_of(second));
  CHECK(registrar.challenge(1000, true).find("stale=true") != std::string::npos);
}

TEST_CASE("the right password is accepted and a wrong one refused") {
  Registrar registrar = make_registrar();
  const std::string nonce = nonce_of(registrar.challenge(0, false));
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", nonce), "REGISTER",
                        kRequest, 1000) == AuthOutcome::ok);
  CHECK(registrar.check("ann", authorization("ann", "hotline", "wrong", nonce), "REGISTER",
                        kRequest, 1000) == AuthOutcome::wrong_password);
  // Bob's password does not open Ann's phone, nor Ann's digest Bob's.
  CHECK(registrar.check("ann", authorization("ann", "hotline", "hunter2", nonce), "REGISTER",
                        kRequest, 1000) == AuthOutcome::wrong_password);
  CHECK(registrar.check("bob", authorization("ann", "hotline", "secret", nonce), "REGISTER",
                        kRequest, 1000) == AuthOutcome::wrong_password);
  // A digest computed for another method does not pass for REGISTER.
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", nonce, "INVITE"),
                        "REGISTER", kRequest, 1000) == AuthOutcome::wrong_password);
}

TEST_CASE("unknown users, foreign nonces and expired nonces") {
  Registrar registrar = make_registrar();
  CHECK(registrar.check("eve", "", "REGISTER", kRequest, 0) == AuthOutcome::unknown_user);
  // A nonce this registrar never issued earns a new challenge, not a check.
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", "feedbeef"), "REGISTER",
                        kRequest, 0) == AuthOutcome::challenge);
  // Another realm's digest is challenged again.
  const std::string nonce = nonce_of(registrar.challenge(0, false));
  CHECK(registrar.check("ann", authorization("ann", "elsewhere", "secret", nonce), "REGISTER",
                        kRequest, 0) == AuthOutcome::challenge);
  // Nonces live nonce_seconds (30 s here): the right password after that is stale.
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", nonce), "REGISTER",
                        kRequest, 30'000) == AuthOutcome::ok);
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", nonce), "REGISTER",
                        kRequest, 30'001) == AuthOutcome::stale);
  // ... and once reported stale it is forgotten.
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", nonce), "REGISTER",
                        kRequest, 30'002) == AuthOutcome::challenge);
}

TEST_CASE("an unreadable Authorization header is malformed") {
  Registrar registrar = make_registrar();
  CHECK(registrar.check("ann", "Basic YW5uOnNlY3JldA==", "REGISTER", kRequest, 0) ==
        AuthOutcome::malformed);
  CHECK(registrar.check("ann", "Digest", "REGISTER", kRequest, 0) == AuthOutcome::malformed);
}

TEST_CASE("Expires is honoured up to the maximum, and 0 unregisters") {
  Registrar registrar = make_registrar();
  CHECK(registrar.bind("ann", "sip:ann@127.0.0.1:5071", 120, 0) == 120);
  CHECK(registrar.binding_of_agent("r01")->contact == "sip:ann@127.0.0.1:5071");
  CHECK(registrar.binding_of_agent("r01")->expires_at_ms == 120'000);
  CHECK(registrar.bind("bob", "sip:bob@127.0.0.1:5072", 86400, 0) == 600);
  CHECK(registrar.next_expiry() == 120'000);
  CHECK(registrar.bind("ann", "sip:ann@127.0.0.1:5071", 0, 1000) == 0);
  CHECK(registrar.binding_of_agent("r01") == nullptr);
  CHECK(registrar.bindings() == 1);
  CHECK(registrar.bind("eve", "sip:eve@127.0.0.1", 60, 0) == 0);  // not a phone
  CHECK(registrar.bindings() == 1);
}

TEST_CASE("bindings expire at their time, and a refresh moves the time") {
  Registrar registrar = make_registrar();
  registrar.bind("ann", "sip:ann@127.0.0.1:5071", 60, 0);
  registrar.bind("bob", "sip:bob@127.0.0.1:5072", 100, 0);
  registrar.bind("ann", "sip:ann@127.0.0.1:5071", 60, 50'000);  // refreshed: until 110 s
  CHECK(registrar.expire(99'999).empty());
  const auto first = registrar.expire(100'000);
  REQUIRE(first.size() == 1);
  CHECK(first[0].agent == "r02");
  CHECK(registrar.next_expiry() == 110'000);
  const auto second = registrar.expire(200'000);
  REQUIRE(second.size() == 1);
  CHECK(second[0].agent == "r01");
  CHECK_FALSE(registrar.next_expiry().has_value());
}

TEST_CASE("Expires is read as digits, and a number too large for an int asks for the most") {
  CHECK(expires_seconds("3600") == 3600);
  CHECK(expires_seconds(" 120 ") == 120);
  CHECK(expires_seconds("0") == 0);
  // libre's pl_u32 read 4294967296 as 0 and 4294967295 as -1 once made an
  // int: both unregistered the phone and logged its agent out.
  CHECK(expires_seconds("2147483647") == 2147483647);
  CHECK(expires_seconds("2147483648") == 2147483647);
  CHECK(expires_seconds("4294967295") == 2147483647);
  CHECK(expires_seconds("4294967296") == 2147483647);
  CHECK(expires_seconds("99999999999999999999999999") == 2147483647);
  CHECK_FALSE(expires_seconds("").has_value());
  CHECK_FALSE(expires_seconds("  ").has_value());
  CHECK_FALSE(expires_seconds("abc").has_value());
  CHECK_FALSE(expires_seconds("-1").has_value());
  CHECK_FALSE(expires_seconds("60s").has_value());
  Registrar registrar = make_registrar();
  CHECK(registrar.bind("ann", "sip:ann@127.0.0.1:5071", *expires_seconds("4294967295"), 0) == 600);
  CHECK(registrar.binding_of_agent("r01") != nullptr);
}

TEST_CASE("nonces past their time are forgotten as new ones are issued") {
  Registrar registrar = make_registrar();  // nonces live 30 s, reported stale 30 s more
  const std::string first = nonce_of(registrar.challenge(0, false));
  for (int i = 1; i < 100; ++i) registrar.challenge(i * 100, false);
  CHECK(registrar.outstanding_nonces() == 100);
  // At 60.001 s the first nonce is past its time and its stale report: gone.
  const std::string late = nonce_of(registrar.challenge(60'001, false));
  CHECK(registrar.outstanding_nonces() == 100);
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", first), "REGISTER",
                        kRequest, 60'001) == AuthOutcome::challenge);
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", late), "REGISTER",
                        kRequest, 60'001) == AuthOutcome::ok);
  // Much later every old one goes with the next challenge.
  registrar.challenge(1'000'000, false);
  CHECK(registrar.outstanding_nonces() == 1);
}

TEST_CASE("a flood of challenges keeps a bounded number of nonces, the newest") {
  Registrar registrar = make_registrar();
  const std::string oldest = nonce_of(registrar.challenge(0, false));
  std::string newest;
  const std::size_t issued = Registrar::kMaxOutstandingNonces + 1000;
  for (std::size_t i = 1; i < issued; ++i) newest = nonce_of(registrar.challenge(1000, false));
  CHECK(registrar.outstanding_nonces() == Registrar::kMaxOutstandingNonces);
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", oldest), "REGISTER",
                        kRequest, 2000) == AuthOutcome::challenge);
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", newest), "REGISTER",
                        kRequest, 2000) == AuthOutcome::ok);
}

TEST_CASE("credentials sent again are a replay unless they are the same request, soon") {
  // Nonces good for five minutes: long past the retransmission window.
  Registrar registrar("hotline", {{"r01", "ann", "secret"}}, 600, 300);
  const std::string nonce = nonce_of(registrar.challenge(0, false));
  const std::string first = authorization("ann", "hotline", "secret", nonce);
  const std::string to_phone = kRequest + "Contact: <sip:ann@10.0.0.7>";
  const std::string elsewhere = kRequest + "Contact: <sip:ann@203.0.113.9>";
  CHECK(registrar.check("ann", first, "REGISTER", to_phone, 1000) == AuthOutcome::ok);
  // The 200 was lost and the phone sends the same bytes again: answered, as
  // a retransmission (not applied again: the phone may have moved since).
  CHECK(registrar.check("ann", first, "REGISTER", to_phone, 1500) ==
        AuthOutcome::retransmission);
  // Over TCP (no datagram) there are no retransmissions: the same again is a
  // replay.
  CHECK(registrar.check("ann", first, "REGISTER", "", 1500) == AuthOutcome::replayed);
  // Nor with a clock stepped back before the acceptance.
  CHECK(registrar.check("ann", first, "REGISTER", to_phone, 999) == AuthOutcome::replayed);
  // The same Authorization on another request (the digest does not cover
  // the Contact): someone else's copy.
  CHECK(registrar.check("ann", first, "REGISTER", elsewhere, 2000) == AuthOutcome::replayed);
  // The same bytes after the retransmission window: a replay too.
  CHECK(registrar.check("ann", first, "REGISTER", to_phone,
                        1000 + Registrar::kRetransmissionWindowMs + 1) == AuthOutcome::replayed);
  // The phone's next request counts up: accepted, and the counts it passed
  // are spent.
  const std::string second =
      authorization("ann", "hotline", "secret", nonce, "REGISTER", "sip:127.0.0.1", "00000002");
  CHECK(registrar.check("ann", second, "REGISTER", to_phone + ";2", 3000) == AuthOutcome::ok);
  CHECK(registrar.check("ann", first, "REGISTER", to_phone + ";3", 3000) ==
        AuthOutcome::replayed);
  // A count in upper-case hex is the same number; one that is not eight hex
  // digits cannot be read.
  const std::string tenth =
      authorization("ann", "hotline", "secret", nonce, "REGISTER", "sip:127.0.0.1", "0000000A");
  CHECK(registrar.check("ann", tenth, "REGISTER", to_phone + ";4", 4000) == AuthOutcome::ok);
  const std::string unreadable =
      authorization("ann", "hotline", "secret", nonce, "REGISTER", "sip:127.0.0.1", "0000000g");
  CHECK(registrar.check("ann", unreadable, "REGISTER", to_phone + ";5", 4000) ==
        AuthOutcome::malformed);
  // A wrong password is still wrong, whatever its count.
  CHECK(registrar.check("ann", authorization("ann", "hotline", "guess", nonce), "REGISTER",
                        elsewhere, 4000) == AuthOutcome::wrong_password);
  // Another nonce starts its own count.
  const std::string fresh = nonce_of(registrar.challenge(5000, false));
  CHECK(registrar.check("ann", authorization("ann", "hotline", "secret", fresh), "REGISTER",
                        elsewhere, 5000) == AuthOutcome::ok);
}
