// An agent's digest computed from the compact side of a queue's membership
// tests (DigestTests) is the digest evaluating the tests' agent operands
// gives, and notes the same values in the same order: a generated corpus of
// queues (tests of each form, either way round, on one or two keys) and
// agents whose values there are of every kind, each digest and the values'
// bits afterwards compared with those of the tests' own evaluation.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../../src/routing/digest_tests.hpp"
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

const char* const kKeys[] = {"languages", "profile.region"};

std::string random_test(std::mt19937_64& rng) {
  const char* key = kKeys[rng() % 2];
  switch (rng() % 5) {
    case 0: return fmt::format("contact.value IN agent.{}", key);
    case 1: return fmt::format("agent.{} HAS contact.value", key);
    case 2: return fmt::format("contact.value == agent.{}", key);
    case 3: return fmt::format("agent.{} == contact.value", key);
    default: return fmt::format("task.value IN worker.{}", key);
  }
}

expr::Value random_scalar(std::mt19937_64& rng, std::vector<std::string>& texts) {
  switch (rng() % 6) {
    case 0: return expr::Value::number(static_cast<double>(rng() % 4));
    case 1: return expr::Value::number(rng() % 2 ? -0.0 : NAN);
    case 2: return expr::Value::boolean(rng() % 2);
    case 3: return expr::Value();
    default: return expr::Value::string(texts[rng() % texts.size()]);
  }
}

// A value of any kind at `key` (a dotted path of at most two keys), or none.
void set_random(std::mt19937_64& rng, std::vector<std::string>& texts, std::string_view key,
                expr::Attributes& view) {
  const std::size_t dot = key.find('.');
  if (dot != std::string_view::npos) {
    if (rng() % 5 == 0) {
      view.set(key.substr(0, dot), std::string_view("not an object"));
      return;
    }
    set_random(rng, texts, key.substr(dot + 1), view.object_at(key.substr(0, dot)));
    return;
  }
  switch (rng() % 4) {
    case 0: return;  // missing
    case 1: view.set_value(key, random_scalar(rng, texts)); return;
    default: {
      std::vector<expr::Value> items(rng() % 5);
      for (expr::Value& item : items) item = random_scalar(rng, texts);
      view.set_value(key, expr::Value::list(items.data(), items.size()));
    }
  }
}

// The digest as computed from the tests themselves.
std::uint32_t evaluate(const std::vector<std::vector<expr::Expression>>& rings,
                       const expr::Attributes& view, DigestOwners& owners) {
  std::uint32_t signature = 0;
  const expr::Scope scope{nullptr, &view, nullptr};
  for (const auto& tests : rings) {
    for (const expr::Expression& test : tests) {
      const expr::Value v = test.agent_operand(scope);
      if (v.kind() == expr::Value::Kind::kList) {
        int in_list = -1;
        for (std::size_t k = 0; k < v.list_size() && in_list != 0; ++k) {
          const expr::Value item = v.list_at(k);
          if (!DigestOwners::has_bit(item)) continue;
          if (in_list < 0) in_list = test.membership_holds(item, v) ? 1 : 0;
          if (in_list) signature |= owners.note(item);
        }
      } else if (DigestOwners::has_bit(v) && test.membership_holds(v, v)) {
        signature |= owners.note(v);
      }
    }
  }
  return signature;
}

}  // namespace

TEST_CASE("digests from the tests' compact side are those of evaluating the tests") {
  std::mt19937_64 rng(1130);
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) texts.push_back(fmt::format("v{}", i * 7919 % 1000));
  texts.push_back("");
  texts.push_back("a value longer than the short-string buffer");
  int noted = 0;
  for (int queue = 0; queue < 300; ++queue) {
    std::vector<std::vector<expr::Expression>> rings(1 + rng() % 3);
    for (auto& tests : rings) {
      for (std::size_t k = rng() % 3; k > 0; --k) {
        tests.push_back(compile(random_test(rng).c_str()));
      }
    }
    std::vector<const std::vector<expr::Expression>*> parts;
    for (const auto& tests : rings) parts.push_back(&tests);
    DigestTests compact;
    compact.reset(parts);
    DigestOwners expected_owners;
    DigestOwners owners;
    for (int agent = 0; agent < 100; ++agent) {
      expr::Attributes view;
      for (const char* key : kKeys) set_random(rng, texts, key, view);
      const std::uint32_t expected = evaluate(rings, view, expected_owners);
      REQUIRE_MESSAGE(compact.signature(view, owners) == expected,
                      "queue " << queue << ", agent " << agent);
      noted += expected != 0;
    }
    // The same values noted in the same order: every value has the same bit.
    for (const std::string& text : texts) {
      const expr::Value v = expr::Value::string(text);
      CHECK(owners.find(v).bit == expected_owners.find(v).bit);
      CHECK(owners.find(v).exact == expected_owners.find(v).exact);
    }
    // Every number the corpus draws (0 to 3, and -0), and both booleans.
    for (const expr::Value v :
         {expr::Value::number(0), expr::Value::number(1), expr::Value::number(2),
          expr::Value::number(3), expr::Value::number(-0.0), expr::Value::boolean(true),
          expr::Value::boolean(false)}) {
      CHECK(owners.find(v).bit == expected_owners.find(v).bit);
      CHECK(owners.find(v).exact == expected_owners.find(v).exact);
    }
  }
  CHECK(noted > 300 * 100 / 4);  // the corpus notes values, not only nothing
}
