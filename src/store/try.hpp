// Early return on errors inside the store, where nearly every call is a
// Result: HL_STORE_TRY binds the value, HL_STORE_CHECK passes a Status on.
#pragma once

#include <utility>

#define HL_STORE_CONCAT2(a, b) a##b
#define HL_STORE_CONCAT(a, b) HL_STORE_CONCAT2(a, b)

#define HL_STORE_TRY(var, expr)                                             \
  auto HL_STORE_CONCAT(var, _result) = (expr);                              \
  if (!HL_STORE_CONCAT(var, _result))                                       \
    return std::move(HL_STORE_CONCAT(var, _result)).error();                \
  auto& var = *HL_STORE_CONCAT(var, _result)

#define HL_STORE_CHECK(expr)                                      \
  do {                                                            \
    if (auto hl_status_ = (expr); !hl_status_)                    \
      return std::move(hl_status_).error();                       \
  } while (0)
