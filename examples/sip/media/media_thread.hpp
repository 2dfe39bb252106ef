// The media plane's thread and its libuv loop, and the one door into it from
// other threads: a mutex-protected queue of requests that a uv_async_t wakes
// the loop to run, in the order they were posted.
#pragma once

#include <uv.h>

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hotline::sip::media {

class MediaThread {
 public:
  using Request = std::function<void()>;

  MediaThread() = default;
  MediaThread(const MediaThread&) = delete;
  MediaThread& operator=(const MediaThread&) = delete;
  ~MediaThread();

  // Creates the loop and starts the thread; `on_start` runs first on it.
  bool start(Request on_start, std::string* error);
  // Safe from any thread; requests posted after stop() are dropped.
  void post(Request request);
  // Runs `on_stop` on the media thread (it must close every handle it
  // opened), then waits for the loop to drain and the thread to end.
  void stop(Request on_stop);

  uv_loop_t* loop() { return &loop_; }

 private:
  static void on_async(uv_async_t* async);
  void drain();

  uv_loop_t loop_{};
  uv_async_t async_{};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Request> queue_;
  std::vector<Request> running_;  // media thread only: the batch being run
  bool accepting_ = false;
  bool started_ = false;
};

}  // namespace hotline::sip::media
