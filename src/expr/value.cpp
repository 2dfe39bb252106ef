#include "hotline/expr/value.hpp"

namespace hotline::expr {

Value Value::boolean(bool b) noexcept {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}

Value Value::number(double n) noexcept {
  Value v;
  v.kind_ = Kind::kNumber;
  v.n_ = n;
  return v;
}

Value Value::string(std::string_view s) noexcept {
  Value v;
  v.kind_ = Kind::kString;
  v.s_ = s.data();
  v.size_ = static_cast<std::uint32_t>(s.size());
  return v;
}

Value Value::list(const Value* items, std::size_t count) noexcept {
  Value v;
  v.kind_ = Kind::kList;
  v.l_ = items;
  v.size_ = static_cast<std::uint32_t>(count);
  return v;
}

Value Value::object(const Attributes* object) noexcept {
  Value v;
  v.kind_ = Kind::kObject;
  v.o_ = object;
  return v;
}



const Value& Value::list_at(std::size_t i) const noexcept {
  static const Value kNull;
  return kind_ == Kind::kList && i < size_ ? l_[i] : kNull;
}

}  // namespace hotline::expr
