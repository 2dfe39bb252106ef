#include "call_timings.hpp"

namespace hotline::ops {

using engine::Notification;
using Kind = routing::Output::Kind;

CallTimings::CallTimings(std::vector<double> wait_bounds_seconds,
                         std::vector<double> handle_bounds_seconds)
    : wait_bounds_(std::move(wait_bounds_seconds)),
      handle_bounds_(std::move(handle_bounds_seconds)) {}

QueueTimings& CallTimings::queue(const std::string& queue_id) {
  auto found = queues_.find(queue_id);
  if (found == queues_.end()) {
    found = queues_.emplace(queue_id, QueueTimings{Histogram(wait_bounds_),
                                                   Histogram(handle_bounds_)}).first;
  }
  return found->second;
}

void CallTimings::observe(const Notification& n) {
  if (n.kind != Notification::Kind::kRouting || n.contact == 0) return;
  constexpr double kMsPerSecond = 1000.0;
  switch (n.routing) {
    case Kind::kContactQueued:
      // A requeue after a rejected offer keeps the first queuing time.
      waiting_since_.try_emplace(n.contact, Since{n.time, n.queue_id});
      queue(n.queue_id);
      break;
    case Kind::kOfferAccepted: {
      auto waited = waiting_since_.find(n.contact);
      std::string queue_id = n.queue_id;
      if (waited != waiting_since_.end()) {
        if (queue_id.empty()) queue_id = waited->second.queue_id;
        queue(queue_id).wait_seconds.observe(
            static_cast<double>(n.time - waited->second.time) / kMsPerSecond);
        waiting_since_.erase(waited);
      }
      if (!queue_id.empty()) handling_since_[n.contact] = Since{n.time, queue_id};
      break;
    }
    case Kind::kWrapUpEnded: {
      auto handled = handling_since_.find(n.contact);
      if (handled == handling_since_.end()) break;
      queue(handled->second.queue_id)
          .handle_seconds.observe(static_cast<double>(n.time - handled->second.time) /
                                  kMsPerSecond);
      handling_since_.erase(handled);
      break;
    }
    case Kind::kContactAbandoned:
    case Kind::kContactRemoved:
    case Kind::kQueueOverflow:
      waiting_since_.erase(n.contact);
      handling_since_.erase(n.contact);
      break;
    default: break;
  }
}

}  // namespace hotline::ops
