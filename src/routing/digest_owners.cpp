#include "digest_owners.hpp"

#include <cstring>

namespace hotline::routing {

std::uint32_t value_bit(const expr::Value& v) noexcept {
  std::uint64_t h;
  switch (v.kind()) {
    case expr::Value::Kind::kString: {
      h = 1469598103934665603ull;  // FNV-1a
      for (char ch : v.as_string()) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
      break;
    }
    case expr::Value::Kind::kNumber: {
      double d = v.as_number();
      if (d == 0) d = 0;  // -0 == 0
      std::memcpy(&h, &d, sizeof h);
      break;
    }
    case expr::Value::Kind::kBool: h = v.as_bool() ? 0x5bd1e995u : 0x1b873593u; break;
    default: return 0;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return 1u << (h & 31);
}

bool DigestOwners::has_bit(const expr::Value& v) noexcept {
  switch (v.kind()) {
    case expr::Value::Kind::kBool:
    case expr::Value::Kind::kString: return true;
    case expr::Value::Kind::kNumber: return v.as_number() == v.as_number();
    default: return false;
  }
}

void DigestOwners::clear() {
  owned_ = displaced_ = shared_ = 0;
  ++epoch_;
  for (Owner& o : owners_) o = Owner{};
  forget_found();
}

void DigestOwners::forget_found() noexcept {
  remembered_ = {};
  next_remembered_ = 0;
}

bool DigestOwners::remembered_form(const expr::Value& v, Remembered& form) noexcept {
  form.kind = v.kind();
  switch (v.kind()) {
    case expr::Value::Kind::kString: {
      const std::string_view text = v.as_string();
      if (text.size() > sizeof form.bits) return false;
      form.bits = 0;
      if (!text.empty()) std::memcpy(&form.bits, text.data(), text.size());
      form.size = static_cast<std::uint8_t>(text.size());
      return true;
    }
    case expr::Value::Kind::kNumber: {
      const double d = v.as_number();
      std::memcpy(&form.bits, &d, sizeof d);
      form.size = 0;
      return true;
    }
    case expr::Value::Kind::kBool:
      form.bits = v.as_bool() ? 1 : 0;
      form.size = 0;
      return true;
    default: return false;
  }
}

bool DigestOwners::same(const Owner& o, const expr::Value& v) noexcept {
  if (o.kind != v.kind()) return false;
  switch (v.kind()) {
    case expr::Value::Kind::kBool: return (o.text == "1") == v.as_bool();
    case expr::Value::Kind::kNumber: return o.number == v.as_number();
    case expr::Value::Kind::kString: return o.text == v.as_string();
    default: return false;
  }
}

std::uint32_t DigestOwners::owned_by(const expr::Value& v, std::uint32_t home) const noexcept {
  if ((owned_ & home) && same(owners_[static_cast<std::size_t>(__builtin_ctz(home))], v)) {
    return home;
  }
  for (std::uint32_t b = displaced_; b; b &= b - 1) {
    const int i = __builtin_ctz(b);
    if (same(owners_[static_cast<std::size_t>(i)], v)) return 1u << i;
  }
  return 0;
}

std::uint32_t DigestOwners::note(const expr::Value& v) {
  const std::uint32_t home = value_bit(v);
  if (home == 0) return 0;
  if (const std::uint32_t bit = owned_by(v, home)) return bit;
  std::uint32_t bit = home;
  forget_found();  // a bit is given or shared below: answers may change
  if (owned_ & home) {
    if (owned_ == ~0u) {
      if ((shared_ & home) == 0) ++epoch_;  // the bit's owner loses it alone
      shared_ |= home;  // no bit left: the hash's bit, for this value and its owner
      return home;
    }
    bit = ~owned_ & (owned_ + 1);  // the lowest free bit
    displaced_ |= bit;
  }
  Owner& o = owners_[static_cast<std::size_t>(__builtin_ctz(bit))];
  o.kind = v.kind();
  o.number = v.as_number();
  o.text = v.kind() == expr::Value::Kind::kBool ? (v.as_bool() ? "1" : "")
                                                 : std::string(v.as_string());
  owned_ |= bit;
  return bit;
}

DigestOwners::Found DigestOwners::find(const expr::Value& v) const noexcept {
  Remembered form;
  if (!remembered_form(v, form)) return find_afresh(v);
  for (const Remembered& r : remembered_) {
    if (r.kind == form.kind && r.bits == form.bits && r.size == form.size) {
      return {r.bit, r.exact};
    }
  }
  const Found found = find_afresh(v);
  form.bit = found.bit;
  form.exact = found.exact;
  remembered_[next_remembered_] = form;
  next_remembered_ = static_cast<std::uint16_t>((next_remembered_ + 1u) % kRemembered);
  return found;
}

DigestOwners::Found DigestOwners::find_afresh(const expr::Value& v) const noexcept {
  const std::uint32_t home = value_bit(v);
  if (home == 0) return {0, true};  // not a scalar: no agent's digest has it
  if (const std::uint32_t bit = owned_by(v, home)) return {bit, (shared_ & bit) == 0};
  // A value no agent was indexed with: it has no bit while every value has
  // its own, and may sit in its hash's shared bit after.
  if (shared_ == 0) return {0, true};
  return {home, false};
}

}  // namespace hotline::routing
