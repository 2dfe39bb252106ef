// What every C entry point shares: the error object, the one exception
// guard, and copying strings out to the caller.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "hotline/common.h"
#include "hotline/util/result.hpp"

struct hl_error {
  int status;
  std::string message;
};

namespace hotline::capi {

// A message quotes what the caller sent, and a JSON string may carry any
// control character. hl_error_message() is a C string, so a NUL would cut the
// message short where the offending value begins; it and the other control
// characters are spelled as JSON escapes (\u0000). Line feeds and tabs stay:
// messages that list several problems put one per line.
inline std::string printable_message(std::string message) {
  auto is_hidden = [](unsigned char c) {
    return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;
  };
  if (std::none_of(message.begin(), message.end(), is_hidden)) return message;
  std::string out;
  out.reserve(message.size() + 16);
  for (unsigned char c : message) {
    if (!is_hidden(c)) {
      out += static_cast<char>(c);
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

inline hl_status fail(hl_error** err, int status, std::string message) {
  if (err) {
    // Allocating the error may itself fail; the status still gets through.
    try {
      *err = new hl_error{status, printable_message(std::move(message))};
    } catch (const std::bad_alloc&) {
      *err = nullptr;
    }
  }
  return static_cast<hl_status>(status);
}

inline hl_status from(const Error& e, hl_error** err) {
  return fail(err, -static_cast<int>(e.code), e.message);
}

// The one exception guard every entry point goes through: no C++ exception
// crosses into the host.
template <typename F>
hl_status guarded(hl_error** err, F&& body) {
  if (err) *err = nullptr;
  try {
    Status st = body();
    return st ? HL_OK : from(st.error(), err);
  } catch (const std::bad_alloc&) {
    return fail(err, HL_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(err, HL_EINTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(err, HL_EINTERNAL, "internal error");
  }
}

inline Error invalid(std::string message) {
  return make_error(Errc::kInvalidArgument, std::move(message));
}

inline Status need(const void* p, const char* what) {
  if (!p) return invalid(std::string(what) + " is NULL");
  return {};
}

// A malloc'd copy the caller frees with hl_free(); NULL when out of memory.
inline char* copy_string(const std::string& s) {
  char* copy = static_cast<char*>(std::malloc(s.size() + 1));
  if (copy) std::memcpy(copy, s.c_str(), s.size() + 1);
  return copy;
}

}  // namespace hotline::capi
