// Strict reading of one JSON object for the store's JSON forms: every field
// must be claimed by a reader, so a typo is reported instead of silently
// ignored, and every error names the JSON path.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "hotline/util/result.hpp"
#include "store/try.hpp"

namespace hotline::store {

// Walks one object: every field must be claimed by a reader, so a typo is
// reported instead of silently ignored.
class JsonObjectReader {
 public:
  JsonObjectReader(const nlohmann::json& j, std::string_view path) : j_(j), path_(path) {}

  Status object() const {
    if (j_.is_object()) return {};
    return make_error(Errc::kInvalidArgument, fmt::format("{}: expected an object", path_));
  }
  std::string at(std::string_view key) const { return fmt::format("{}.{}", path_, key); }

  Status text(const char* key, std::string& out) { return field(key, out, "a string"); }
  Status text(const char* key, std::optional<std::string>& out) {
    return optional(key, out, "a string");
  }
  Status integer(const char* key, std::int64_t& out) { return field(key, out, "an integer"); }
  Status integer(const char* key, std::optional<std::int64_t>& out) {
    return optional(key, out, "an integer");
  }
  Status flag(const char* key, bool& out) { return field(key, out, "true or false"); }
  Status texts(const char* key, std::vector<std::string>& out) {
    return field(key, out, "a list of strings");
  }
  Status texts(const char* key, std::optional<std::vector<std::string>>& out) {
    return optional(key, out, "a list of strings");
  }
  // An enumeration by name, through its parse function.
  template <typename E, typename Parse>
  Status name(const char* key, E& out, Parse parse, const char* expected) {
    const nlohmann::json* v = claim(key);
    if (!v) return {};
    if (!v->is_string() || !parse(v->get_ref<const std::string&>(), out)) {
      return make_error(Errc::kInvalidArgument, fmt::format("{}: expected {}", at(key), expected));
    }
    return {};
  }
  template <typename E, typename Parse>
  Status name(const char* key, std::optional<E>& out, Parse parse, const char* expected) {
    if (!present(key)) return {};
    E value{};
    HL_STORE_CHECK(name(key, value, parse, expected));
    out = value;
    return {};
  }
  // Marks `key` as one this object accepts (whether or not it is present)
  // and returns its value; null counts as absent.
  const nlohmann::json* claim(const char* key) {
    if (std::find(claimed_.begin(), claimed_.end(), key) == claimed_.end()) {
      claimed_.push_back(key);
    }
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  bool present(const char* key) { return claim(key) != nullptr; }
  // Refuses keys nobody claimed, listing the accepted ones in the order the
  // code reads them.
  Status done() const {
    for (const auto& [key, value] : j_.items()) {
      if (std::find(claimed_.begin(), claimed_.end(), key) == claimed_.end()) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}: unknown field (expected one of: {})", at(key),
                                      fmt::join(claimed_, ", ")));
      }
    }
    return {};
  }

 private:
  // Typed without coercion: a number where a string belongs is refused,
  // and so is a string of digits where a number belongs, a fraction, or an
  // integer beyond int64 (which would otherwise wrap).
  template <typename T>
  Status field(const char* key, T& out, const char* expected) {
    const nlohmann::json* v = claim(key);
    if (!v) return {};
    const std::string path = at(key);
    auto wrong = [&](const std::string& where, const char* what) {
      return make_error(Errc::kInvalidArgument, fmt::format("{}: expected {}", where, what));
    };
    if constexpr (std::is_same_v<T, std::int64_t>) {
      if (!v->is_number_integer()) return wrong(path, expected);
      if (v->is_number_unsigned() &&
          v->get<std::uint64_t>() >
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return wrong(path, "an integer that fits in 64 bits");
      }
      out = v->get<std::int64_t>();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!v->is_boolean()) return wrong(path, expected);
      out = v->get<bool>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!v->is_string()) return wrong(path, expected);
      out = v->get<std::string>();
    } else {
      static_assert(std::is_same_v<T, std::vector<std::string>>);
      if (!v->is_array()) return wrong(path, expected);
      out.clear();
      for (std::size_t i = 0; i < v->size(); ++i) {
        const nlohmann::json& item = (*v)[i];
        if (!item.is_string()) return wrong(fmt::format("{}[{}]", path, i), "a string");
        out.push_back(item.get<std::string>());
      }
    }
    return {};
  }
  template <typename T>
  Status optional(const char* key, std::optional<T>& out, const char* expected) {
    if (!present(key)) return {};
    T value{};
    HL_STORE_CHECK(field(key, value, expected));
    out = std::move(value);
    return {};
  }

  const nlohmann::json& j_;
  std::string path_;
  std::vector<std::string> claimed_;
};

}  // namespace hotline::store
