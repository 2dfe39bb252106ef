// Evaluating a compiled expression must not allocate: routing evaluates
// targets for every candidate agent on the hot path.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "hotline/expr/expression.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace hotline::expr;

TEST_CASE("evaluation allocates nothing") {
  Attributes contact, agent;
  contact.set("language", "zh");
  contact.set("tier", "vip");
  Attributes skills;
  skills.set("billing", 3);
  agent.set("skills", skills);
  agent.set("languages", std::vector<std::string>{"en", "zh"});
  auto e = Expression::compile(
      "agent.skills.billing >= 2 AND contact.language IN agent.languages AND "
      "NOT (contact.tier == 'basic' OR contact.missing CONTAINS 'x') AND "
      "agent.languages HAS 'en' AND contact.tier NOT IN ['a', 'b']");
  REQUIRE(e.ok());
  const Scope scope{&contact, &agent, nullptr};
  const long before = g_allocations.load();
  bool all = true;
  for (int i = 0; i < 1000; ++i) {
    all = e->evaluate(scope) && all;
    all = !e->evaluate_value(scope).is_null() && all;
  }
  const long after = g_allocations.load();
  CHECK(all);
  CHECK(after == before);
}
