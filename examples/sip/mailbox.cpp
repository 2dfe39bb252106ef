#include "mailbox.hpp"

#include <re.h>

namespace hotline::sip {

bool Mailbox::open() { return mqueue_alloc(&queue_, &Mailbox::wake, this) == 0; }

void Mailbox::close() {
  std::deque<Message> dropped;
  {
    std::lock_guard<std::mutex> guard(lock_);
    dropped.swap(waiting_);
    queue_ = static_cast<struct mqueue*>(mem_deref(queue_));
  }
}

void Mailbox::post(Message message) {
  std::lock_guard<std::mutex> guard(lock_);
  if (!queue_) return;
  waiting_.push_back(std::move(message));
  // One wake-up is enough for any number of messages: drain takes them all.
  if (!wake_pending_ && mqueue_push(queue_, 0, nullptr) == 0) wake_pending_ = true;
}

void Mailbox::wake(int, void*, void* arg) { static_cast<Mailbox*>(arg)->drain(); }

void Mailbox::drain() {
  std::deque<Message> batch;
  {
    std::lock_guard<std::mutex> guard(lock_);
    batch.swap(waiting_);
    wake_pending_ = false;
  }
  for (auto& message : batch) message();
}

}  // namespace hotline::sip
