// A Value is a borrowed, JSON-like datum that expressions compare. It never
// owns memory: strings, lists and objects point into an Attributes (or into a
// compiled Expression's literal pool), which must outlive the Value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hotline::expr {

class Attributes;

class Value {
 public:
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kList, kObject };

  constexpr Value() noexcept : kind_(Kind::kNull), n_(0) {}
  static Value boolean(bool b) noexcept;
  static Value number(double n) noexcept;
  static Value string(std::string_view s) noexcept;                  // borrowed
  static Value list(const Value* items, std::size_t count) noexcept;  // borrowed
  static Value object(const Attributes* object) noexcept;             // borrowed

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::kNull; }
  // Inline: expressions call these on every comparison.
  bool as_bool() const noexcept { return kind_ == Kind::kBool && b_; }
  double as_number() const noexcept { return kind_ == Kind::kNumber ? n_ : 0.0; }
  std::string_view as_string() const noexcept {  // empty unless kString
    return kind_ == Kind::kString ? std::string_view(s_, size_) : std::string_view();
  }
  std::size_t list_size() const noexcept { return kind_ == Kind::kList ? size_ : 0; }
  const Value& list_at(std::size_t i) const noexcept;  // null when out of range
  const Attributes* as_object() const noexcept { return kind_ == Kind::kObject ? o_ : nullptr; }

 private:
  Kind kind_;
  std::uint32_t size_ = 0;
  union {
    bool b_;
    double n_;
    const char* s_;
    const Value* l_;
    const Attributes* o_;
  };
};

}  // namespace hotline::expr
