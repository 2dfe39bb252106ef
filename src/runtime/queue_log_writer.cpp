#include "hotline/runtime/queue_log_writer.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

namespace hotline::runtime {
namespace {

using routing::AgentState;
using K = routing::Output::Kind;

Error io_error(const std::string& path, int err) {
  return make_error(Errc::kIo, fmt::format("queue_log {}: {}", path, std::strerror(err)));
}

}  // namespace

Result<std::unique_ptr<QueueLogWriter>> QueueLogWriter::open(const std::string& path) {
  if (path.empty()) return make_error(Errc::kInvalidArgument, "queue_log: the path is empty");
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return io_error(path, errno);
  return std::unique_ptr<QueueLogWriter>(new QueueLogWriter(path, f));
}

Status QueueLogWriter::write(const std::string& line) {
  if (std::fputs(line.c_str(), file_.get()) == EOF || std::fputc('\n', file_.get()) == EOF ||
      std::fflush(file_.get()) != 0) {
    return io_error(path_, errno);
  }
  return {};
}

Status QueueLogWriter::on(const engine::Notification& n) {
  using NK = engine::Notification::Kind;
  if (n.kind == NK::kCallStarted) {
    callers_[n.call_id] = n.text;  // the caller's number
    return {};
  }
  if (n.kind == NK::kCallEnded) {
    callers_.erase(n.call_id);
    return {};
  }
  if (n.kind == NK::kTransferred) {
    // The contact's wait and talk when the notification names it.
    Waiting w;
    if (auto it = contacts_.find(n.contact); n.contact != 0 && it != contacts_.end()) {
      w = it->second;
    }
    const DurationMs talk = w.connected_at >= 0 ? n.time - w.connected_at : 0;
    return write(format_.blind_transfer(n.time, n.call_id, n.queue_id, n.agent_id, n.text,
                                        w.waited, talk, w.original_position));
  }
  if (n.kind != NK::kRouting) return {};
  const int position = static_cast<int>(n.value);
  switch (n.routing) {
    case K::kContactQueued: {
      Waiting& w = contacts_[n.contact];
      w = Waiting{};
      w.original_position = position > 0 ? position : 1;
      auto caller = callers_.find(n.call_id);
      return write(format_.enter_queue(n.time, n.call_id, n.queue_id,
                                       caller == callers_.end() ? "" : caller->second,
                                       w.original_position));
    }
    case K::kOffer:
      offers_[n.reservation] = n.time;
      return {};
    case K::kRescind:  // the offer withdrawn (the caller left while it rang): no line, no memory
      offers_.erase(n.reservation);
      return {};
    case K::kOfferTimedOut:
    case K::kOfferRejected: {
      TimeMs rung = n.time;
      if (auto it = offers_.find(n.reservation); it != offers_.end()) {
        rung = it->second;
        offers_.erase(it);
      }
      return write(format_.ring_no_answer(n.time, n.call_id, n.queue_id, n.agent_id,
                                          n.time - rung));
    }
    case K::kOfferAccepted: {  // value: the wait
      TimeMs rung = n.time;
      if (auto it = offers_.find(n.reservation); it != offers_.end()) {
        rung = it->second;
        offers_.erase(it);
      }
      Waiting& w = contacts_[n.contact];
      w.connected_at = n.time;
      w.waited = n.value;
      return write(format_.connect(n.time, n.call_id, n.queue_id, n.agent_id, n.value,
                                   n.time - rung));
    }
    case K::kContactCompleted: {  // value: the talk
      auto it = contacts_.find(n.contact);
      const Waiting w = it == contacts_.end() ? Waiting{} : it->second;
      if (it != contacts_.end()) contacts_.erase(it);
      // `text` says who hung up; a conversation that ended otherwise (a
      // transfer, a take-over) is written as the caller's completion, which
      // app_queue's tools read alike.
      const bool by_caller = n.text != "agent";
      return write(format_.complete(n.time, n.call_id, n.queue_id, n.agent_id, by_caller,
                                    w.waited, n.value, w.original_position));
    }
    case K::kContactAbandoned:  // value: the wait
    case K::kContactRemoved: {
      auto it = contacts_.find(n.contact);
      const Waiting w = it == contacts_.end() ? Waiting{} : it->second;
      if (it != contacts_.end()) contacts_.erase(it);
      if (n.routing == K::kContactAbandoned) {
        return write(format_.abandon(n.time, n.call_id, n.queue_id, 1, w.original_position,
                                     n.value));
      }
      // Taken out after its max wait (to voicemail, a callback...): a
      // timeout in app_queue's words; otherwise the host or the IVR took it.
      if (w.overflowed) {
        return write(format_.exit_with_timeout(n.time, n.call_id, n.queue_id, 1,
                                               w.original_position, n.value));
      }
      return write(format_.exit_empty(n.time, n.call_id, n.queue_id, 1, w.original_position,
                                      n.value));
    }
    case K::kQueueOverflow:
      // The caller is still in the queue until the flow moves it on (or an
      // agent answers): the line is written when it leaves.
      contacts_[n.contact].overflowed = true;
      return {};
    case K::kAgentStateChanged: {
      if (n.from == AgentState::kLoggedOut && n.to != AgentState::kLoggedOut) {
        logged_in_[n.agent_id] = n.time;
        Status st = write(format_.agent_login(n.time, n.agent_id));
        if (st && n.to == AgentState::kNotReady) st = write(format_.pause(n.time, n.agent_id, ""));
        return st;
      }
      if (n.to == AgentState::kLoggedOut) {
        TimeMs since = n.time;
        if (auto it = logged_in_.find(n.agent_id); it != logged_in_.end()) {
          since = it->second;
          logged_in_.erase(it);
        }
        return write(format_.agent_logoff(n.time, n.agent_id, n.time - since));
      }
      if (n.to == AgentState::kNotReady) return write(format_.pause(n.time, n.agent_id, ""));
      if (n.from == AgentState::kNotReady) return write(format_.unpause(n.time, n.agent_id));
      return {};
    }
    default: return {};
  }
}

}  // namespace hotline::runtime
