#include "recording_retention.hpp"

#include <system_error>

namespace hotline::sip {

namespace fs = std::filesystem;

SweepResult sweep_recordings(const fs::path& folder, fs::file_time_type now,
                             std::chrono::hours keep) {
  SweepResult result;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return result;
  const fs::file_time_type cutoff = now - keep;
  auto note = [&](const fs::path& what, const std::error_code& e) {
    if (result.error.empty()) result.error = what.string() + ": " + e.message();
  };
  fs::directory_iterator it(folder, ec);
  if (ec) {
    note(folder, ec);
    return result;
  }
  for (const fs::directory_entry& entry : it) {
    std::error_code e;
    // symlink_status: a link is never followed, nor removed.
    if (!fs::is_regular_file(entry.symlink_status(e)) || entry.path().extension() != ".wav") {
      continue;
    }
    const fs::file_time_type written = entry.last_write_time(e);
    if (e) {
      note(entry.path(), e);
      continue;
    }
    if (written >= cutoff) continue;
    if (fs::remove(entry.path(), e)) {
      ++result.removed;
    } else if (e) {
      note(entry.path(), e);
    }
  }
  return result;
}

}  // namespace hotline::sip
