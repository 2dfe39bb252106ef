// A queue's contact side (ContactSide) answers for a membership test's
// contact operand as the test's own program does: over a generated corpus of
// tests of each form, either way round, on keys of every length about the
// inline limit and on paths of two keys, and contacts whose values there are
// of every kind, the value read from the side is the operand's evaluation.
// And a router whose queues read a key too long to keep inline (the
// program's path) makes every offer that the same router on a short key
// (the side's path) makes, over a generated run of arrivals and releases.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../../src/routing/contact_side.hpp"
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

// Equal kind and content; lists item by item, objects by identity (both
// sides borrow the contact's own).
bool same_value(const expr::Value& a, const expr::Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case expr::Value::Kind::kNull: return true;
    case expr::Value::Kind::kBool: return a.as_bool() == b.as_bool();
    case expr::Value::Kind::kNumber:
      return a.as_number() == b.as_number() ||
             (std::isnan(a.as_number()) && std::isnan(b.as_number()));
    case expr::Value::Kind::kString: return a.as_string() == b.as_string();
    case expr::Value::Kind::kList: {
      if (a.list_size() != b.list_size()) return false;
      for (std::size_t i = 0; i < a.list_size(); ++i) {
        if (!same_value(a.list_at(i), b.list_at(i))) return false;
      }
      return true;
    }
    case expr::Value::Kind::kObject: return a.as_object() == b.as_object();
  }
  return false;
}

std::string key_of_length(std::size_t n, std::mt19937_64& rng) {
  std::string k = "k";
  while (k.size() < n) k += static_cast<char>('a' + rng() % 3);
  return k;
}

// A key of one of the lengths about the inline limit, or a short one.
std::string random_key(std::mt19937_64& rng) {
  static const std::size_t kLengths[] = {1, 2, 8, ContactSide::kMaxKey - 1, ContactSide::kMaxKey,
                                         ContactSide::kMaxKey + 1, 80};
  return key_of_length(kLengths[rng() % 7], rng);
}

void set_random_value(expr::Attributes& attrs, const std::string& key, std::mt19937_64& rng) {
  switch (rng() % 8) {
    case 0: attrs.set(key, std::string(1, static_cast<char>('a' + rng() % 4))); break;
    case 1: attrs.set(key, static_cast<double>(rng() % 5)); break;
    case 2: attrs.set(key, rng() % 2 == 0); break;
    case 3: attrs.set(key, std::nan("")); break;
    case 4: attrs.set(key, std::vector<std::string>{"a", "b"}); break;
    case 5: attrs.set(key, -0.0); break;
    case 6: attrs.set(key, std::string()); break;
    default: break;  // missing
  }
}

}  // namespace

TEST_CASE("a contact side reads the membership test's contact operand as its program does") {
  std::mt19937_64 rng(17);
  int keyed = 0, not_keyed = 0;
  for (int round = 0; round < 4000; ++round) {
    const std::string first = random_key(rng);
    const bool two_keys = rng() % 4 == 0;
    const std::string second = two_keys ? random_key(rng) : std::string();
    const std::string path = two_keys ? first + "." + second : first;
    const char* root = rng() % 2 ? "contact" : "task";
    std::string source;
    switch (rng() % 4) {
      case 0: source = fmt::format("{}.{} IN agent.list", root, path); break;
      case 1: source = fmt::format("agent.list HAS {}.{}", root, path); break;
      case 2: source = fmt::format("{}.{} == agent.value", root, path); break;
      default: source = fmt::format("agent.value == {}.{}", root, path); break;
    }
    const expr::Expression test = compile(source.c_str());
    REQUIRE(test.is_membership_test());
    ContactSide side;
    side.reset(&test, 0b101u, 0b100u);
    CHECK(side.one_test());
    CHECK(side.tested() == 0b101u);
    CHECK(side.settled() == 0b100u);
    const bool inline_expected = !two_keys && first.size() <= ContactSide::kMaxKey;
    REQUIRE_MESSAGE(side.has_key() == inline_expected, source);
    (inline_expected ? keyed : not_keyed) += 1;
    if (!side.has_key()) continue;
    for (int k = 0; k < 6; ++k) {
      expr::Attributes attrs;
      // Other keys, some of them of the same length or a prefix of the test's.
      if (rng() % 2) set_random_value(attrs, first.substr(0, first.size() - 1), rng);
      if (rng() % 2) set_random_value(attrs, first + "x", rng);
      if (rng() % 2) set_random_value(attrs, random_key(rng), rng);
      set_random_value(attrs, first, rng);
      const expr::Scope scope{&attrs, nullptr, nullptr};
      const expr::Value expected = test.contact_operand(scope);
      const expr::Value got = side.contact_value(attrs);
      REQUIRE_MESSAGE(same_value(got, expected), source);
    }
  }
  CHECK(keyed > 500);
  CHECK(not_keyed > 500);
}

