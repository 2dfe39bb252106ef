#include "tts_renderer.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <vector>

extern char** environ;

namespace hotline::sip::media {
namespace {

// FNV-1a: stable across compilers and releases (std::hash is not promised to
// be), so a cache directory stays valid when the host is rebuilt.
std::uint64_t fnv1a(const std::string& bytes, std::uint64_t hash) {
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

std::filesystem::path tts_cache_file(const std::filesystem::path& cache_dir,
                                     const std::string& voice, const std::string& text) {
  std::uint64_t hash = fnv1a(voice, 0xcbf29ce484222325ULL);
  hash = fnv1a(std::string(1, '\0'), hash);  // "a"+"bc" and "ab"+"c" differ
  hash = fnv1a(text, hash);
  char name[32];
  std::snprintf(name, sizeof name, "tts-%016llx.wav", static_cast<unsigned long long>(hash));
  return cache_dir / name;
}

bool render_tts(const std::string& voice, const std::string& text,
                const std::filesystem::path& target, std::string* error) {
  static std::atomic<std::uint64_t> sequence{0};
  std::filesystem::path temp = target;
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++sequence);

  std::string program = "espeak-ng";
  std::string voice_flag = "-v";
  std::string write_flag = "-w";
  std::string temp_name = temp.string();
  std::string end_of_options = "--";  // text starting with '-' is spoken, not parsed
  std::string spoken = text;
  std::vector<char*> argv = {program.data(),  voice_flag.data(), const_cast<char*>(voice.c_str()),
                             write_flag.data(), temp_name.data(), end_of_options.data(),
                             spoken.data(),   nullptr};
  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
  if (spawn_error != 0) {
    *error = "cannot run espeak-ng: " + std::string(std::strerror(spawn_error));
    return false;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      *error = std::string("cannot wait for espeak-ng: ") + std::strerror(errno);
      return false;
    }
  }
  std::error_code ignored;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::filesystem::remove(temp, ignored);
    *error = "espeak-ng failed for voice '" + voice + "' (" + describe_exit(status) + ")";
    return false;
  }
  std::error_code rename_error;
  std::filesystem::rename(temp, target, rename_error);
  if (rename_error) {
    std::filesystem::remove(temp, ignored);
    *error = "cannot store the rendered prompt as '" + target.string() +
             "': " + rename_error.message();
    return false;
  }
  return true;
}

}  // namespace hotline::sip::media
