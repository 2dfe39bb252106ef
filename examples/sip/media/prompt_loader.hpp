// Turns a prompt ({"audio": file} or {"tts": text}) into decoded audio
// without blocking the media thread: cache hits answer at once; files are
// read, and texts rendered with espeak-ng, on libuv's worker pool. Requests
// for a prompt already being loaded wait for that one load. Media thread only.
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audio_clip.hpp"
#include "media_server.hpp"
#include "prompt_cache.hpp"

namespace hotline::sip::media {

class PromptLoader {
 public:
  // Called on the media thread: a clip, or null and an error naming the prompt.
  using Done = std::function<void(SharedClip clip, const std::string& error)>;

  PromptLoader(uv_loop_t* loop, std::filesystem::path audio_root,
               std::filesystem::path cache_dir, std::string voice,
               std::atomic<std::uint64_t>* tts_renders);

  void load(const Prompt& prompt, Done done);

 private:
  struct Job;
  static void work(uv_work_t* request);
  static void after_work(uv_work_t* request, int status);
  void finish(const std::string& key, const SharedClip& clip, const std::string& error);

  uv_loop_t* loop_;
  std::filesystem::path audio_root_;
  std::filesystem::path cache_dir_;
  std::string voice_;
  std::atomic<std::uint64_t>* tts_renders_;
  PromptCache cache_;
  std::unordered_map<std::string, std::vector<Done>> waiting_;
};

// The file an audio prompt names, or empty and `error` when the name is
// absolute or climbs out of audio_root with "..".
std::filesystem::path resolve_under(const std::filesystem::path& root, const std::string& name,
                                    std::string* error);

}  // namespace hotline::sip::media
