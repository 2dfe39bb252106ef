// Compilation turns the token stream into a flat array of nodes (children
// before parents, the root last). Evaluation walks that array recursively by
// index and reads keys through pre-split paths: no allocation, no string
// building, no hashing.
//
// Input cannot make either walk deep: a chain of AND (or OR) is one node
// with all its operands, evaluated in a loop, so `a AND b AND ... AND z`
// costs one level whatever its length; only parentheses and NOT nest, and
// compile() refuses more than kMaxExpressionDepth of them, naming the column.
#include "hotline/expr/expression.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <tuple>
#include <fmt/format.h>

#include "lexer.hpp"

namespace hotline::expr {

namespace {

enum class Op : std::uint8_t {
  kLiteral, kKey,
  kEq, kNe, kLt, kLe, kGt, kGe, kContains, kIn, kNotIn, kHas,
  kAnd, kOr, kNot,
};

enum class Root : std::uint8_t { kContact, kAgent, kSelf };

struct Node {
  Op op;
  Root root = Root::kSelf;
  // Operands: for AND and OR, `left` is the first index into
  // ProgramData::operands and `right` their count; NOT uses `left` only.
  std::uint32_t left = 0;
  std::uint32_t right = 0;
  std::uint32_t path_begin = 0;  // into Program::segments
  std::uint32_t path_size = 0;
  Value literal;
  std::uint32_t from = 0;  // the node's text in the source, when recorded
  std::uint32_t to = 0;
};

struct ProgramData {
  std::string source;
  std::vector<Node> nodes;
  std::vector<std::uint32_t> operands;     // of AND and OR nodes, each node's in a row
  std::vector<std::string_view> segments;  // point into `strings`
  std::deque<std::string> strings;         // stable storage for literals and key segments
  std::deque<std::vector<Value>> lists;    // list literals
  bool contact = false, agent = false, self = false;
  // The operand nodes when the whole program is a membership test (see
  // Expression::is_membership_test); UINT32_MAX otherwise.
  std::uint32_t member_contact = UINT32_MAX;
  std::uint32_t member_agent = UINT32_MAX;
  // A program cut out of another (see Expression::conjuncts) borrows its
  // literals and key segments, and keeps it alive.
  std::shared_ptr<const ProgramData> owner;
};

Node branch(Op op, std::uint32_t left, std::uint32_t right) {
  Node n{op, Root::kSelf, left, right, 0, 0, Value(), 0, 0};
  return n;
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, ProgramData& p) : t_(tokens), p_(p) {}

  bool parse(ParseError& error) {
    if (!parse_or()) {
      error = error_;
      return false;
    }
    if (peek().kind != Token::Kind::kEnd) {
      error = {peek().column, fmt::format("expected AND, OR or the end, found {}",
                                          describe(peek().kind))};
      return false;
    }
    return true;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_++]; }

  bool fail(const Token& at, std::string message) {
    error_ = {at.column, std::move(message)};
    return false;
  }

  std::uint32_t add(Node n) {
    p_.nodes.push_back(n);
    return static_cast<std::uint32_t>(p_.nodes.size() - 1);
  }

  bool parse_or() {
    if (!parse_and()) return false;
    if (peek().kind != Token::Kind::kOr) return true;
    std::vector<std::uint32_t> terms{last_};
    while (peek().kind == Token::Kind::kOr) {
      next();
      if (!parse_and()) return false;
      terms.push_back(last_);
    }
    last_ = chain(Op::kOr, terms);
    return true;
  }

  bool parse_and() {
    if (!spanned_not()) return false;
    if (peek().kind != Token::Kind::kAnd) return true;
    std::vector<std::uint32_t> terms{last_};
    while (peek().kind == Token::Kind::kAnd) {
      next();
      if (!spanned_not()) return false;
      terms.push_back(last_);
    }
    last_ = chain(Op::kAnd, terms);
    return true;
  }

