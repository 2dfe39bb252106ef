#include <benchmark/benchmark.h>

#include "hotline/expr/expression.hpp"

namespace {

using namespace hotline::expr;

void BM_ExpressionEval(benchmark::State& state) {
  Attributes agent, contact;
  Attributes skills;
  skills.set("billing", 3);
  skills.set("sales", 2);
  skills.set("support", 4);
  agent.set("skills", skills);
  agent.set("languages", std::vector<std::string>{"de", "en", "zh"});
  agent.set("site", "Berlin");
  agent.set("id", "agent-17");
  contact.set("language", "zh");
  contact.set("tier", "vip");
  contact.set("customer_id", "C-100234");
  auto e = Expression::compile("agent.skills.billing >= 2 AND contact.language IN agent.languages");
  const Scope scope{&contact, &agent, nullptr};
  for (auto _ : state) {
    benchmark::DoNotOptimize(e->evaluate(scope));
  }
}
BENCHMARK(BM_ExpressionEval);

}  // namespace
