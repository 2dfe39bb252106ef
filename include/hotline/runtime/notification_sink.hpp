// Where the driver hands the engine's notifications, and the errors of the
// host's own callbacks (host_error): the C ABI's listener or polling queue,
// a test, a log.
#pragma once

#include <string>
#include <utility>

#include "hotline/engine/notification.hpp"
#include "hotline/util/result.hpp"

namespace hotline::runtime {

// Something the host asked for or was asked to do that failed: a telephony
// function (`what` is the command's kind), an event posted to the loop
// (`what` is "post"), or a call the engine refused from inside a callback.
struct HostError {
  HostError(std::string what_, std::string call_id_, Error error_, TimeMs time_,
            std::string event_ = {})
      : what(std::move(what_)),
        call_id(std::move(call_id_)),
        error(std::move(error_)),
        time(time_),
        event(std::move(event_)) {}

  std::string what;
  std::string call_id;  // empty when no call is concerned
  Error error;
  TimeMs time = 0;      // the engine's time when it was reported
  std::string event;    // "post": the kind of the event refused ("hold", ...), when known
};

class NotificationSink {
 public:
  virtual ~NotificationSink() = default;
  virtual void notification(const engine::Notification& n) = 0;
  virtual void host_error(const HostError& e) = 0;
};

}  // namespace hotline::runtime