  // One n-ary node for a whole chain. The operands are stored once the
  // chain is complete: operands of nested chains were stored before them.
  std::uint32_t chain(Op op, const std::vector<std::uint32_t>& terms) {
    const auto begin = static_cast<std::uint32_t>(p_.operands.size());
    p_.operands.insert(p_.operands.end(), terms.begin(), terms.end());
    return add(branch(op, begin, static_cast<std::uint32_t>(terms.size())));
  }

  // Entering a parenthesis or a NOT: one level deeper, refused past the limit.
  bool deeper(const Token& at) {
    if (++depth_ > kMaxExpressionDepth) {
      return fail(at, fmt::format("nested deeper than {} levels of parentheses and NOT",
                                  kMaxExpressionDepth));
    }
    return true;
  }

  // An AND operand, remembering where its text lies for conjuncts().
  bool spanned_not() {
    const auto from = static_cast<std::uint32_t>(peek().column - 1);
    if (!parse_not()) return false;
    auto to = static_cast<std::uint32_t>(peek().column - 1);
    while (to > from && std::isspace(static_cast<unsigned char>(p_.source[to - 1]))) --to;
    p_.nodes[last_].from = from;
    p_.nodes[last_].to = to;
    return true;
  }

  bool parse_not() {
    if (peek().kind == Token::Kind::kNot) {
      if (!deeper(peek())) return false;
      next();
      if (!parse_not()) return false;
      --depth_;
      last_ = add(branch(Op::kNot, last_, 0));
      return true;
    }
    return parse_comparison();
  }

  bool parse_comparison() {
    if (!parse_operand()) return false;
    const Token& op_token = peek();
    Op op;
    switch (op_token.kind) {
      case Token::Kind::kEq: op = Op::kEq; break;
      case Token::Kind::kNe: op = Op::kNe; break;
      case Token::Kind::kLt: op = Op::kLt; break;
      case Token::Kind::kLe: op = Op::kLe; break;
      case Token::Kind::kGt: op = Op::kGt; break;
      case Token::Kind::kGe: op = Op::kGe; break;
      case Token::Kind::kContains: op = Op::kContains; break;
      case Token::Kind::kIn: op = Op::kIn; break;
      case Token::Kind::kHas: op = Op::kHas; break;
      case Token::Kind::kNot:
        if (t_[pos_ + 1].kind != Token::Kind::kIn) {
          return fail(t_[pos_ + 1], fmt::format("expected IN after NOT, found {}",
                                                describe(t_[pos_ + 1].kind)));
        }
        next();
        op = Op::kNotIn;
        break;
      default: return true;  // a bare operand: its truth is the result
    }
    next();
    const std::uint32_t left = last_;
    operator_text_ = op == Op::kNotIn ? "'NOT IN'" : describe(op_token.kind);
    if (!parse_operand()) return false;
    operator_text_.clear();
    last_ = add(branch(op, left, last_));
    return true;
  }

  bool parse_operand() {
    const Token& tok = peek();
    switch (tok.kind) {
      case Token::Kind::kString:
        next();
        last_ = literal(Value::string(store(tok.text)));
        return true;
      case Token::Kind::kNumber:
        next();
        last_ = literal(Value::number(tok.number));
        return true;
      case Token::Kind::kTrue:
      case Token::Kind::kFalse:
        next();
        last_ = literal(Value::boolean(tok.kind == Token::Kind::kTrue));
        return true;
      case Token::Kind::kNull:
        next();
        last_ = literal(Value());
        return true;
      case Token::Kind::kKey: next(); return key(tok);
      case Token::Kind::kLBracket: next(); return list(tok);
      case Token::Kind::kLParen: {
        if (!deeper(tok)) return false;
        next();
        const std::string saved = operator_text_;
        operator_text_.clear();
        if (!parse_or()) return false;
        if (peek().kind != Token::Kind::kRParen) {
          return fail(peek(), fmt::format("expected ')' to close the '(' at column {}, found {}",
                                          tok.column, describe(peek().kind)));
        }
        next();
        --depth_;
        operator_text_ = saved;
        return true;
      }
      default: {
        std::string what = operator_text_.empty()
                               ? std::string("expected a value")
                               : fmt::format("expected a value after {}", operator_text_);
        return fail(tok, fmt::format("{}, found {}", what, describe(tok.kind)));
      }
    }
  }

