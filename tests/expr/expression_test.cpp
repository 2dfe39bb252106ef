#include <doctest/doctest.h>

#include "hotline/expr/expression.hpp"

using namespace hotline::expr;

namespace {

struct World {
  Attributes contact, agent, self;
  World() {
    contact.set("language", "zh");
    contact.set("tier", "vip");
    contact.set("wait", 42);
    contact.set("tags", std::vector<std::string>{"billing", "repeat"});
    contact.set("subject", "Refund for order 1234");
    Attributes skills;
    skills.set("billing", 3);
    skills.set("sales", 1);
    agent.set("skills", std::move(skills));
    agent.set("languages", std::vector<std::string>{"zh", "en"});
    agent.set("site", "Berlin");
    agent.set("senior", true);
    self.set("hour", 14);
    self.set("tier", "gold");
    Attributes customer;
    customer.set("tier", "vip");
    self.set("customer", std::move(customer));
  }
  bool eval(const char* source) const {
    auto e = Expression::compile(source);
    REQUIRE_MESSAGE(e.ok(), source);
    return e->evaluate(Scope{&contact, &agent, &self});
  }
};

}  // namespace

TEST_CASE("comparison operators on numbers and strings") {
  World w;
  CHECK(w.eval("agent.skills.billing >= 2"));
  CHECK(w.eval("agent.skills.billing == 3"));
  CHECK_FALSE(w.eval("agent.skills.billing != 3"));
  CHECK(w.eval("agent.skills.billing > 2.5"));
  CHECK_FALSE(w.eval("agent.skills.billing < 3"));
  CHECK(w.eval("agent.skills.billing <= 3"));
  CHECK(w.eval("contact.wait > -1"));
  CHECK(w.eval("contact.tier == 'vip'"));
  CHECK(w.eval("contact.tier == \"vip\""));
  CHECK(w.eval("contact.tier != 'gold'"));
  CHECK(w.eval("contact.tier > 'abc'"));  // strings order lexicographically
  CHECK_FALSE(w.eval("contact.tier == 'VIP'"));  // string comparison is case-sensitive
  CHECK_FALSE(w.eval("contact.wait == '42'"));   // no coercion between kinds
  CHECK(w.eval("agent.senior == true"));
  CHECK_FALSE(w.eval("agent.senior == false"));
}

TEST_CASE("CONTAINS, IN, NOT IN and HAS") {
  World w;
  CHECK(w.eval("contact.subject CONTAINS 'Refund'"));
  CHECK_FALSE(w.eval("contact.subject CONTAINS 'refund'"));
  CHECK(w.eval("contact.language IN agent.languages"));
  CHECK(w.eval("contact.language IN ['de', 'zh']"));
  CHECK_FALSE(w.eval("contact.language IN ['de', 'fr']"));
  CHECK(w.eval("contact.language NOT IN ['de', 'fr']"));
  CHECK_FALSE(w.eval("contact.language NOT IN agent.languages"));
  CHECK(w.eval("agent.languages HAS 'en'"));
  CHECK(w.eval("agent.languages HAS contact.language"));
  CHECK_FALSE(w.eval("agent.languages HAS 'fr'"));
  CHECK(w.eval("agent.skills.billing IN [1, 2, 3]"));
  CHECK_FALSE(w.eval("[] HAS 'x'"));
  // Scalar operators on lists, list operators on scalars: false.
  CHECK_FALSE(w.eval("agent.languages == 'zh'"));
  CHECK_FALSE(w.eval("agent.languages CONTAINS 'zh'"));
  CHECK_FALSE(w.eval("contact.language IN 'zh'"));
  CHECK_FALSE(w.eval("contact.language HAS 'z'"));
  CHECK_FALSE(w.eval("contact.language NOT IN 'en'"));
}

