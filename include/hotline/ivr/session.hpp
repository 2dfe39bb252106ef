// One IVR session per call: the interpreter of a Flow. Sans-IO: events go in
// with their time, Directives (telephony, host, queue and timer requests) come
// out into a vector the caller acts on. A session never blocks and never
// reads a clock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/expr/attributes.hpp"
#include "hotline/ivr/flow.hpp"
#include "hotline/util/calendar.hpp"

namespace hotline::ivr {

struct QueueStatus {
  int waiting = 0;
  int agents_available = 0;
  int agents_logged_in = 0;
  DurationMs expected_wait_ms = 0;
  int position = 0;  // of this call, when it is queued; else 0
};

// What sessions need from their surroundings; the engine implements it.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual QueueStatus queue_status(std::string_view queue, std::string_view call_id) const = 0;
  virtual const Calendar* calendar(std::string_view id) const = 0;
  virtual std::shared_ptr<const Flow> flow(std::string_view id) const = 0;
  // How long a request to the host (a ticket; a lookup whose node sets no
  // timeout_seconds) waits for its result before the node's timeout exit.
  virtual DurationMs host_timeout_ms() const { return kDefaultHostTimeoutMs; }
};

struct Directive {
  enum class Kind : std::uint8_t {
    kAnswer,
    kPlay,          // prompts, barge_in, loop (music on hold)
    kStopPlayback,
    kCollect,       // min/max digits, terminator: the host starts DTMF detection
    kRecord,        // max_ms, finish_key
    kTransfer,      // target
    kHangup,
    kEnqueue,       // queue, priority, skills, data (attributes; null when the node has none)
    kLeaveQueue,    // abandoned: the caller hung up, rather than the flow moving on
    kLookup,        // request_id, target = function, data = arguments
    kCreateTicket,  // request_id, data = fields
    kRegisterCallback,  // queue, target = number; keep_place when leaving a queue for it
    kStartTimer,    // deadline; replaces the session's one pending timer
    kCancelTimer,
    kError,         // target = what went wrong at run time, and where
  };
  Kind kind;
  std::vector<Prompt> prompts;
  bool barge_in = false;
  bool loop = false;
  bool abandoned = false;
  bool keep_place = false;
  int min_digits = 0;
  int max_digits = 0;
  char terminator = 0;
  char finish_key = 0;
  DurationMs max_ms = 0;
  int priority = 0;
  std::uint64_t request_id = 0;
  TimeMs deadline = 0;
  std::string queue;
  std::string target;
  std::vector<std::pair<std::string, int>> skills;
  nlohmann::json data;
};

struct CallFacts {
  std::string call_id;
  std::string caller;
  std::string dialled;
  std::string channel = "voice";
  TimeMs start = 0;
};

enum class QueueOutcome : std::uint8_t { kAnswered, kOverflow, kNoAgents, kAgentDone };

class Session {
 public:
  Session(std::shared_ptr<const Flow> flow, const Environment& env, CallFacts call,
          const expr::Attributes* customer = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start(TimeMs now, std::vector<Directive>& out);
  void digit(char d, TimeMs now, std::vector<Directive>& out);
  void prompt_done(TimeMs now, std::vector<Directive>& out);
  void timer_fired(TimeMs now, std::vector<Directive>& out);
  void host_result(std::uint64_t request_id, bool ok, const nlohmann::json& result, TimeMs now,
                   std::vector<Directive>& out);
  void recording_done(std::string_view recording, TimeMs now, std::vector<Directive>& out);
  void queue_outcome(QueueOutcome outcome, TimeMs now, std::vector<Directive>& out);
  void hangup(TimeMs now, std::vector<Directive>& out);

  bool finished() const noexcept;
  bool queued() const noexcept;
  const std::string& queue() const noexcept;  // the queue it is in, or was last in
  std::string_view current_node() const noexcept;
  const expr::Attributes& variables() const;  // call, customer, vars, input, ...
  // The ids of the nodes entered so far, in order (the first 64 of them).
  const std::vector<std::string>& path() const noexcept;
  // What the caller's collect nodes accepted: variable → digits, in the order
  // first collected (collecting a variable again replaces its digits).
  const std::vector<std::pair<std::string, std::string>>& entered_digits() const noexcept;
  std::string_view call_id() const noexcept;
  const Flow& flow() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace hotline::ivr