  bool list(const Token& open) {
    std::vector<Value> items;
    if (peek().kind == Token::Kind::kRBracket) {
      next();
    } else {
      for (;;) {
        const Token& tok = next();
        switch (tok.kind) {
          case Token::Kind::kString: items.push_back(Value::string(store(tok.text))); break;
          case Token::Kind::kNumber: items.push_back(Value::number(tok.number)); break;
          case Token::Kind::kTrue:
          case Token::Kind::kFalse:
            items.push_back(Value::boolean(tok.kind == Token::Kind::kTrue));
            break;
          default:
            return fail(tok, fmt::format("expected a list item (string, number or boolean), "
                                         "found {}", describe(tok.kind)));
        }
        const Token& sep = next();
        if (sep.kind == Token::Kind::kRBracket) break;
        if (sep.kind != Token::Kind::kComma) {
          return fail(sep, fmt::format("expected ',' or ']' in the list opened at column {}, "
                                       "found {}", open.column, describe(sep.kind)));
        }
      }
    }
    p_.lists.push_back(std::move(items));
    const auto& stored = p_.lists.back();
    last_ = literal(Value::list(stored.data(), stored.size()));
    return true;
  }

  bool key(const Token& tok) {
    std::string_view text = tok.text;
    Root root = Root::kSelf;
    auto strip = [&](std::string_view prefix) {
      if (text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix) {
        text.remove_prefix(prefix.size());
        return true;
      }
      return false;
    };
    if (strip("contact.") || strip("task.")) {
      root = Root::kContact;
      p_.contact = true;
    } else if (strip("agent.") || strip("worker.")) {
      root = Root::kAgent;
      p_.agent = true;
    } else {
      p_.self = true;
    }
    Node n = branch(Op::kKey, 0, 0);
    n.root = root;
    n.path_begin = static_cast<std::uint32_t>(p_.segments.size());
    while (!text.empty()) {
      const std::size_t dot = text.find('.');
      p_.segments.push_back(store(std::string(text.substr(0, dot))));
      ++n.path_size;
      if (dot == std::string_view::npos) break;
      text.remove_prefix(dot + 1);
    }
    last_ = add(n);
    return true;
  }

  std::uint32_t literal(Value v) {
    Node n = branch(Op::kLiteral, 0, 0);
    n.literal = v;
    return add(n);
  }

  std::string_view store(std::string s) {
    p_.strings.push_back(std::move(s));
    return p_.strings.back();
  }

  const std::vector<Token>& t_;
  ProgramData& p_;
  std::size_t pos_ = 0;
  std::uint32_t last_ = 0;
  int depth_ = 0;  // parentheses and NOTs open around the current token
  std::string operator_text_;
  ParseError error_;
};

bool truthy(const Value& v) noexcept {
  switch (v.kind()) {
    case Value::Kind::kNull: return false;
    case Value::Kind::kBool: return v.as_bool();
    case Value::Kind::kNumber: return v.as_number() != 0;
    case Value::Kind::kString: return !v.as_string().empty();
    case Value::Kind::kList: return v.list_size() > 0;
    case Value::Kind::kObject: return true;
  }
  return false;
}

bool is_scalar(const Value& v) noexcept {
  return v.kind() == Value::Kind::kBool || v.kind() == Value::Kind::kNumber ||
         v.kind() == Value::Kind::kString;
}

bool scalar_equal(const Value& a, const Value& b) noexcept {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kBool: return a.as_bool() == b.as_bool();
    case Value::Kind::kNumber: return a.as_number() == b.as_number();
    case Value::Kind::kString: {
      // Most strings compared here differ in length or first byte.
      const std::string_view x = a.as_string(), y = b.as_string();
      return x.size() == y.size() && (x.empty() || (x[0] == y[0] && x == y));
    }
    default: return false;
  }
}