TEST_CASE("precedence is NOT, then AND, then OR; comparisons bind tightest") {
  World w;
  CHECK(w.eval("true OR false AND false"));      // true OR (false AND false)
  CHECK_FALSE(w.eval("(true OR false) AND false"));
  CHECK(w.eval("NOT false AND true"));           // (NOT false) AND true
  CHECK_FALSE(w.eval("NOT true OR false"));      // (NOT true) OR false
  CHECK(w.eval("NOT contact.tier == 'gold'"));   // NOT (tier == 'gold')
  CHECK(w.eval("NOT NOT true"));
  CHECK(w.eval("contact.tier == 'vip' AND (hour < 9 OR hour >= 14)"));
}

TEST_CASE("keywords are case-insensitive; keys are not") {
  World w;
  CHECK(w.eval("contact.language in agent.languages and not false"));
  CHECK(w.eval("contact.language In ['zh'] Or FALSE"));
  CHECK(w.eval("agent.languages has 'en'"));
  CHECK(w.eval("contact.language not in ['en']"));
  CHECK(w.eval("TRUE"));
  CHECK_FALSE(w.eval("contact.Language == 'zh'"));  // a different (missing) key
}

TEST_CASE("prefixes, aliases and bare keys") {
  World w;
  CHECK(w.eval("task.tier == 'vip'"));               // TaskRouter's task. = contact.
  CHECK(w.eval("worker.site == 'Berlin'"));          // TaskRouter's worker. = agent.
  CHECK(w.eval("tier == 'gold'"));                   // a bare key reads the object in context
  CHECK(w.eval("customer.tier == 'vip'"));           // nested objects in context
  CHECK(w.eval("hour >= 9 AND hour < 18"));
}

TEST_CASE("a missing key is null, and null compares false") {
  World w;
  for (const char* src : {"contact.missing == 'x'", "contact.missing != 'x'",
                          "contact.missing < 5", "contact.missing >= 5",
                          "contact.missing CONTAINS 'a'", "contact.missing IN ['a']",
                          "contact.missing NOT IN ['a']", "contact.missing HAS 'a'",
                          "agent.skills.cooking >= 0", "agent.site.floor == 2",
                          "contact.missing", "agent.nothing.deeper.still == null AND false"}) {
    CAPTURE(src);
    CHECK_FALSE(w.eval(src));
  }
  CHECK(w.eval("contact.missing == null"));
  CHECK(w.eval("null == contact.missing"));
  CHECK(w.eval("contact.tier != null"));
  CHECK_FALSE(w.eval("contact.tier == null"));
  CHECK_FALSE(w.eval("contact.missing != null"));
  CHECK(w.eval("NOT contact.missing"));
  // Without a scope object at all, everything is missing.
  auto e = Expression::compile("agent.skills.billing >= 1");
  CHECK_FALSE(e->evaluate(Scope{}));
}

TEST_CASE("values of expressions for IVR assignments") {
  World w;
  std::vector<Expression> kept;  // literal values are borrowed from their expression
  auto value = [&](const char* src) {
    auto e = Expression::compile(src);
    REQUIRE(e.ok());
    kept.push_back(std::move(e).value());
    return kept.back().evaluate_value(Scope{&w.contact, &w.agent, &w.self});
  };
  CHECK(value("'hello'").as_string() == "hello");
  CHECK(value("3.5").as_number() == 3.5);
  CHECK(value("customer.tier").as_string() == "vip");
  CHECK(value("hour > 12").as_bool());
  CHECK(value("contact.nothing").is_null());
  CHECK(value("['a', 'b']").list_size() == 2);
}

