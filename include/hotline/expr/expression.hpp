// The expression language of routing targets, queue filters and IVR
// conditions, in Twilio TaskRouter's syntax (see docs/expressions.md):
//
//   agent.skills.billing >= 2 AND contact.language IN agent.languages
//   customer.tier == "vip" OR NOT (hour < 9)
//
// compile() parses once; evaluate() walks the compiled form and never
// allocates. A key prefixed `contact.` (alias `task.`) reads Scope::contact,
// `agent.` (alias `worker.`) reads Scope::agent, and a bare key reads
// Scope::self. A missing key is null, and null compares false.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/expr/attributes.hpp"
#include "hotline/expr/value.hpp"
#include "hotline/util/result.hpp"

namespace hotline::expr {

// Parentheses and NOTs nest at most this deep; compile() refuses more and
// names the column where the limit was crossed. Chains of AND and OR do not
// nest: any number of terms is one level.
inline constexpr int kMaxExpressionDepth = 64;

struct Scope {
  const Attributes* contact = nullptr;
  const Attributes* agent = nullptr;
  const Attributes* self = nullptr;
};

struct ParseError {
  std::size_t column = 0;  // 1-based column in the source
  std::string message;     // e.g. "expected a value after '==', found end of input"
};

class Expression {
 public:
  // The empty expression: always true. Stands for "no condition".
  Expression();
  ~Expression();
  Expression(const Expression&);
  Expression& operator=(const Expression&);
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  // On failure the Error's message reads "column N: <what was expected>", and
  // `parse_error`, when given, receives the column and message separately.
  static Result<Expression> compile(std::string_view source, ParseError* parse_error = nullptr);

  // Truth of the expression in `scope`. Non-boolean results are truthy when
  // non-null, non-zero, non-empty. Never allocates, never throws.
  bool evaluate(const Scope& scope) const noexcept;
  // The value of the expression (a literal, a key, or a boolean for an
  // operator). Borrowed from the scope or from this expression's literals.
  Value evaluate_value(const Scope& scope) const noexcept;

  // The operands of a top-level AND chain, each a standalone expression (or
  // just this expression when its top is not AND). The router evaluates the
  // operands that read only the agent once per agent change, not per contact.
  std::vector<Expression> conjuncts() const;

  // `contact.K IN agent.L`, `agent.L HAS contact.K` or `contact.K == agent.L`
  // (either way round): true only if the contact's value is among the
  // agent's. An index can then keep a digest of each agent's side and pass
  // over agents whose digest rules the contact's value out.
  bool is_membership_test() const noexcept;
  // The two sides of such a test (null for any other expression): the
  // contact's value, and the agent's value or list of values.
  Value contact_operand(const Scope& scope) const noexcept;
  Value agent_operand(const Scope& scope) const noexcept;
  // The key path of such a test's contact side (`contact.profile.region`
  // gives {"profile", "region"}), empty for any other expression: its value
  // is what contact_operand reads, key by key, from the scope's contact.
  std::vector<std::string_view> contact_operand_path() const;
  // Whether such a test passes for these two sides, by the language's own
  // comparison: `IN` looks in a list, `==` compares scalars.
  bool membership_holds(const Value& contact_value, const Value& agent_value) const noexcept;

  // The agent keys the expression reads (`agent.skills.billing` gives
  // "skills.billing"), each once, in the order first met. With the scope's
  // contact and self fixed, the value at these keys decides the result:
  // the router reuses an answer per value of one such key.
  std::vector<std::string> agent_keys() const;

  bool always_true() const noexcept;         // the empty expression
  bool references_contact() const noexcept;  // reads any contact./task. key
  bool references_agent() const noexcept;    // reads any agent./worker. key
  bool references_self() const noexcept;     // reads any bare key
  const std::string& source() const noexcept;

 private:
  struct Program;
  std::shared_ptr<const Program> program_;  // immutable: copies share it
};

}  // namespace hotline::expr