// -1, 0, 1, or 2 when the two cannot be ordered.
int order(const Value& a, const Value& b) noexcept {
  if (a.kind() == Value::Kind::kNumber && b.kind() == Value::Kind::kNumber) {
    const double x = a.as_number(), y = b.as_number();
    return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
  }
  if (a.kind() == Value::Kind::kString && b.kind() == Value::Kind::kString) {
    const int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return 2;
}

bool list_has(const Value& list, const Value& item) noexcept {
  for (std::size_t i = 0; i < list.list_size(); ++i) {
    if (scalar_equal(list.list_at(i), item)) return true;
  }
  return false;
}

class Evaluator {
 public:
  Evaluator(const ProgramData& p, const Scope& s) : p_(p), s_(s) {}

  Value value(std::uint32_t i) const noexcept {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kLiteral: return n.literal;
      case Op::kKey: return lookup(n);
      default: return Value::boolean(test(i));
    }
  }

  bool test(std::uint32_t i) const noexcept {
    const Node& n = p_.nodes[i];
    switch (n.op) {
      case Op::kLiteral: return truthy(n.literal);
      case Op::kKey: return truthy(lookup(n));
      case Op::kAnd:
        for (std::uint32_t k = 0; k < n.right; ++k) {
          if (!test(p_.operands[n.left + k])) return false;
        }
        return true;
      case Op::kOr:
        for (std::uint32_t k = 0; k < n.right; ++k) {
          if (test(p_.operands[n.left + k])) return true;
        }
        return false;
      case Op::kNot: return !test(n.left);
      default: break;
    }
    return compare(n, value(n.left), value(n.right));
  }

  // The comparison node `n` with operands `a` (left) and `b` (right).
  bool compare(const Node& n, const Value& a, const Value& b) const noexcept {
    switch (n.op) {
      case Op::kEq:
        if (a.is_null() || b.is_null()) return a.is_null() && b.is_null() && null_literal(n);
        return is_scalar(a) && scalar_equal(a, b);
      case Op::kNe:
        if (a.is_null() || b.is_null()) return !(a.is_null() && b.is_null()) && null_literal(n);
        return is_scalar(a) && is_scalar(b) && !scalar_equal(a, b);
      case Op::kLt: return order(a, b) == -1;
      case Op::kLe: { const int o = order(a, b); return o == -1 || o == 0; }
      case Op::kGt: return order(a, b) == 1;
      case Op::kGe: { const int o = order(a, b); return o == 1 || o == 0; }
      case Op::kContains:
        return a.kind() == Value::Kind::kString && b.kind() == Value::Kind::kString &&
               a.as_string().find(b.as_string()) != std::string_view::npos;
      case Op::kIn:
        return is_scalar(a) && b.kind() == Value::Kind::kList && list_has(b, a);
      case Op::kNotIn:
        return is_scalar(a) && b.kind() == Value::Kind::kList && !list_has(b, a);
      case Op::kHas:
        return a.kind() == Value::Kind::kList && is_scalar(b) && list_has(a, b);
      default: return false;
    }
  }

 private:
  // Comparisons with null are false, except against the literal null:
  // `x == null` asks whether x is missing.
  bool null_literal(const Node& n) const noexcept {
    const Node& l = p_.nodes[n.left];
    const Node& r = p_.nodes[n.right];
    return (l.op == Op::kLiteral && l.literal.is_null()) ||
           (r.op == Op::kLiteral && r.literal.is_null());
  }

  Value lookup(const Node& n) const noexcept {
    const Attributes* obj = n.root == Root::kContact ? s_.contact
                            : n.root == Root::kAgent ? s_.agent
                                                     : s_.self;
    if (n.path_size == 0) return obj ? Value::object(obj) : Value();
    for (std::uint32_t k = 0; k < n.path_size; ++k) {
      if (!obj) return Value();
      const Value* v = obj->find(p_.segments[n.path_begin + k]);
      if (!v) return Value();
      if (k + 1 == n.path_size) return *v;
      obj = v->as_object();
    }
    return Value();
  }

  const ProgramData& p_;
  const Scope& s_;
};

}  // namespace

