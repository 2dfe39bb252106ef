// Writes the engine's notifications to a file in Asterisk's queue_log
// format (metrics/queue_log.hpp), so reporting tools written for app_queue
// read Hotline's history. The file is opened for appending and every line
// is flushed as it is written: a crash loses nothing already reported, and
// another process may tail the file. docs/metrics.md lists the mapping.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>

#include "hotline/engine/notification.hpp"
#include "hotline/metrics/queue_log.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

class QueueLogWriter {
 public:
  // Opens (creating it if needed) `path` for appending.
  static Result<std::unique_ptr<QueueLogWriter>> open(const std::string& path);

  // Writes the line(s) `n` stands for, if any; an error when the file
  // refused them (a full disk...).
  Status on(const engine::Notification& n);

  const std::string& path() const noexcept { return path_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  // What a line needs of a contact's earlier events.
  struct Waiting {
    int original_position = 1;
    TimeMs connected_at = -1;  // -1: not answered
    DurationMs waited = 0;
    bool overflowed = false;
  };

  QueueLogWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  Status write(const std::string& line);

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  metrics::QueueLogFormatter format_;
  std::unordered_map<std::string, std::string> callers_;  // call id → caller id
  std::unordered_map<std::uint64_t, Waiting> contacts_;   // by contact
  std::unordered_map<std::uint64_t, TimeMs> offers_;      // reservation → rung at
  std::unordered_map<std::string, TimeMs> logged_in_;     // agent → logged in at
};

}  // namespace hotline::runtime