TEST_CASE("a contact side holds nothing for a queue without one test") {
  ContactSide side;
  const expr::Expression test = compile("contact.language IN agent.languages");
  side.reset(&test, 1, 1);
  REQUIRE(side.has_key());
  side.reset(nullptr, 0, 0);
  CHECK_FALSE(side.one_test());
  CHECK_FALSE(side.has_key());
  CHECK(side.tested() == 0);
  CHECK(side.settled() == 0);
}

namespace {

// The offers (contact's arrival number, agent) a run makes when the queues'
// test reads the contact's `key`. With `one_spelling` both rings spell the
// membership test alike, so the queue has one test and a new contact reads
// it through the queue's contact side; spelt two ways, they are two tests,
// and each ring's is read on its own.
std::vector<std::pair<int, std::string>> run_offers(const std::string& key, std::uint64_t seed,
                                                    bool one_spelling) {
  static const char* kLanguages[] = {"en", "de", "fr", "zh", "es", "it"};
  std::mt19937_64 rng(seed);
  Harness h;
  const int queues = 6;
  for (int q = 0; q < queues; ++q) {
    QueueConfig c = queue(fmt::format("q{}", q), q % 2 ? Strategy::kLongestIdle : Strategy::kLinear);
    const std::string skill = fmt::format("s{}", q % 3);
    // Rings of both kinds: the test alone (settled by the digest) and with
    // a skill beside it; the last ring reads no contact key.
    c.rings.push_back(Ring{compile(fmt::format("contact.{} IN agent.languages", key).c_str()), 1,
                           20'000});
    const std::string second =
        one_spelling ? fmt::format("agent.skills.{} >= 2 AND contact.{} IN agent.languages", skill,
                                   key)
                     : fmt::format("agent.skills.{} >= 2 AND agent.languages HAS contact.{}", skill,
                                   key);
    c.rings.push_back(Ring{compile(second.c_str()), 1, 20'000});
    c.rings.push_back(Ring{{}, 1, kNever});
    h.add(std::move(c));
  }
  const int agents = 60;
  for (int i = 0; i < agents; ++i) {
    std::vector<std::string> qs;
    for (int k = 0; k < 3; ++k) qs.push_back(fmt::format("q{}", rng() % queues));
    const std::string id = fmt::format("a{}", i);
    AgentConfig a = agent(id, qs,
                          {{"s0", static_cast<int>(rng() % 4)}, {"s1", static_cast<int>(rng() % 4)},
                           {"s2", static_cast<int>(rng() % 4)}});
    std::vector<std::string> languages{kLanguages[rng() % 6]};
    if (rng() % 2) languages.push_back(kLanguages[rng() % 6]);
    a.attributes.set("languages", languages);
    h.add(std::move(a));
    h.login(id);
  }
  h.clear();
  std::vector<std::pair<int, std::string>> offers;
  std::vector<ContactId> held;
  for (int arrival = 0; arrival < 3000; ++arrival) {
    h.tick(static_cast<DurationMs>(rng() % 3000));
    ContactSpec s = contact(fmt::format("q{}", rng() % queues));
    switch (rng() % 6) {
      case 0: break;  // no value
      case 1: s.attributes.set(key, static_cast<double>(rng() % 3)); break;
      case 2: s.attributes.set(key, std::vector<std::string>{"en"}); break;
      default: s.attributes.set(key, kLanguages[rng() % 6]); break;
    }
    held.push_back(h.enqueue(std::move(s)));
    for (const Output& o : h.router.outputs()) {
      if (o.kind == Output::Kind::kOffer) {
        offers.emplace_back(arrival, std::string(h.router.agent_id(o.agent)));
      }
    }
    h.clear();
    // Contacts leave, freeing their agents, who then take waiting ones.
    while (held.size() > 20) {
      const std::size_t at = rng() % held.size();
      (void)h.router.abandon(held[at], h.now);
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(at));
      for (const Output& o : h.router.outputs()) {
        if (o.kind == Output::Kind::kOffer) {
          offers.emplace_back(-arrival, std::string(h.router.agent_id(o.agent)));
        }
      }
      h.clear();
    }
  }
  return offers;
}

}  // namespace

TEST_CASE("a queue whose test reads a key kept inline offers as one read through the test's "
          "program, and as rings read one by one") {
  const std::string long_key(ContactSide::kMaxKey + 7, 'l');
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto by_side = run_offers("language", seed, /*one_spelling=*/true);
    const auto by_program = run_offers(long_key, seed, /*one_spelling=*/true);
    const auto by_ring = run_offers("language", seed, /*one_spelling=*/false);
    CHECK(by_side.size() > 1000);
    REQUIRE(by_program == by_side);
    REQUIRE(by_ring == by_side);
  }
}
