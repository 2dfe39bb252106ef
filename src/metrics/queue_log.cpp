#include "hotline/metrics/queue_log.hpp"

#include <fmt/format.h>

namespace hotline::metrics {

namespace {

// Fields must not carry the separator or a line break: they would split the
// record for every parser downstream.
std::string clean(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '|' || c == '\n' || c == '\r') c = '_';
  }
  return out;
}

std::int64_t secs(DurationMs ms) { return ms / 1000; }

std::string line(TimeMs at, std::string_view call, std::string_view queue, std::string_view agent,
                 std::string_view event, std::string_view data) {
  std::string out = fmt::format("{}|{}|{}|{}|{}", at / 1000, clean(call), clean(queue),
                                clean(agent), event);
  if (!data.empty()) {
    out += '|';
    out += data;
  }
  return out;
}

}  // namespace

std::string QueueLogFormatter::enter_queue(TimeMs at, std::string_view call,
                                           std::string_view queue, std::string_view caller_id,
                                           int position) const {
  return line(at, call, queue, "NONE", "ENTERQUEUE",
              fmt::format("|{}|{}", clean(caller_id), position));
}

std::string QueueLogFormatter::connect(TimeMs at, std::string_view call, std::string_view queue,
                                       std::string_view agent, DurationMs hold,
                                       DurationMs ring) const {
  return line(at, call, queue, agent, "CONNECT",
              fmt::format("{}|{}|{}", secs(hold), clean(call), secs(ring)));
}

std::string QueueLogFormatter::complete(TimeMs at, std::string_view call, std::string_view queue,
                                        std::string_view agent, bool by_caller, DurationMs hold,
                                        DurationMs talk, int original_position) const {
  return line(at, call, queue, agent, by_caller ? "COMPLETECALLER" : "COMPLETEAGENT",
              fmt::format("{}|{}|{}", secs(hold), secs(talk), original_position));
}

std::string QueueLogFormatter::abandon(TimeMs at, std::string_view call, std::string_view queue,
                                       int position, int original_position,
                                       DurationMs waited) const {
  return line(at, call, queue, "NONE", "ABANDON",
              fmt::format("{}|{}|{}", position, original_position, secs(waited)));
}

std::string QueueLogFormatter::exit_with_timeout(TimeMs at, std::string_view call,
                                                 std::string_view queue, int position,
                                                 int original_position, DurationMs waited) const {
  return line(at, call, queue, "NONE", "EXITWITHTIMEOUT",
              fmt::format("{}|{}|{}", position, original_position, secs(waited)));
}

std::string QueueLogFormatter::exit_with_key(TimeMs at, std::string_view call,
                                             std::string_view queue, char key, int position,
                                             int original_position, DurationMs waited) const {
  return line(at, call, queue, "NONE", "EXITWITHKEY",
              fmt::format("{}|{}|{}|{}", key, position, original_position, secs(waited)));
}

std::string QueueLogFormatter::exit_empty(TimeMs at, std::string_view call,
                                          std::string_view queue, int position,
                                          int original_position, DurationMs waited) const {
  return line(at, call, queue, "NONE", "EXITEMPTY",
              fmt::format("{}|{}|{}", position, original_position, secs(waited)));
}

std::string QueueLogFormatter::ring_no_answer(TimeMs at, std::string_view call,
                                              std::string_view queue, std::string_view agent,
                                              DurationMs ring) const {
  return line(at, call, queue, agent, "RINGNOANSWER", fmt::format("{}", ring));
}

std::string QueueLogFormatter::blind_transfer(TimeMs at, std::string_view call,
                                              std::string_view queue, std::string_view agent,
                                              std::string_view target, DurationMs hold,
                                              DurationMs talk, int original_position) const {
  return line(at, call, queue, agent, "BLINDTRANSFER",
              fmt::format("{}|default|{}|{}|{}", clean(target), secs(hold), secs(talk),
                          original_position));
}

std::string QueueLogFormatter::agent_login(TimeMs at, std::string_view agent) const {
  return line(at, "NONE", "NONE", agent, "AGENTLOGIN", "");
}

std::string QueueLogFormatter::agent_logoff(TimeMs at, std::string_view agent,
                                            DurationMs logged_in) const {
  return line(at, "NONE", "NONE", agent, "AGENTLOGOFF", fmt::format("|{}", secs(logged_in)));
}

std::string QueueLogFormatter::pause(TimeMs at, std::string_view agent,
                                     std::string_view reason) const {
  return line(at, "NONE", "NONE", agent, "PAUSE", clean(reason));
}

std::string QueueLogFormatter::unpause(TimeMs at, std::string_view agent) const {
  return line(at, "NONE", "NONE", agent, "UNPAUSE", "");
}

}  // namespace hotline::metrics
