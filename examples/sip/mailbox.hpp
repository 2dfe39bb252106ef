// The one door into the SIP thread. Any thread may post; the SIP thread
// takes everything waiting in one go when libre's mqueue wakes it. The
// messages wait in a locked list rather than inside the mqueue's pipe so
// that shutdown can take what is left, and so that a thread posting after
// the SIP thread closed the door only loses its message, never touches a
// freed queue.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

struct mqueue;

namespace hotline::sip {

class Mailbox {
 public:
  using Message = std::function<void()>;  // runs on the SIP thread

  // On the SIP thread, inside libre's loop.
  bool open();
  void close();  // the door shuts: later posts are dropped, waiting ones discarded

  void post(Message message);  // any thread

 private:
  static void wake(int id, void* data, void* arg);
  void drain();

  std::mutex lock_;
  std::deque<Message> waiting_;
  struct mqueue* queue_ = nullptr;
  bool wake_pending_ = false;
};

}  // namespace hotline::sip
