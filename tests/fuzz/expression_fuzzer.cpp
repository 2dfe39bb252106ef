// Expressions: the compiler, then evaluation against fixed attributes in
// every scope, and the membership-test helpers the router uses.
#include <string_view>

#include "hotline/expr/expression.hpp"

using namespace hotline::expr;

namespace {

struct Fixture {
  Attributes contact, agent, self;
  Fixture() {
    contact.set("language", "zh");
    contact.set("priority", 3);
    contact.set("tags", std::vector<std::string>{"vip", "billing"});
    Attributes customer;
    customer.set("tier", "vip");
    customer.set("region", "east");
    contact.set("customer", customer);
    agent.set("languages", std::vector<std::string>{"zh", "en"});
    Attributes skills;
    skills.set("billing", 2);
    skills.set("sales", 1);
    agent.set("skills", skills);
    agent.set("level", 2);
    agent.set("on_call", false);
    self.set("hour", 10);
    self.set("queue_length", 4);
    self.set("caller", "+4930123456");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture fixture;
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  ParseError where;
  auto compiled = Expression::compile(source, &where);
  if (!compiled) return 0;
  const Scope scope{&fixture.contact, &fixture.agent, &fixture.self};
  const Expression& e = *compiled;
  (void)e.evaluate(scope);
  (void)e.evaluate_value(scope);
  (void)e.evaluate(Scope{});
  for (const Expression& part : e.conjuncts()) (void)part.evaluate(scope);
  if (e.is_membership_test()) {
    (void)e.contact_operand(scope);
    (void)e.agent_operand(scope);
  }
  return 0;
}
