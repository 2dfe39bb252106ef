#include "json_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace hotline::routing::json_fields {

using nlohmann::json;

Error bad(std::string_view path, std::string_view what) {
  return make_error(Errc::kInvalidArgument, fmt::format("{}: {}", path, what));
}

// Spelled out by hand rather than through a format string: a path is made
// for every agent of a configuration, a million times for a large one.
std::string child(std::string_view path, std::string_view key) {
  std::string p;
  p.reserve(path.size() + 1 + key.size());
  p.append(path).append(1, '.').append(key);
  return p;
}

std::string item(std::string_view path, std::size_t i) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, i).ptr;
  std::string p;
  p.reserve(path.size() + 2 + static_cast<std::size_t>(end - digits));
  p.append(path).append(1, '[').append(digits, end).append(1, ']');
  return p;
}

Status check_keys(const json& obj, std::string_view path,
                  std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == key;
    if (!ok) {
      return bad(child(path, key),
                 fmt::format("unknown field (expected one of: {})", fmt::join(known, ", ")));
    }
  }
  return {};
}

Status read_string(const json& obj, const char* key, std::string_view path, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (!it->is_string()) return bad(child(path, key), "expected a string");
  out = it->get_ref<const std::string&>();
  return {};
}

namespace {

Status read_prompt(const json& p, const std::string& path, ivr::Prompt& out) {
  if (p.is_string()) {
    const std::string& s = p.get_ref<const std::string&>();
    if (s.empty()) return bad(path, "expected a prompt, not an empty string");
    if (s.rfind("tts:", 0) == 0) {
      out = ivr::Prompt{ivr::Prompt::Kind::kTts, s.substr(4)};
    } else {
      out = ivr::Prompt{ivr::Prompt::Kind::kAudio, s};
    }
    return {};
  }
  if (p.is_object()) {
    HL_TRY(check_keys(p, path, {"tts", "audio"}));
    if (p.size() == 1 && p.begin()->is_string()) {
      out = ivr::Prompt{p.contains("tts") ? ivr::Prompt::Kind::kTts : ivr::Prompt::Kind::kAudio,
                        p.begin()->get<std::string>()};
      return {};
    }
  }
  return bad(path,
             "expected a prompt: \"file.wav\", \"tts:text\", {\"audio\": ...} or {\"tts\": ...}");
}

}  // namespace

Status read_prompts(const json& obj, const char* key, std::string_view path,
                    std::vector<ivr::Prompt>& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  const std::string p = child(path, key);
  std::vector<ivr::Prompt> prompts;
  if (!it->is_array()) {
    HL_TRY(read_prompt(*it, p, prompts.emplace_back()));
  } else {
    for (std::size_t i = 0; i < it->size(); ++i) {
      HL_TRY(read_prompt((*it)[i], item(p, i), prompts.emplace_back()));
    }
  }
  out = std::move(prompts);
  return {};
}

Status read_int(const json& obj, const char* key, std::string_view path, int& out, int min,
                int max) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (!it->is_number_integer()) return bad(child(path, key), "expected an integer");
  // Unsigned values beyond INT64_MAX would wrap on the signed read below.
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    return bad(child(path, key), fmt::format("must be between {} and {}", min, max));
  }
  const auto v = it->get<std::int64_t>();
  if (v < min || v > max) {
    return bad(child(path, key), fmt::format("must be between {} and {}", min, max));
  }
  out = static_cast<int>(v);
  return {};
}

Status read_bool(const json& obj, const char* key, std::string_view path, bool& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (!it->is_boolean()) return bad(child(path, key), "expected true or false");
  out = it->get<bool>();
  return {};
}

Status read_seconds(const json& obj, const char* key, std::string_view path, DurationMs& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_null()) {
    out = kNever;
    return {};
  }
  if (!it->is_number()) return bad(child(path, key), "expected a number of seconds");
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < 0 || v > 1e9) {
    return bad(child(path, key), "expected a non-negative number of seconds");
  }
  out = static_cast<DurationMs>(std::llround(v * 1000));
  return {};
}

Status read_skills(const json& obj, const char* key, std::string_view path,
                   std::vector<std::pair<std::string, int>>& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  // The path is spelled out only for a refusal: a million agents' skills
  // are read on the way to a running engine.
  auto p = [&] { return child(path, key); };
  out.clear();
  if (it->is_array()) {  // ["billing", "french"]: level 1 each
    out.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) return bad(item(p(), i), "expected a skill name");
      out.emplace_back((*it)[i].get_ref<const std::string&>(), 1);
    }
    return {};
  }
  if (!it->is_object()) return bad(p(), "expected an object of skill levels");
  out.reserve(it->size());
  for (const auto& [name, level] : it->items()) {
    if (!level.is_number_integer() || level.get<std::int64_t>() < 0 ||
        level.get<std::int64_t>() > 1000) {
      return bad(child(p(), name), "expected a skill level between 0 and 1000");
    }
    out.emplace_back(name, static_cast<int>(level.get<std::int64_t>()));
  }
  return {};
}

Status read_channel(const json& obj, std::string_view path, Channel& out) {
  std::string name;
  if (auto st = read_string(obj, "channel", path, name); !st) return st;
  if (name.empty()) return {};
  auto c = parse_channel(name);
  if (!c) {
    return bad(child(path, "channel"),
               "expected " + std::string(channel_choices()) + ", found '" + name + "'");
  }
  out = *c;
  return {};
}

}  // namespace hotline::routing::json_fields
