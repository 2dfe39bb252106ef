// The program's own definitions of libre's timer functions (tmr_start,
// tmr_cancel, tmr_poll, ...): a binary heap per thread in place of libre
// 1.1.0's sorted list. libre_timers.cpp says why and how.
#pragma once

#include <cstddef>

namespace hotline::sip {

// Timers pending on the calling thread (libre's and the host's alike).
std::size_t pending_libre_timers();

}  // namespace hotline::sip
