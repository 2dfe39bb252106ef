// A queue's static ring answers reused per value (StaticRingsMemo) are the
// answers evaluating each agent gives: a generated corpus of ring tests on
// one agent key, and agents whose value there is of every kind (small and
// large integers, -0, fractions, strings, booleans, lists, objects, null,
// missing), each agent's answer through the memo compared with evaluating
// its tests. Through the router, agents loaded with such values take the
// contacts of exactly the rings their tests pass, also after the queue's
// tests change.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../../src/routing/static_rings_memo.hpp"
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

// A comparison of `agent.<key>` in one of the forms the language has.
std::string random_test(std::mt19937_64& rng, const std::string& key) {
  const int n = static_cast<int>(rng() % 8);
  switch (rng() % 12) {
    case 0: return fmt::format("agent.{} >= {}", key, n);
    case 1: return fmt::format("agent.{} < {}", key, n);
    case 2: return fmt::format("agent.{} == {}", key, n);
    case 3: return fmt::format("agent.{} != {}", key, n);
    case 4: return fmt::format("agent.{} IN [{}, {}, 2.5]", key, n, n + 3);
    case 5: return fmt::format("agent.{} NOT IN [{}, \"x\"]", key, n);
    case 6: return fmt::format("agent.{} == null", key);
    case 7: return fmt::format("agent.{} != null", key);
    case 8: return fmt::format("agent.{}", key);  // its truth
    case 9: return fmt::format("NOT agent.{}", key);
    case 10: return fmt::format("agent.{} == true", key);
    default: return fmt::format("(agent.{} > {} OR agent.{} == false)", key, n, key);
  }
}

// The value an agent holds at `skills.level`, of any kind (or none).
void set_random_level(std::mt19937_64& rng, expr::Attributes& view) {
  expr::Attributes skills;
  switch (rng() % 14) {
    case 0: break;  // missing
    case 1: skills.set_null("level"); break;
    case 2: skills.set("level", -0.0); break;
    case 3: skills.set("level", 2.5); break;
    case 4: skills.set("level", -1.0); break;
    case 5: skills.set("level", static_cast<double>(StaticRingsMemo::kSmallIntegers)); break;
    case 6: skills.set("level", 1e9); break;
    case 7: skills.set("level", std::string_view("3")); break;
    case 8: skills.set("level", static_cast<bool>(rng() % 2)); break;
    case 9: skills.set("level", std::vector<std::string>{"1", "2"}); break;
    case 10: {
      expr::Attributes nested;
      nested.set("level", 1.0);
      skills.set("level", std::move(nested));
      break;
    }
    default:
      skills.set("level", static_cast<double>(rng() % (StaticRingsMemo::kSmallIntegers + 2)));
  }
  if (rng() % 10 != 0) view.set("skills", std::move(skills));  // now and then no skills at all
}

std::uint32_t evaluate(const std::vector<std::vector<expr::Expression>>& rings,
                       const expr::Attributes& view) {
  std::uint32_t answer = 0;
  for (std::size_t i = 0; i < rings.size(); ++i) {
    bool ok = true;
    for (const expr::Expression& part : rings[i]) {
      ok = ok && part.evaluate(expr::Scope{nullptr, &view, nullptr});
    }
    if (ok) answer |= 1u << i;
  }
  return answer;
}

}  // namespace