TEST_CASE("references tell which objects an expression reads") {
  auto e = Expression::compile("agent.skills.billing >= 2 AND contact.language IN agent.languages");
  REQUIRE(e.ok());
  CHECK(e->references_agent());
  CHECK(e->references_contact());
  CHECK_FALSE(e->references_self());
  auto a = Expression::compile("worker.skills.x > 1");
  CHECK(a->references_agent());
  CHECK_FALSE(a->references_contact());
  Expression empty;
  CHECK(empty.always_true());
  CHECK(empty.evaluate(Scope{}));
  CHECK(e->source() == "agent.skills.billing >= 2 AND contact.language IN agent.languages");
  Expression copy = *e;  // copies share the compiled program
  World w;
  CHECK(copy.evaluate(Scope{&w.contact, &w.agent, &w.self}));
}

TEST_CASE("string literals take escapes") {
  Attributes self;
  self.set("q", "say \"hi\"\n");
  auto e = Expression::compile(R"(q == "say \"hi\"\n")");
  REQUIRE(e.ok());
  CHECK(e->evaluate(Scope{nullptr, nullptr, &self}));
  auto s = Expression::compile(R"(q CONTAINS 'say \'')");
  REQUIRE(s.ok());
}

TEST_CASE("an AND chain splits into standalone conjuncts") {
  auto e = Expression::compile(
      "agent.skills.billing >= 2 AND (contact.language IN agent.languages) AND  NOT agent.away");
  REQUIRE(e.ok());
  auto parts = e->conjuncts();
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].source() == "agent.skills.billing >= 2");
  CHECK(parts[1].source() == "(contact.language IN agent.languages)");
  CHECK(parts[2].source() == "NOT agent.away");
  CHECK_FALSE(parts[0].references_contact());
  CHECK(parts[1].references_contact());
  World w;
  const Scope scope{&w.contact, &w.agent, &w.self};
  CHECK(parts[0].evaluate(scope));
  CHECK(parts[1].evaluate(scope));
  CHECK(parts[2].evaluate(scope));
  // The parts outlive the expression they came from.
  std::vector<Expression> kept;
  {
    auto tmp = Expression::compile("contact.tier == 'vip' AND agent.site IN ['Berlin', 'Oslo']");
    kept = tmp->conjuncts();
  }
  CHECK(kept[0].evaluate(scope));
  CHECK(kept[1].evaluate(scope));
  // OR at the top does not split.
  auto o = Expression::compile("a == 1 AND b == 2 OR c == 3");
  CHECK(o->conjuncts().size() == 1);
}

TEST_CASE("membership tests name the contact's value and the agent's values they compare") {
  World w;
  const Scope scope{&w.contact, &w.agent, &w.self};
  for (const char* source :
       {"contact.language IN agent.languages", "agent.languages HAS contact.language",
        "contact.language == agent.site", "agent.site == contact.language"}) {
    auto e = Expression::compile(source);
    REQUIRE(e.ok());
    INFO(source);
    CHECK(e->is_membership_test());
    CHECK(e->contact_operand(scope).as_string() == "zh");
  }
  auto in = Expression::compile("contact.language IN agent.languages");
  const Value agents = in->agent_operand(scope);
  REQUIRE(agents.kind() == Value::Kind::kList);
  CHECK(agents.list_size() == 2);
  CHECK(Expression::compile("agent.site == contact.language")->agent_operand(scope).as_string() ==
        "Berlin");
  // Anything else is not one: literals, one side only, other operators,
  // the sides the wrong way round for IN and HAS, compound expressions.
  for (const char* source :
       {"contact.language IN ['zh', 'en']", "agent.languages HAS 'zh'",
        "contact.language != agent.site", "agent.languages IN contact.tags",
        "contact.tags HAS agent.site", "contact.language == contact.tier",
        "contact.language IN agent.languages AND agent.senior",
        "NOT contact.language IN agent.languages"}) {
    auto e = Expression::compile(source);
    REQUIRE(e.ok());
    INFO(source);
    CHECK_FALSE(e->is_membership_test());
    CHECK(e->contact_operand(scope).is_null());
    CHECK(e->agent_operand(scope).is_null());
  }
  CHECK_FALSE(Expression().is_membership_test());
}
