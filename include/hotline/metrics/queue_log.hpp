// Asterisk's queue_log format, so reporting tools written for app_queue can
// read Hotline's history: one line per event,
//   epoch|callid|queuename|agent|event|data1|data2|...
// The formatter only builds lines; where they go (a file, a socket, a
// database) is the host's business.
#pragma once

#include <string>
#include <string_view>

#include "hotline/util/time.hpp"

namespace hotline::metrics {

class QueueLogFormatter {
 public:
  // Times are epoch milliseconds; queue_log carries whole seconds.
  std::string enter_queue(TimeMs at, std::string_view call, std::string_view queue,
                          std::string_view caller_id, int position) const;
  std::string connect(TimeMs at, std::string_view call, std::string_view queue,
                      std::string_view agent, DurationMs hold, DurationMs ring) const;
  std::string complete(TimeMs at, std::string_view call, std::string_view queue,
                       std::string_view agent, bool by_caller, DurationMs hold,
                       DurationMs talk, int original_position) const;
  std::string abandon(TimeMs at, std::string_view call, std::string_view queue, int position,
                      int original_position, DurationMs waited) const;
  std::string exit_with_timeout(TimeMs at, std::string_view call, std::string_view queue,
                                int position, int original_position, DurationMs waited) const;
  std::string exit_with_key(TimeMs at, std::string_view call, std::string_view queue, char key,
                            int position, int original_position, DurationMs waited) const;
  // The caller left the queue without a timeout, an abandon or a key: taken
  // out by the host or the IVR (Asterisk's EXITEMPTY carries the same data).
  std::string exit_empty(TimeMs at, std::string_view call, std::string_view queue, int position,
                         int original_position, DurationMs waited) const;
  std::string ring_no_answer(TimeMs at, std::string_view call, std::string_view queue,
                             std::string_view agent, DurationMs ring) const;
  std::string blind_transfer(TimeMs at, std::string_view call, std::string_view queue,
                             std::string_view agent, std::string_view target, DurationMs hold,
                             DurationMs talk, int original_position) const;
  std::string agent_login(TimeMs at, std::string_view agent) const;
  std::string agent_logoff(TimeMs at, std::string_view agent, DurationMs logged_in) const;
  std::string pause(TimeMs at, std::string_view agent, std::string_view reason) const;
  std::string unpause(TimeMs at, std::string_view agent) const;
};

}  // namespace hotline::metrics