struct Expression::Program : ProgramData {};

namespace {
void note_membership(ProgramData& p) noexcept;
}  // namespace

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(const Expression&) = default;
Expression& Expression::operator=(const Expression&) = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

Result<Expression> Expression::compile(std::string_view source, ParseError* parse_error) {
  auto program = std::make_shared<Program>();
  program->source = std::string(source);
  ParseError error;
  std::vector<Token> tokens;
  LexError lex;
  bool ok = tokenize(source, tokens, lex);
  if (!ok) {
    error = {lex.column, lex.message};
  } else if (tokens.size() == 1) {
    error = {1, "expected an expression, found end of input"};
    ok = false;
  } else {
    Parser parser(tokens, *program);
    ok = parser.parse(error);
  }
  if (!ok) {
    if (parse_error) *parse_error = error;
    return make_error(Errc::kInvalidArgument,
                      fmt::format("column {}: {}", error.column, error.message));
  }
  Expression e;
  note_membership(*program);
  e.program_ = std::move(program);
  return e;
}

bool Expression::evaluate(const Scope& scope) const noexcept {
  if (!program_) return true;
  return Evaluator(*program_, scope).test(static_cast<std::uint32_t>(program_->nodes.size() - 1));
}

Value Expression::evaluate_value(const Scope& scope) const noexcept {
  if (!program_) return Value::boolean(true);
  return Evaluator(*program_, scope).value(static_cast<std::uint32_t>(program_->nodes.size() - 1));
}

namespace {

std::uint32_t copy_subtree(const ProgramData& from, std::uint32_t i, ProgramData& to) {
  Node n = from.nodes[i];
  switch (n.op) {
    case Op::kLiteral: break;
    case Op::kKey: {
      const auto begin = static_cast<std::uint32_t>(to.segments.size());
      for (std::uint32_t k = 0; k < n.path_size; ++k) {
        to.segments.push_back(from.segments[n.path_begin + k]);
      }
      n.path_begin = begin;
      (n.root == Root::kContact ? to.contact : n.root == Root::kAgent ? to.agent : to.self) = true;
      break;
    }
    case Op::kNot: n.left = copy_subtree(from, n.left, to); break;
    case Op::kAnd:
    case Op::kOr: {
      std::vector<std::uint32_t> copied;
      copied.reserve(n.right);
      for (std::uint32_t k = 0; k < n.right; ++k) {
        copied.push_back(copy_subtree(from, from.operands[n.left + k], to));
      }
      n.left = static_cast<std::uint32_t>(to.operands.size());
      to.operands.insert(to.operands.end(), copied.begin(), copied.end());
      break;
    }
    default:
      n.left = copy_subtree(from, n.left, to);
      n.right = copy_subtree(from, n.right, to);
      break;
  }
  to.nodes.push_back(n);
  return static_cast<std::uint32_t>(to.nodes.size() - 1);
}

// Recursion only through parenthesised ANDs: bounded by kMaxExpressionDepth.
void and_leaves(const ProgramData& p, std::uint32_t i, std::vector<std::uint32_t>& out) {
  const Node& n = p.nodes[i];
  if (n.op == Op::kAnd) {
    for (std::uint32_t k = 0; k < n.right; ++k) and_leaves(p, p.operands[n.left + k], out);
  } else {
    out.push_back(i);
  }
}

}  // namespace

std::vector<Expression> Expression::conjuncts() const {
  std::vector<Expression> parts;
  if (!program_) return parts;
  std::vector<std::uint32_t> leaves;
  and_leaves(*program_, static_cast<std::uint32_t>(program_->nodes.size() - 1), leaves);
  if (leaves.size() == 1) {
    parts.push_back(*this);
    return parts;
  }
  for (std::uint32_t leaf : leaves) {
    auto sub = std::make_shared<Program>();
    sub->owner = program_;
    const Node& n = program_->nodes[leaf];
    sub->source = n.to > n.from ? program_->source.substr(n.from, n.to - n.from) : program_->source;
    copy_subtree(*program_, leaf, *sub);
    note_membership(*sub);
    Expression e;
    e.program_ = std::move(sub);
    parts.push_back(std::move(e));
  }
  return parts;
}

