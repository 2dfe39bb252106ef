// A queue's running counts for queue_snapshot(). They are kept from the
// router's own outputs, the same facts the engine's KPI feed turns into the
// KPI collector's counts, so each fact is counted in one place here (the
// emit of its output) rather than beside each step that produces it.
#pragma once

#include <cstdint>

#include "hotline/routing/output.hpp"
#include "hotline/util/time.hpp"

namespace hotline::routing {

struct QueueTally {
  std::int64_t offered = 0;  // contacts that entered the queue
  std::int64_t answered = 0;
  std::int64_t answered_within_sl = 0;
  std::int64_t abandoned = 0;
  std::int64_t refused = 0;  // turned away at max length
  std::int64_t overflowed = 0;
  std::int64_t removed = 0;
  DurationMs talk_ms = 0;
  DurationMs total_wait_answered_ms = 0;

  // Counts what `o`, an output about this queue, says happened.
  void count(const Output& o, DurationMs service_level_ms) noexcept;
};

}  // namespace hotline::routing
