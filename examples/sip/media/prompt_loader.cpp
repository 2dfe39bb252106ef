#include "prompt_loader.hpp"

#include <memory>
#include <system_error>

#include "tts_renderer.hpp"
#include "wav_reader.hpp"

namespace hotline::sip::media {
namespace {

// 32 MB of decoded audio: about 35 minutes of distinct prompts at 8 kHz.
constexpr std::size_t kCacheSamples = 16 * 1024 * 1024;

}  // namespace

struct PromptLoader::Job {
  uv_work_t request{};
  PromptLoader* owner = nullptr;
  std::string key;
  Prompt prompt;
  std::filesystem::path file;  // audio: the file; tts: its cache entry
  std::string voice;
  bool rendered = false;
  AudioClip clip;
  std::string error;
};

std::filesystem::path resolve_under(const std::filesystem::path& root, const std::string& name,
                                    std::string* error) {
  std::filesystem::path relative(name);
  if (name.empty()) {
    *error = "the file name is empty";
    return {};
  }
  if (relative.is_absolute()) {
    *error = "'" + name + "' is an absolute path; it must be relative to its directory";
    return {};
  }
  for (const auto& part : relative.lexically_normal()) {
    if (part == "..") {
      *error = "'" + name + "' climbs out of its directory with '..'";
      return {};
    }
  }
  return root / relative.lexically_normal();
}

PromptLoader::PromptLoader(uv_loop_t* loop, std::filesystem::path audio_root,
                           std::filesystem::path cache_dir, std::string voice,
                           std::atomic<std::uint64_t>* tts_renders)
    : loop_(loop),
      audio_root_(std::move(audio_root)),
      cache_dir_(std::move(cache_dir)),
      voice_(std::move(voice)),
      tts_renders_(tts_renders),
      cache_(kCacheSamples) {}

void PromptLoader::load(const Prompt& prompt, Done done) {
  auto job = std::make_unique<Job>();
  job->prompt = prompt;
  if (prompt.kind == Prompt::Kind::audio) {
    std::string error;
    job->file = resolve_under(audio_root_, prompt.value, &error);
    if (job->file.empty()) {
      done(nullptr, "audio prompt refused: " + error);
      return;
    }
    job->key = "audio\n" + job->file.string();
  } else {
    if (prompt.value.empty()) {
      done(nullptr, "tts prompt refused: the text is empty");
      return;
    }
    job->voice = voice_;
    job->file = tts_cache_file(cache_dir_, voice_, prompt.value);
    job->key = "tts\n" + voice_ + "\n" + prompt.value;
  }
  if (SharedClip hit = cache_.find(job->key)) {
    done(hit, {});
    return;
  }
  auto& waiters = waiting_[job->key];
  waiters.push_back(std::move(done));
  if (waiters.size() > 1) return;  // the first request's load serves this one too

  job->owner = this;
  job->request.data = job.get();
  int status = uv_queue_work(loop_, &job->request, &PromptLoader::work, &PromptLoader::after_work);
  if (status != 0) {
    finish(job->key, nullptr, std::string("cannot queue the prompt load: ") + uv_strerror(status));
    return;
  }
  job.release();  // owned by the request until after_work
}

void PromptLoader::work(uv_work_t* request) {
  auto* job = static_cast<Job*>(request->data);
  if (job->prompt.kind == Prompt::Kind::tts) {
    std::error_code ignored;
    if (!std::filesystem::exists(job->file, ignored)) {
      if (!render_tts(job->voice, job->prompt.value, job->file, &job->error)) return;
      job->rendered = true;
    }
  }
  job->clip = read_audio_file(job->file, &job->error);
}

void PromptLoader::after_work(uv_work_t* request, int status) {
  std::unique_ptr<Job> job(static_cast<Job*>(request->data));
  PromptLoader* self = job->owner;
  if (job->rendered) self->tts_renders_->fetch_add(1, std::memory_order_relaxed);
  std::string what = job->prompt.kind == Prompt::Kind::audio
                         ? "audio prompt '" + job->prompt.value + "'"
                         : "tts prompt \"" + job->prompt.value + "\"";
  if (status == UV_ECANCELED) {
    self->finish(job->key, nullptr, what + ": the load was cancelled");
  } else if (!job->error.empty()) {
    self->finish(job->key, nullptr, what + ": " + job->error);
  } else {
    auto clip = std::make_shared<const AudioClip>(std::move(job->clip));
    self->cache_.insert(job->key, clip);
    self->finish(job->key, clip, {});
  }
}

void PromptLoader::finish(const std::string& key, const SharedClip& clip,
                          const std::string& error) {
  auto found = waiting_.find(key);
  if (found == waiting_.end()) return;
  std::vector<Done> waiters = std::move(found->second);
  waiting_.erase(found);
  for (auto& done : waiters) done(clip, error);
}

}  // namespace hotline::sip::media