namespace {

constexpr std::pair<std::uint32_t, std::uint32_t> kNotMembership{UINT32_MAX, UINT32_MAX};

// The operand nodes of a membership test (see Expression::is_membership_test):
// {contact side, agent side}, or kNotMembership when the root is not one.
std::pair<std::uint32_t, std::uint32_t> membership_operands(const ProgramData& p) noexcept {
  const auto root = static_cast<std::uint32_t>(p.nodes.size() - 1);
  const Node& n = p.nodes[root];
  if (n.op != Op::kIn && n.op != Op::kHas && n.op != Op::kEq) return kNotMembership;
  const Node& l = p.nodes[n.left];
  const Node& r = p.nodes[n.right];
  if (l.op != Op::kKey || r.op != Op::kKey || l.path_size == 0 || r.path_size == 0) {
    return kNotMembership;
  }
  const bool contact_left = l.root == Root::kContact && r.root == Root::kAgent;
  const bool agent_left = l.root == Root::kAgent && r.root == Root::kContact;
  if (n.op == Op::kIn && contact_left) return {n.left, n.right};
  if (n.op == Op::kHas && agent_left) return {n.right, n.left};
  if (n.op == Op::kEq && contact_left) return {n.left, n.right};
  if (n.op == Op::kEq && agent_left) return {n.right, n.left};
  return kNotMembership;
}

void note_membership(ProgramData& p) noexcept {
  std::tie(p.member_contact, p.member_agent) = membership_operands(p);
}

}  // namespace

bool Expression::is_membership_test() const noexcept {
  return program_ && program_->member_agent != UINT32_MAX;
}

Value Expression::contact_operand(const Scope& scope) const noexcept {
  if (!is_membership_test()) return Value();
  return Evaluator(*program_, scope).value(program_->member_contact);
}

std::vector<std::string_view> Expression::contact_operand_path() const {
  if (!is_membership_test()) return {};
  const Node& n = program_->nodes[program_->member_contact];
  return {program_->segments.begin() + n.path_begin,
          program_->segments.begin() + n.path_begin + n.path_size};
}

Value Expression::agent_operand(const Scope& scope) const noexcept {
  if (!is_membership_test()) return Value();
  return Evaluator(*program_, scope).value(program_->member_agent);
}

bool Expression::membership_holds(const Value& contact_value,
                                  const Value& agent_value) const noexcept {
  if (!is_membership_test()) return false;
  const Node& root = program_->nodes.back();
  const bool contact_left = root.left == program_->member_contact;
  const Scope none;
  return Evaluator(*program_, none)
      .compare(root, contact_left ? contact_value : agent_value,
               contact_left ? agent_value : contact_value);
}

std::vector<std::string> Expression::agent_keys() const {
  std::vector<std::string> keys;
  if (!program_) return keys;
  for (const Node& n : program_->nodes) {
    if (n.op != Op::kKey || n.root != Root::kAgent) continue;
    std::string dotted;
    for (std::uint32_t k = 0; k < n.path_size; ++k) {
      if (k) dotted += '.';
      dotted += program_->segments[n.path_begin + k];
    }
    if (std::find(keys.begin(), keys.end(), dotted) == keys.end()) keys.push_back(dotted);
  }
  return keys;
}

bool Expression::always_true() const noexcept { return !program_; }
bool Expression::references_contact() const noexcept { return program_ && program_->contact; }
bool Expression::references_agent() const noexcept { return program_ && program_->agent; }
bool Expression::references_self() const noexcept { return program_ && program_->self; }

const std::string& Expression::source() const noexcept {
  static const std::string kEmpty;
  return program_ ? program_->source : kEmpty;
}

}  // namespace hotline::expr
