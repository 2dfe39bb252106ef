#include "queue_tally.hpp"

namespace hotline::routing {

void QueueTally::count(const Output& o, DurationMs service_level_ms) noexcept {
  switch (o.kind) {
    case Output::Kind::kContactQueued: ++offered; break;
    case Output::Kind::kContactRefused: ++refused; break;
    case Output::Kind::kOfferAccepted:  // value: the wait
      ++answered;
      total_wait_answered_ms += o.value;
      if (o.value <= service_level_ms) ++answered_within_sl;
      break;
    case Output::Kind::kContactCompleted: talk_ms += o.value; break;  // value: the talk
    case Output::Kind::kContactAbandoned: ++abandoned; break;
    case Output::Kind::kContactRemoved: ++removed; break;
    case Output::Kind::kQueueOverflow: ++overflowed; break;
    default: break;
  }
}

}  // namespace hotline::routing
