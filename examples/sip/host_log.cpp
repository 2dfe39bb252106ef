#include "host_log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace hotline::sip {

namespace {
std::atomic<int> threshold{static_cast<int>(LogLevel::info)};
std::mutex write_lock;
const char* const level_names[] = {"debug", "info", "warn", "error"};
}  // namespace

bool parse_log_level(const std::string& text, LogLevel& out) {
  for (int i = 0; i < 4; ++i) {
    if (text == level_names[i]) {
      out = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

void set_log_level(LogLevel level) { threshold = static_cast<int>(level); }

bool log_enabled(LogLevel level) { return static_cast<int>(level) >= threshold.load(); }

void write_log_line(LogLevel level, const std::string& line) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::lock_guard<std::mutex> lock(write_lock);
  std::fprintf(stderr, "%lld.%03lld %-5s %s\n", static_cast<long long>(now / 1000),
               static_cast<long long>(now % 1000), level_names[static_cast<int>(level)],
               line.c_str());
}

}  // namespace hotline::sip
