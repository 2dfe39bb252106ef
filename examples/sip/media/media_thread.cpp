#include "media_thread.hpp"

namespace hotline::sip::media {

MediaThread::~MediaThread() { stop([] {}); }

bool MediaThread::start(Request on_start, std::string* error) {
  int status = uv_loop_init(&loop_);
  if (status != 0) {
    *error = std::string("cannot create the media loop: ") + uv_strerror(status);
    return false;
  }
  status = uv_async_init(&loop_, &async_, &MediaThread::on_async);
  if (status != 0) {
    *error = std::string("cannot create the media loop's wake-up: ") + uv_strerror(status);
    uv_loop_close(&loop_);
    return false;
  }
  async_.data = this;
  accepting_ = true;
  started_ = true;
  queue_.push_back(std::move(on_start));
  thread_ = std::thread([this] {
    drain();
    uv_run(&loop_, UV_RUN_DEFAULT);
  });
  return true;
}

void MediaThread::post(Request request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!accepting_) return;
    queue_.push_back(std::move(request));
  }
  uv_async_send(&async_);
}

void MediaThread::stop(Request on_stop) {
  if (!started_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!accepting_) return;
    queue_.push_back([this, on_stop = std::move(on_stop)] {
      on_stop();
      uv_close(reinterpret_cast<uv_handle_t*>(&async_), nullptr);
    });
    accepting_ = false;
  }
  uv_async_send(&async_);
  thread_.join();
  // Requests that raced with the stop are dropped: their legs are gone.
  queue_.clear();
  uv_loop_close(&loop_);
  started_ = false;
}

void MediaThread::on_async(uv_async_t* async) { static_cast<MediaThread*>(async->data)->drain(); }

void MediaThread::drain() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.swap(queue_);
  }
  for (auto& request : running_) request();
  running_.clear();
}

}  // namespace hotline::sip::media
