// A folder under the system's temporary directory for a benchmark's store
// files, removed with everything in it when the benchmark is done.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace hotline::bench {

class ScratchDir {
 public:
  ScratchDir() {
    std::string p = (std::filesystem::temp_directory_path() / "hotline-bench-XXXXXX").string();
    if (mkdtemp(p.data()) == nullptr) std::abort();
    path_ = p;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace hotline::bench
