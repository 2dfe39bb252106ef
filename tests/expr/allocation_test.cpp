// Evaluating a compiled expression must not allocate: routing evaluates
// targets for every candidate agent on the hot path. Building an agent's
// view allocates no more than copying it would: a million agents load.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/expr/expression.hpp"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<long> g_bytes{0};
}

void* operator new(std::size_t n) {
  ++g_allocations;
  g_bytes += static_cast<long>(n);
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

TEST_CASE("merged allocates what a copy of the same object allocates, and nothing else") {
  // An agent's view as the router builds it: the configured attributes with
  // id, name and a skills object set over them.
  Attributes attributes;
  attributes.set("languages", std::vector<std::string>{"en", "zh"});
  attributes.set("site", "Haifa");
  Attributes skills_built;
  skills_built.set("sales", 2);
  skills_built.set("billing", 3);
  const std::pair<std::string_view, Value> levels[] = {{"sales", Value::number(2)},
                                                       {"billing", Value::number(3)}};
  Attributes one_by_one = attributes;
  one_by_one.set("id", "agent7");
  one_by_one.set("name", "Ann");
  one_by_one.set("skills", skills_built);

  long allocations = g_allocations.load();
  long bytes = g_bytes.load();
  const Attributes copied = one_by_one;
  const long copy_allocations = g_allocations.load() - allocations;
  const long copy_bytes = g_bytes.load() - bytes;

  allocations = g_allocations.load();
  bytes = g_bytes.load();
  const Attributes skills = Attributes::merged(Attributes(), levels);
  CHECK(g_allocations.load() - allocations == 1);
  const std::pair<std::string_view, Value> fields[] = {
      {"id", Value::string("agent7")}, {"name", Value::string("Ann")},
      {"skills", Value::object(&skills)}};
  allocations = g_allocations.load();
  bytes = g_bytes.load();
  const Attributes merged = Attributes::merged(attributes, fields);
  CHECK(g_allocations.load() - allocations == copy_allocations);
  CHECK(g_bytes.load() - bytes == copy_bytes);
  // The view's block alone: its skills object, laid out whole when it was
  // set, is shared by the copy, as merged shares `skills`.
  CHECK(copy_allocations == 1);
  CHECK(merged.to_json() == copied.to_json());
}
