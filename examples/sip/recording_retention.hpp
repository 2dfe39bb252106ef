// How long the host keeps its recordings: WAV files older than the
// configured number of days are deleted from the recordings folder, at
// start and then every hour (docs/sip-host.md, "Recordings").
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace hotline::sip {

struct SweepResult {
  int removed = 0;
  std::string error;  // the first file or folder that could not be read or removed
};

// Removes the `.wav` files directly in `folder` last written before
// `now - keep`. Anything else (other files, folders, links) is left alone,
// so a recordings folder shared with other data loses nothing but
// recordings. A missing folder removes nothing and is no error.
SweepResult sweep_recordings(const std::filesystem::path& folder,
                             std::filesystem::file_time_type now, std::chrono::hours keep);

}  // namespace hotline::sip
