#include "hotline/store/script_template.hpp"

#include <algorithm>

namespace hotline::store {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// The value at a dotted path, or nullptr.
const nlohmann::json* lookup(const nlohmann::json& context, std::string_view path) {
  const nlohmann::json* at = &context;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at;
}

}  // namespace

RenderedScript render_placeholders(std::string_view text, const nlohmann::json& context) {
  RenderedScript out;
  out.text.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out.text += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out.text += text[i++];
      continue;
    }
    std::size_t end = i + 2;
    while (end < text.size() && is_name_char(text[end])) ++end;
    const std::string_view name = text.substr(i + 2, end - i - 2);
    if (end >= text.size() || text[end] != '}' || name.empty()) {
      // Not a placeholder ("${" without a name and "}"): kept as written.
      out.text += "${";
      i += 2;
      continue;
    }
    const nlohmann::json* value = lookup(context, name);
    if (value && value->is_string()) {
      out.text += value->get_ref<const std::string&>();
    } else if (value && (value->is_number() || value->is_boolean())) {
      out.text += value->dump();
    } else {
      out.text += text.substr(i, end + 1 - i);
      if (std::find(out.missing.begin(), out.missing.end(), name) == out.missing.end()) {
        out.missing.emplace_back(name);
      }
    }
    i = end + 1;
  }
  return out;
}

}  // namespace hotline::store