TEST_CASE("static ring answers reused per value are those of evaluating each agent") {
  std::mt19937_64 rng(20261130);
  int memo_answers = 0;
  for (int queue = 0; queue < 300; ++queue) {
    // Up to four rings of up to two tests each, all on one key.
    std::vector<std::vector<expr::Expression>> rings(1 + rng() % 4);
    for (auto& parts : rings) {
      const std::size_t count = rng() % 3;
      for (std::size_t k = 0; k < count; ++k) {
        parts.push_back(compile(random_test(rng, "skills.level").c_str()));
      }
    }
    std::vector<const std::vector<expr::Expression>*> static_parts;
    for (const auto& parts : rings) static_parts.push_back(&parts);
    StaticRingsMemo memo;
    memo.reset(static_parts, false);
    REQUIRE(memo.usable());
    for (int agent = 0; agent < 200; ++agent) {
      expr::Attributes view;
      view.set("id", std::string_view("a"));
      set_random_level(rng, view);
      const std::uint32_t expected = evaluate(rings, view);
      bool evaluated = false;
      const std::uint32_t answer = memo.static_rings(view, [&] {
        evaluated = true;
        return evaluate(rings, view);
      });
      memo_answers += !evaluated;
      REQUIRE_MESSAGE(answer == expected, "queue " << queue << ", agent " << agent);
    }
  }
  // Many agents were answered from the memo: the corpus tests reuse, not
  // only evaluation.
  CHECK(memo_answers > 300 * 200 / 3);
}

TEST_CASE("static ring answers are reused only where one key decides them") {
  const auto memo_for = [](std::vector<std::vector<expr::Expression>> rings, bool skills) {
    std::vector<const std::vector<expr::Expression>*> parts;
    for (const auto& r : rings) parts.push_back(&r);
    StaticRingsMemo memo;
    memo.reset(parts, skills);
    return memo.usable();
  };
  CHECK(memo_for({{compile("agent.skills.a >= 1")}, {compile("agent.skills.a >= 3")}}, false));
  CHECK(memo_for({{}, {}}, false));  // no tests: one answer for all
  CHECK_FALSE(memo_for({{compile("agent.skills.a >= 1")}}, true));  // the queue's own skills
  CHECK_FALSE(memo_for({{compile("agent.skills.a >= 1")}, {compile("agent.skills.b >= 1")}},
                       false));
  CHECK_FALSE(memo_for({{compile("agent.skills.a >= 1 OR agent.tier == 2")}}, false));
}

namespace {

// Levels of each kind: the memo keeps answers for some, evaluates others.
const std::vector<std::pair<std::string, double>> kLevels = {
    {"a0", 0}, {"a1", 1}, {"a2", 2.5}, {"a3", 3}, {"a4", 4}, {"a5", 40}, {"a6", -0.0}};

QueueConfig two_rings(const char* first) {
  QueueConfig q = queue("q");
  q.rings.push_back(Ring{compile(first), 0, 1000});
  q.rings.push_back(Ring{compile("agent.level >= 1"), 0, kNever});
  return q;
}

// The agents offered a contact while contacts wait in ring 0, one per agent.
std::vector<std::string> ring0_agents(Harness& h) {
  for (const auto& [id, level] : kLevels) h.login(id);
  h.clear();
  for (std::size_t i = 0; i < kLevels.size(); ++i) h.enqueue(contact("q"));
  std::vector<std::string> taken;
  for (const Output& o : h.offers()) taken.push_back(h.router.agent_id(o.agent));
  std::sort(taken.begin(), taken.end());
  return taken;
}

}  // namespace

TEST_CASE("through the router, agents take the rings their values pass, also after a change") {
  Harness h;
  h.add(two_rings("agent.level >= 3"));
  for (const auto& [id, level] : kLevels) {
    AgentConfig a = agent(id, {"q"});
    a.attributes.set("level", level);
    h.add(a);
  }
  SUBCASE("as loaded") { CHECK(ring0_agents(h) == std::vector<std::string>{"a3", "a4", "a5"}); }
  SUBCASE("ring 0 made stricter after the agents joined: their answers are not reused") {
    REQUIRE(h.router.update_queue(two_rings("agent.level >= 4")).ok());
    CHECK(ring0_agents(h) == std::vector<std::string>{"a4", "a5"});
  }
  SUBCASE("ring 0 made to read another key") {
    REQUIRE(h.router.update_queue(two_rings("agent.id IN [\"a0\", \"a2\"]")).ok());
    CHECK(ring0_agents(h) == std::vector<std::string>{"a0", "a2"});
  }
}
