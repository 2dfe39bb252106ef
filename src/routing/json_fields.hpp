// Readers for the fields of the routing configuration's JSON objects. Each
// refusal names the JSON path of the offending value; an absent optional
// field leaves its output as it was, so callers start from the defaults.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/ivr/prompt.hpp"
#include "hotline/routing/types.hpp"
#include "hotline/util/result.hpp"
#include "hotline/util/time.hpp"

namespace hotline::routing::json_fields {

Error bad(std::string_view path, std::string_view what);
std::string child(std::string_view path, std::string_view key);
std::string item(std::string_view path, std::size_t i);

// "<path>.<key>: unknown field (expected one of: a, b, c)", with the keys
// in `known`'s order: the one format for unknown keys across the project.
Status check_keys(const nlohmann::json& obj, std::string_view path,
                  std::initializer_list<std::string_view> known);

Status read_string(const nlohmann::json& obj, const char* key, std::string_view path,
                   std::string& out);
Status read_int(const nlohmann::json& obj, const char* key, std::string_view path, int& out,
                int min, int max);
Status read_bool(const nlohmann::json& obj, const char* key, std::string_view path, bool& out);
// Seconds (fractions allowed) kept in milliseconds; null means never.
Status read_seconds(const nlohmann::json& obj, const char* key, std::string_view path,
                    DurationMs& out);
// ["billing", ...] (level 1 each) or {"billing": 3, ...}.
Status read_skills(const nlohmann::json& obj, const char* key, std::string_view path,
                   std::vector<std::pair<std::string, int>>& out);
// One prompt or a list, as IVR play nodes take them: "file.wav",
// "tts:text", {"audio": "uri"} or {"tts": "text"}.
Status read_prompts(const nlohmann::json& obj, const char* key, std::string_view path,
                    std::vector<ivr::Prompt>& out);
Status read_channel(const nlohmann::json& obj, std::string_view path, Channel& out);

}  // namespace hotline::routing::json_fields

// Returns the error of a Status-returning expression from the enclosing
// function, which may return Status or Result<T>.
#define HL_TRY(expr)                 \
  do {                               \
    if (auto st_ = (expr); !st_) {   \
      return std::move(st_).error(); \
    }                                \
  } while (0)
