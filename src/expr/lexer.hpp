// Tokens of the expression language. Keywords are matched case-insensitively;
// keys keep their case.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotline::expr {

struct Token {
  enum class Kind {
    kEnd, kKey, kString, kNumber, kTrue, kFalse, kNull,
    kEq, kNe, kLt, kLe, kGt, kGe, kContains, kIn, kNot, kHas, kAnd, kOr,
    kLParen, kRParen, kLBracket, kRBracket, kComma,
  };
  Kind kind;
  std::size_t column;  // 1-based
  std::string text;    // the key, or the decoded string
  double number = 0;
};

struct LexError {
  std::size_t column;
  std::string message;
};

// Splits `source` into tokens ending with kEnd; on failure returns false and
// fills `error`.
bool tokenize(std::string_view source, std::vector<Token>& out, LexError& error);

const char* describe(Token::Kind kind);

}  // namespace hotline::expr
