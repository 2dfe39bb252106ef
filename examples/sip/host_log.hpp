// The host's readable log on stderr: one line per event worth a person's
// attention, with a level, filtered by --log-level. Lines from the three
// threads never interleave within a line.
#pragma once

#include <string>

#include <fmt/format.h>

namespace hotline::sip {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

// Parses "debug", "info", "warn" or "error"; false for anything else.
bool parse_log_level(const std::string& text, LogLevel& out);
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void write_log_line(LogLevel level, const std::string& line);

template <typename... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  if (!log_enabled(level)) return;
  write_log_line(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace hotline::sip
