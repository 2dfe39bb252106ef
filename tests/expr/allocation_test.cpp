// Evaluating a compiled expression must not allocate: routing evaluates
// targets for every candidate agent on the hot path. Building an agent's
// view allocates no more than copying it would: a million agents load. An
// allocation that fails part way through building attributes leaves nothing
// allocated behind it.
#include <doctest/doctest.h>

#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "failing_allocator.hpp"
#include "hotline/expr/expression.hpp"

namespace counted = hotline::testing::allocations;

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
  const long before = counted::requests.load();
  bool all = true;
  for (int i = 0; i < 1000; ++i) {
    all = e->evaluate(scope) && all;
    all = !e->evaluate_value(scope).is_null() && all;
  }
  const long after = counted::requests.load();
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

  long allocations = counted::requests.load();
  long bytes = counted::bytes.load();
  const Attributes copied = one_by_one;
  const long copy_allocations = counted::requests.load() - allocations;
  const long copy_bytes = counted::bytes.load() - bytes;

  allocations = counted::requests.load();
  bytes = counted::bytes.load();
  const Attributes skills = Attributes::merged(Attributes(), levels);
  CHECK(counted::requests.load() - allocations == 1);
  const std::pair<std::string_view, Value> fields[] = {
      {"id", Value::string("agent7")}, {"name", Value::string("Ann")},
      {"skills", Value::object(&skills)}};
  allocations = counted::requests.load();
  bytes = counted::bytes.load();
  const Attributes merged = Attributes::merged(attributes, fields);
  CHECK(counted::requests.load() - allocations == copy_allocations);
  CHECK(counted::bytes.load() - bytes == copy_bytes);
  // The view's block alone: its skills object, laid out whole when it was
  // set, is shared by the copy, as merged shares `skills`.
  CHECK(copy_allocations == 1);
  CHECK(merged.to_json() == copied.to_json());
}

namespace {
// Runs `build` once for each allocation it makes, failing that allocation,
// and checks each time that everything the failed attempt allocated was
// freed by the time std::bad_alloc came out; then once with nothing failing.
// Returns the number of allocations the whole build makes.
template <typename Build>
long fail_each_allocation(Build build) {
  for (long k = 1;; ++k) {
    const long made = counted::made.load();
    const long freed = counted::freed.load();
    counted::fail_in(k);
    bool threw = false;
    try {
      build();
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    const bool failed = counted::disarm();
    // Read before any check: a check may allocate.
    const long left = (counted::made.load() - made) - (counted::freed.load() - freed);
    CAPTURE(k);
    // A failure is never swallowed: it comes out, and only it does.
    CHECK(threw == failed);
    if (!failed) return k - 1;
    CHECK(left == 0);
  }
}
}  // namespace

TEST_CASE("a failed allocation while building attributes leaves nothing allocated") {
  // Objects in a list, each built key by key and so copied (with an
  // allocation) into the list's block: a copy failing after another has
  // been made must let the first go.
  const auto j = nlohmann::json::parse(R"({
    "tier": "vip",
    "orders": [{"id": "A1", "items": ["x", "y"]}, "loose", {"id": "B2", "total": 3},
               {"id": "C3", "address": {"city": "Haifa"}}],
    "profile": {"languages": ["en", "zh"], "site": {"name": "north"}}
  })");
  // The builds below check nothing while an allocation may fail (a check's
  // report allocates), and none turns attributes back into JSON: destroying
  // a nested nlohmann::json allocates, and would end the test on a failure.
  std::optional<Attributes> built;
  const long from_json = fail_each_allocation([&] {
    auto a = Attributes::from_json(j);
    if (a.ok()) built = std::move(*a);
  });
  CHECK(from_json > 10);
  REQUIRE(built);
  CHECK(built->to_json() == j);

  // set_value copying a list of objects built by writes into an object that
  // already holds keys, and merged doing the same over a copy.
  Attributes first, second;
  first.set("id", "A1");
  first.set("items", std::vector<std::string>{"x", "y"});
  second.set("id", "B2");
  const Value list_items[] = {Value::object(&first), Value::string("loose"),
                              Value::object(&second)};
  const Value list = Value::list(list_items, 3);
  Attributes base;
  base.set("tier", "vip");
  std::optional<Attributes> with_list;
  const long set_value = fail_each_allocation([&] {
    Attributes a = base;
    a.set_value("orders", list);
    with_list = std::move(a);
  });
  CHECK(set_value >= 3);
  REQUIRE(with_list);
  CHECK(with_list->find("orders")->list_size() == 3);
  const std::pair<std::string_view, Value> over[] = {{"orders", list}};
  std::optional<Attributes> merged_copy;
  const long merged = fail_each_allocation([&] {
    merged_copy = Attributes::merged(base, over);
  });
  REQUIRE(merged_copy);
  CHECK(merged_copy->find("orders")->list_at(2).as_object()->find("id")->as_string() == "B2");
  CHECK(merged >= 3);
}
