// libre's timer functions (re_tmr.h), defined by the program over a binary heap.
//
// libre 1.1.0 keeps a thread's timers in one list sorted by expiry, and
// tmr_start walks it from the far end to find the new timer's place. A UDP
// B2BUA holds a timer per finished transaction for 32 s (64*T1: Timer J for
// the caller's BYE, the ACK kept for the agent leg's retransmitted 200), so
// at 200 calls a second the list holds about 13,000 timers, and every short
// timer (T1 retransmissions, Timer K) walks nearly all of them: half the SIP
// thread's time went there, the host fell behind by 500 ms, the phones
// retransmitted, and each retransmission walked the list again.
//
// libre calls its own tmr_* functions through its procedure linkage table.
// A program that defines them with default visibility has them in its dynamic
// symbol table (the linker exports what a linked library refers to), and the
// dynamic linker binds libre's calls to the program's definitions. Here they keep each thread's timers in a binary
// heap: O(log n) to start, cancel or expire one. The contract is libre's:
// struct tmr is public (re_tmr.h), `th` is non-null exactly while the timer
// is pending (tmr_isrunning reads it inline), timers that expire together
// run in the order they were started, and tmr_next_timeout answers 0 for "no
// timer" and 1 for "overdue". The `le` member is ours while the timer is in
// the heap: `le.data` holds its position, for cancelling without a search.
// tests/sip/unit/libre_timers_test.cpp checks both the contract and that
// libre's SIP stack really lands here.
#include "libre_timers.hpp"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include <re.h>  // after the standard headers, whose types it uses without including them

namespace {

struct Pending {
  std::uint64_t expires;
  std::uint64_t order;  // start order, so timers due together keep it
  struct tmr* timer;
};

bool earlier(const Pending& a, const Pending& b) {
  return a.expires != b.expires ? a.expires < b.expires : a.order < b.order;
}

class TimerHeap {
 public:
  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  const Pending& top() const { return heap_.front(); }

  void push(struct tmr* timer) {
    heap_.push_back(Pending{timer->jfs, next_order_++, timer});
    place(heap_.size() - 1);
    rise(heap_.size() - 1);
  }

  // Removes a pending timer; false when it is not in this thread's heap.
  bool remove(struct tmr* timer) {
    std::size_t at = position(timer);
    if (at >= heap_.size() || heap_[at].timer != timer) return false;
    timer->le.data = nullptr;
    std::size_t last = heap_.size() - 1;
    if (at != last) {
      heap_[at] = heap_[last];
      place(at);
      heap_.pop_back();
      if (at > 0 && earlier(heap_[at], heap_[(at - 1) / 2])) {
        rise(at);
      } else {
        sink(at);
      }
    } else {
      heap_.pop_back();
    }
    return true;
  }

 private:
  static std::size_t position(const struct tmr* timer) {
    return reinterpret_cast<std::uintptr_t>(timer->le.data) - 1;
  }

  void place(std::size_t at) {
    heap_[at].timer->le.data = reinterpret_cast<void*>(static_cast<std::uintptr_t>(at + 1));
  }

  void swap(std::size_t a, std::size_t b) {
    std::swap(heap_[a], heap_[b]);
    place(a);
    place(b);
  }

  void rise(std::size_t at) {
    while (at > 0) {
      std::size_t parent = (at - 1) / 2;
      if (!earlier(heap_[at], heap_[parent])) return;
      swap(at, parent);
      at = parent;
    }
  }

  void sink(std::size_t at) {
    for (;;) {
      std::size_t first = at, left = 2 * at + 1, right = left + 1;
      if (left < heap_.size() && earlier(heap_[left], heap_[first])) first = left;
      if (right < heap_.size() && earlier(heap_[right], heap_[first])) first = right;
      if (first == at) return;
      swap(at, first);
      at = first;
    }
  }

  std::vector<Pending> heap_;
  std::uint64_t next_order_ = 0;
};

// One heap per thread, as libre keeps one list per thread: a thread's
// re_main polls the timers that thread started.
TimerHeap& timers() {
  thread_local TimerHeap heap;
  return heap;
}

}  // namespace

namespace hotline::sip {

std::size_t pending_libre_timers() { return timers().size(); }

}  // namespace hotline::sip

// Default visibility whatever the build's: a hidden definition would stay
// local to the program and libre would keep its own.
#define LIBRE_TIMER_FUNCTION __attribute__((visibility("default")))

extern "C" {

LIBRE_TIMER_FUNCTION void tmr_init(struct tmr* tmr) {
  if (tmr == nullptr) return;
  *tmr = {};
}

LIBRE_TIMER_FUNCTION void tmr_start(struct tmr* tmr, uint64_t delay, tmr_h* th, void* arg) {
  if (tmr == nullptr) return;
  if (tmr->th != nullptr) timers().remove(tmr);
  tmr->th = th;
  tmr->arg = arg;
  if (th == nullptr) return;
  tmr->jfs = tmr_jiffies() + delay;
  timers().push(tmr);
}

LIBRE_TIMER_FUNCTION void tmr_cancel(struct tmr* tmr) { tmr_start(tmr, 0, nullptr, nullptr); }

LIBRE_TIMER_FUNCTION uint64_t tmr_get_expire(const struct tmr* tmr) {
  if (tmr == nullptr || tmr->th == nullptr) return 0;
  const uint64_t now = tmr_jiffies();
  return tmr->jfs > now ? tmr->jfs - now : 0;
}

// The list argument is libre's own (empty) list; the heap replaces it.
LIBRE_TIMER_FUNCTION void tmr_poll(struct list* /*tmrl*/) {
  const uint64_t now = tmr_jiffies();
  TimerHeap& heap = timers();
  while (!heap.empty() && heap.top().expires <= now) {
    struct tmr* due = heap.top().timer;
    heap.remove(due);
    tmr_h* handler = due->th;
    void* arg = due->arg;
    due->th = nullptr;  // before the call: the handler may start it again
    if (handler != nullptr) handler(arg);
  }
}

LIBRE_TIMER_FUNCTION uint64_t tmr_next_timeout(struct list* /*tmrl*/) {
  const TimerHeap& heap = timers();
  if (heap.empty()) return 0;
  const uint64_t now = tmr_jiffies();
  return heap.top().expires > now ? heap.top().expires - now : 1;
}

LIBRE_TIMER_FUNCTION int tmr_status(struct re_printf* pf, void* /*unused*/) {
  return re_hprintf(pf, "Timers (%zu)\n", timers().size());
}

LIBRE_TIMER_FUNCTION void tmr_debug(void) {
  if (!timers().empty()) re_fprintf(stderr, "%H", tmr_status, nullptr);
}

}  // extern "C"
