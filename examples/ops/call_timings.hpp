// Per-queue histograms of how long callers waited before an agent answered
// and how long agents spent on each contact (answer to the end of wrap-up:
// talk, hold and after-call work), built from the engine's routing
// notifications. Contacts that end without an answer leave no wait sample
// here (the abandon counters say how many there were).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "histogram.hpp"
#include "hotline/engine/notification.hpp"

namespace hotline::ops {

struct QueueTimings {
  Histogram wait_seconds;
  Histogram handle_seconds;
};

class CallTimings {
 public:
  CallTimings(std::vector<double> wait_bounds_seconds, std::vector<double> handle_bounds_seconds);

  void observe(const engine::Notification& n);

  // Queue id → its histograms; a queue appears once a contact joined it.
  const std::map<std::string, QueueTimings>& queues() const noexcept { return queues_; }
  QueueTimings& queue(const std::string& queue_id);

  // Contacts being followed (waiting or in a conversation): bounded by the
  // live contacts, since each is forgotten when it ends.
  std::size_t followed() const noexcept { return waiting_since_.size() + handling_since_.size(); }

 private:
  struct Since {
    TimeMs time = 0;
    std::string queue_id;
  };
  std::vector<double> wait_bounds_;
  std::vector<double> handle_bounds_;
  std::map<std::string, QueueTimings> queues_;
  std::unordered_map<std::uint64_t, Since> waiting_since_;   // contact → queued
  std::unordered_map<std::uint64_t, Since> handling_since_;  // contact → answered
};

}  // namespace hotline::ops
