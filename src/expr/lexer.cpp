#include "lexer.hpp"

#include <cctype>
#include <cstdlib>
#include <string>

namespace hotline::expr {

namespace {

bool key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

const char* describe(Token::Kind kind) {
  switch (kind) {
    case Token::Kind::kEnd: return "end of input";
    case Token::Kind::kKey: return "a key";
    case Token::Kind::kString: return "a string";
    case Token::Kind::kNumber: return "a number";
    case Token::Kind::kTrue: return "'true'";
    case Token::Kind::kFalse: return "'false'";
    case Token::Kind::kNull: return "'null'";
    case Token::Kind::kEq: return "'=='";
    case Token::Kind::kNe: return "'!='";
    case Token::Kind::kLt: return "'<'";
    case Token::Kind::kLe: return "'<='";
    case Token::Kind::kGt: return "'>'";
    case Token::Kind::kGe: return "'>='";
    case Token::Kind::kContains: return "'CONTAINS'";
    case Token::Kind::kIn: return "'IN'";
    case Token::Kind::kNot: return "'NOT'";
    case Token::Kind::kHas: return "'HAS'";
    case Token::Kind::kAnd: return "'AND'";
    case Token::Kind::kOr: return "'OR'";
    case Token::Kind::kLParen: return "'('";
    case Token::Kind::kRParen: return "')'";
    case Token::Kind::kLBracket: return "'['";
    case Token::Kind::kRBracket: return "']'";
    case Token::Kind::kComma: return "','";
  }
  return "a token";
}

bool tokenize(std::string_view src, std::vector<Token>& out, LexError& error) {
  using K = Token::Kind;
  std::size_t i = 0;
  auto push = [&](K kind, std::size_t col) { out.push_back(Token{kind, col + 1, {}, 0}); };
  while (i < src.size()) {
    const char c = src[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (c == '"' || c == '\'') {
      std::string text;
      ++i;
      bool closed = false;
      while (i < src.size()) {
        char d = src[i++];
        if (d == c) {
          closed = true;
          break;
        }
        if (d == '\\') {
          if (i >= src.size()) break;
          char e = src[i++];
          switch (e) {
            case 'n': text += '\n'; break;
            case 't': text += '\t'; break;
            default: text += e; break;  // \\ \" \' and anything else stand for themselves
          }
        } else {
          text += d;
        }
      }
      if (!closed) {
        error = {start + 1, "unterminated string"};
        return false;
      }
      out.push_back(Token{K::kString, start + 1, std::move(text), 0});
      continue;
    }
    const bool negative = c == '-' && i + 1 < src.size() &&
                          std::isdigit(static_cast<unsigned char>(src[i + 1]));
    if (std::isdigit(static_cast<unsigned char>(c)) || negative) {
      std::string text(1, c);
      ++i;
      while (i < src.size() && (std::isdigit(static_cast<unsigned char>(src[i])) ||
                                src[i] == '.' || src[i] == 'e' || src[i] == 'E' ||
                                ((src[i] == '+' || src[i] == '-') &&
                                 (src[i - 1] == 'e' || src[i - 1] == 'E')))) {
        text += src[i++];
      }
      char* end = nullptr;
      const double n = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) {
        error = {start + 1, "malformed number '" + text + "'"};
        return false;
      }
      out.push_back(Token{K::kNumber, start + 1, text, n});
      continue;
    }
    if (key_start(c)) {
      while (i < src.size() && key_char(src[i])) ++i;
      std::string_view word = src.substr(start, i - start);
      static const struct {
        const char* word;
        K kind;
      } kKeywords[] = {{"AND", K::kAnd},   {"OR", K::kOr},       {"NOT", K::kNot},
                       {"IN", K::kIn},     {"HAS", K::kHas},     {"CONTAINS", K::kContains},
                       {"TRUE", K::kTrue}, {"FALSE", K::kFalse}, {"NULL", K::kNull}};
      bool keyword = false;
      for (const auto& kw : kKeywords) {
        if (iequals(word, kw.word)) {
          push(kw.kind, start);
          keyword = true;
          break;
        }
      }
      if (!keyword) {
        if (word.back() == '.' || word.find("..") != std::string_view::npos) {
          error = {start + 1, "malformed key '" + std::string(word) + "'"};
          return false;
        }
        out.push_back(Token{K::kKey, start + 1, std::string(word), 0});
      }
      continue;
    }
    auto two = [&](char next) { return i + 1 < src.size() && src[i + 1] == next; };
    switch (c) {
      case '=':
        if (!two('=')) {
          error = {start + 1, "unexpected '='; comparison is written '=='"};
          return false;
        }
        push(K::kEq, start);
        i += 2;
        continue;
      case '!':
        if (!two('=')) {
          error = {start + 1, "unexpected '!'; use '!=' or NOT"};
          return false;
        }
        push(K::kNe, start);
        i += 2;
        continue;
      case '<':
        if (two('=')) {
          push(K::kLe, start);
          i += 2;
        } else {
          push(K::kLt, start);
          ++i;
        }
        continue;
      case '>':
        if (two('=')) {
          push(K::kGe, start);
          i += 2;
        } else {
          push(K::kGt, start);
          ++i;
        }
        continue;
      case '(': push(K::kLParen, start); ++i; continue;
      case ')': push(K::kRParen, start); ++i; continue;
      case '[': push(K::kLBracket, start); ++i; continue;
      case ']': push(K::kRBracket, start); ++i; continue;
      case ',': push(K::kComma, start); ++i; continue;
      default:
        error = {start + 1, std::string("unexpected character '") + c + "'"};
        return false;
    }
  }
  out.push_back(Token{K::kEnd, src.size() + 1, {}, 0});
  return true;
}

}  // namespace hotline::expr
