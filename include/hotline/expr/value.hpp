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
  bool as_bool() const noexcept;            // false unless kBool
  double as_number() const noexcept;        // 0 unless kNumber
  std::string_view as_string() const noexcept;  // empty unless kString
  std::size_t list_size() const noexcept;   // 0 unless kList
  const Value& list_at(std::size_t i) const noexcept;
  const Attributes* as_object() const noexcept;  // nullptr unless kObject

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
