// The recordings sweep: old WAV recordings go, everything else stays.
#include "recording_retention.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "temp_dir.hpp"

using namespace hotline::sip;
namespace fs = std::filesystem;

namespace {

fs::path write(const fs::path& file, fs::file_time_type written) {
  std::ofstream(file) << "RIFF";
  fs::last_write_time(file, written);
  return file;
}

}  // namespace

TEST_CASE("recordings older than the keeping time are deleted and nothing else is") {
  hotline::testing::TempDir dir("hotline-retention");
  const fs::path folder = dir.path();
  const auto now = fs::file_time_type::clock::now();
  const auto days = [](int n) { return std::chrono::hours(24 * n); };
  write(folder / "c1-old.wav", now - days(31));
  write(folder / "c2-older.wav", now - days(400));
  write(folder / "c3-recent.wav", now - days(29));
  write(folder / "notes.txt", now - days(400));  // not a recording
  fs::create_directory(folder / "archive.wav");   // a folder, whatever its name
  write(folder / "archive.wav" / "c4-old.wav", now - days(400));  // not directly in the folder
  fs::create_symlink(folder / "c3-recent.wav", folder / "link.wav");
  fs::last_write_time(folder / "c3-recent.wav", now - days(29));

  const SweepResult swept = sweep_recordings(folder, now, days(30));
  CHECK(swept.removed == 2);
  CHECK(swept.error.empty());
  CHECK_FALSE(fs::exists(folder / "c1-old.wav"));
  CHECK_FALSE(fs::exists(folder / "c2-older.wav"));
  CHECK(fs::exists(folder / "c3-recent.wav"));
  CHECK(fs::exists(folder / "notes.txt"));
  CHECK(fs::exists(folder / "archive.wav" / "c4-old.wav"));
  CHECK(fs::is_symlink(folder / "link.wav"));

  // A second sweep finds nothing more to do.
  CHECK(sweep_recordings(folder, now, days(30)).removed == 0);
}

TEST_CASE("a recordings folder that does not exist is swept without error") {
  hotline::testing::TempDir dir("hotline-retention");
  const SweepResult swept =
      sweep_recordings(dir.path() / "never-made", fs::file_time_type::clock::now(),
                       std::chrono::hours(24));
  CHECK(swept.removed == 0);
  CHECK(swept.error.empty());
}
