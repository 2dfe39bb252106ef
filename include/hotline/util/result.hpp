// Errors inside the C++ core travel as values: a Result<T> holds a T or an
// Error. The C ABI maps Errc one-to-one onto hl_status codes, so every error a
// host can see is named here first.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace hotline {

enum class Errc {
  kOk = 0,
  kInvalidArgument,  // malformed input: bad JSON, bad expression, bad value
  kNotFound,         // unknown id
  kExists,           // duplicate id
  kIllegalState,     // a transition the state machine does not allow
  kFull,             // a capacity or length limit refused the request
  kPermission,       // the caller's role may not do this
  kIo,               // storage or host I/O failed
  kBusy,             // the resource is locked; retry later
  kUser,             // a host callback aborted the operation
  kInternal,         // a bug: an invariant did not hold
  kNoMemory,
};

const char* errc_name(Errc code) noexcept;

struct Error {
  Errc code = Errc::kInternal;
  std::string message;  // says what and where: JSON path, CSV row, column
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace hotline
