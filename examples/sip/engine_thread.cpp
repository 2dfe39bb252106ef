#include "engine_thread.hpp"

#include <uv.h>

#include <filesystem>
#include <fstream>

#include "host_log.hpp"

namespace hotline::sip {

using nlohmann::json;

namespace {

// The loop's own handles, alive while the thread runs.
struct LoopHandles {
  uv_loop_t loop;
  uv_timer_t stats_timer;
  uv_async_t stop;
};

LoopHandles* handles_of(uv_handle_t* handle) {
  return static_cast<LoopHandles*>(handle->loop->data);
}

}  // namespace

// The vtable's functions: each copies what it was given and returns.
struct EngineThreadAccess {
  static EngineThread& self(void* user) { return *static_cast<EngineThread*>(user); }

  static int send(void* user, HostCommand command) {
    self(user).sink_(std::move(command));
    return HL_OK;
  }
  static HostCommand make(HostCommand::Kind kind, const char* call_id) {
    HostCommand command;
    command.kind = kind;
    command.call_id = call_id ? call_id : "";
    return command;
  }
  static int answer(void* user, const char* call_id) {
    return send(user, make(HostCommand::Kind::answer, call_id));
  }
  static int play(void* user, const char* call_id, const char* prompts_json, int barge_in,
                  int loop) {
    auto command = make(HostCommand::Kind::play, call_id);
    command.prompts_json = prompts_json ? prompts_json : "[]";
    command.barge_in = barge_in != 0;
    command.loop = loop != 0;
    return send(user, std::move(command));
  }
  // Version 4's play: the request id comes back in the play's prompt_done.
  static int play_request(void* user, uint64_t request_id, const char* call_id,
                          const char* prompts_json, int barge_in, int loop) {
    auto command = make(HostCommand::Kind::play, call_id);
    command.prompts_json = prompts_json ? prompts_json : "[]";
    command.barge_in = barge_in != 0;
    command.loop = loop != 0;
    command.request_id = request_id;
    return send(user, std::move(command));
  }
  static int stop_playback(void* user, const char* call_id) {
    return send(user, make(HostCommand::Kind::stop_playback, call_id));
  }
  static int collect_digits(void* user, const char* call_id, int, int, char) {
    // Keys are reported as they come whatever the counts: the engine applies them.
    return send(user, make(HostCommand::Kind::collect_digits, call_id));
  }
  static int record(void* user, const char* call_id, int64_t max_ms, char finish_key) {
    auto command = make(HostCommand::Kind::record, call_id);
    command.max_ms = max_ms;
    command.finish_key = finish_key;
    return send(user, std::move(command));
  }
  static int transfer(void* user, const char* call_id, const char* target) {
    auto command = make(HostCommand::Kind::transfer, call_id);
    command.target = target ? target : "";
    return send(user, std::move(command));
  }
  static int hangup(void* user, const char* call_id) {
    return send(user, make(HostCommand::Kind::hangup, call_id));
  }
  static int ring_agent(void* user, const char* call_id, const char* agent_id,
                        uint64_t reservation) {
    EngineThread& host = self(user);
    auto command = make(HostCommand::Kind::ring_agent, call_id);
    command.agent_id = agent_id ? agent_id : "";
    command.reservation = reservation;
    // The offer's notification came just before this call, in the same round.
    if (auto it = host.queue_of_reservation_.find(reservation);
        it != host.queue_of_reservation_.end()) {
      command.queue_id = it->second;
    } else if (auto q = host.queue_of_call_.find(command.call_id);
               q != host.queue_of_call_.end()) {
      command.queue_id = q->second;
    }
    if (auto it = host.ivr_path_.find(command.call_id); it != host.ivr_path_.end()) {
      command.ivr_path = it->second;
    }
    return send(user, std::move(command));
  }
  static int stop_ringing(void* user, const char* call_id, const char* agent_id,
                          uint64_t reservation) {
    auto command = make(HostCommand::Kind::stop_ringing, call_id);
    command.agent_id = agent_id ? agent_id : "";
    command.reservation = reservation;
    return send(user, std::move(command));
  }
  static int bridge(void* user, const char* call_id, const char* agent_id) {
    auto command = make(HostCommand::Kind::bridge, call_id);
    command.agent_id = agent_id ? agent_id : "";
    return send(user, std::move(command));
  }
  static int hold(void* user, const char* call_id, const char* prompts_json) {
    auto command = make(HostCommand::Kind::hold, call_id);
    command.prompts_json = prompts_json ? prompts_json : "[]";
    return send(user, std::move(command));
  }
  static int resume(void* user, const char* call_id) {
    return send(user, make(HostCommand::Kind::resume, call_id));
  }
  static int dial(void* user, const char* call_id, const char* leg, const char* agent_id,
                  const char* target) {
    auto command = make(HostCommand::Kind::dial, call_id);
    command.leg = leg ? leg : "";
    command.agent_id = agent_id ? agent_id : "";
    command.target = target ? target : "";
    return send(user, std::move(command));
  }
  static int hangup_leg(void* user, const char* call_id, const char* leg) {
    auto command = make(HostCommand::Kind::hangup_leg, call_id);
    command.leg = leg ? leg : "";
    return send(user, std::move(command));
  }
  static int mix(void* user, const char* call_id, const char* mix_json) {
    auto command = make(HostCommand::Kind::mix, call_id);
    command.mix_json = mix_json ? mix_json : "{}";
    return send(user, std::move(command));
  }
  static int record_control(void* user, const char* call_id, const char* action) {
    auto command = make(HostCommand::Kind::record_control, call_id);
    command.action = action ? action : "";
    return send(user, std::move(command));
  }
  // Lookups are answered from the configuration's table on this thread: they
  // touch no call, so they need not wait for the SIP thread.
  static int host_request(void* user, uint64_t request_id, const char* kind,
                          const char* function, const char* args_json) {
    EngineThread& host = self(user);
    const std::string what = kind ? kind : "";
    const std::string name = function ? function : "";
    int ok = 0;
    std::string result = "null";
    if (what == "lookup") {
      if (auto it = host.config_.lookups.find(name); it != host.config_.lookups.end()) {
        ok = 1;
        result = it->dump();
      } else {
        log(LogLevel::warn, "lookup '{}' is not in $.lookups; the flow takes its error exit",
            name);
      }
    } else if (what == "create_ticket") {
      // Written by the SIP thread, which holds the store and knows the
      // caller's customer; it answers with host_result.
      HostCommand command;
      command.kind = HostCommand::Kind::create_ticket;
      command.request_id = request_id;
      command.args_json = args_json ? args_json : "{}";
      return send(user, std::move(command));
    } else if (what == "register_callback") {
      log(LogLevel::info, "callback requested: {}", args_json ? args_json : "{}");
      ok = 1;
    } else {
      log(LogLevel::warn, "host request '{}' has no handler here", what);
    }
    hl_error* err = nullptr;
    if (hl_engine_host_result(host.engine_, request_id, ok, result.c_str(), hl_engine_now(),
                              &err) != HL_OK) {
      log(LogLevel::error, "host result refused: {}", err ? hl_error_message(err) : "?");
      hl_error_free(err);
    }
    return HL_OK;
  }
};

EngineThread::EngineThread(hl_engine* engine, const HostConfig& config, CommandSink sink)
    : engine_(engine), config_(config), sink_(std::move(sink)) {}

EngineThread::~EngineThread() {
  stop();
  if (events_log_) std::fclose(events_log_);
}

void EngineThread::add_stats_section(std::string name, StatsSection section) {
  sections_.emplace_back(std::move(name), std::move(section));
}

hl_telephony EngineThread::telephony_table(EngineThread* self) {
  using A = EngineThreadAccess;
  hl_telephony table = HL_TELEPHONY_INIT;
  table.user = self;
  table.answer = &A::answer;
  table.play = &A::play;
  table.play_request = &A::play_request;
  table.stop_playback = &A::stop_playback;
  table.collect_digits = &A::collect_digits;
  table.record = &A::record;
  table.transfer = &A::transfer;
  table.hangup = &A::hangup;
  table.ring_agent = &A::ring_agent;
  table.stop_ringing = &A::stop_ringing;
  table.bridge = &A::bridge;
  table.host_request = &A::host_request;
  table.hold = &A::hold;
  table.resume = &A::resume;
  table.dial = &A::dial;
  table.hangup_leg = &A::hangup_leg;
  table.mix = &A::mix;
  table.record_control = &A::record_control;
  return table;
}

bool EngineThread::start(std::string* error) {
  if (!config_.events_log.empty()) {
    events_log_ = std::fopen(config_.events_log.c_str(), "a");
    if (!events_log_) {
      *error = "$.events_log: cannot open " + config_.events_log.string() + " for writing";
      return false;
    }
  }
  hl_telephony table = telephony_table(this);
  hl_error* err = nullptr;
  if (hl_engine_set_telephony(engine_, &table, &err) != HL_OK) {
    *error = std::string("telephony: ") + (err ? hl_error_message(err) : "refused");
    hl_error_free(err);
    return false;
  }
  hl_engine_set_listener(engine_, &EngineThread::listen, this);
  running_ = true;
  thread_ = std::thread([this] { run(); });
  return true;
}

void EngineThread::stop() {
  if (!running_.exchange(false)) return;
  hl_engine_stop(engine_);
  if (thread_.joinable()) thread_.join();
  // The loop is gone: this thread may use the engine now.
  write_stats();
  hl_engine_set_listener(engine_, nullptr, nullptr);
  hl_engine_set_telephony(engine_, nullptr, nullptr);
}

void EngineThread::run() {
  LoopHandles handles{};
  uv_loop_init(&handles.loop);
  handles.loop.data = &handles;
  hl_error* err = nullptr;
  if (hl_engine_attach(engine_, &handles.loop, &err) != HL_OK) {
    log(LogLevel::error, "engine: {}", err ? hl_error_message(err) : "cannot attach");
    hl_error_free(err);
    uv_loop_close(&handles.loop);
    return;
  }
  uv_timer_init(&handles.loop, &handles.stats_timer);
  handles.stats_timer.data = this;
  uv_timer_start(
      &handles.stats_timer,
      [](uv_timer_t* timer) { static_cast<EngineThread*>(timer->data)->write_stats(); }, 1000,
      1000);
  uv_run(&handles.loop, UV_RUN_DEFAULT);  // until hl_engine_stop
  uv_close(reinterpret_cast<uv_handle_t*>(&handles.stats_timer), nullptr);
  hl_engine_detach(engine_);
  uv_run(&handles.loop, UV_RUN_DEFAULT);  // lets libuv close every handle
  uv_loop_close(&handles.loop);
  (void)handles_of;
}

void EngineThread::write_stats() {
  if (config_.stats_file.empty()) return;
  json stats;
  stats["time_ms"] = hl_engine_now();
  char* text = nullptr;
  hl_error* err = nullptr;
  if (hl_engine_stats(engine_, hl_engine_now(), &text, &err) == HL_OK) {
    stats["engine"] = json::parse(text, nullptr, false);
  } else {
    stats["engine_error"] = err ? hl_error_message(err) : "unavailable";
  }
  hl_free(text);
  hl_error_free(err);
  for (const auto& [name, section] : sections_) stats[name] = section();
  // Readers never see half a file: write beside it, then rename over it.
  const auto temporary = config_.stats_file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << stats.dump() << '\n';
    if (!out) {
      log(LogLevel::warn, "cannot write {}", temporary);
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, config_.stats_file, ec);
  if (ec) log(LogLevel::warn, "cannot replace {}: {}", config_.stats_file.string(), ec.message());
}

void EngineThread::listen(void* user, const char* notification_json) {
  auto* self = static_cast<EngineThread*>(user);
  if (self->events_log_) {
    std::fputs(notification_json, self->events_log_);
    std::fputc('\n', self->events_log_);
    std::fflush(self->events_log_);
  }
  json notification = json::parse(notification_json, nullptr, false);
  if (notification.is_object()) self->note(notification);
}

void EngineThread::note(const json& n) {
  const std::string kind = n.value("kind", "");
  const std::string call = n.value("call_id", "");
  if (kind == "routing" && n.value("event", "") == "offer" && n.contains("reservation")) {
    queue_of_reservation_[n["reservation"].get<std::uint64_t>()] = n.value("queue_id", "");
  } else if (kind == "contact_queued") {
    queue_of_call_[call] = n.value("queue_id", "");
  } else if (kind == "ivr_node" && n.value("event", "") == "entered") {
    auto& path = ivr_path_[call];
    if (path.size() < 32) path.push_back(n.value("node", ""));
  } else if (kind == "call_ended") {
    ivr_path_.erase(call);
    queue_of_call_.erase(call);
  } else if (kind == "routing" && n.contains("reservation")) {
    const std::string event = n.value("event", "");
    if (event == "offer_accepted" || event == "offer_rejected" || event == "offer_timed_out" ||
        event == "rescind") {
      queue_of_reservation_.erase(n["reservation"].get<std::uint64_t>());
    }
  }
  if (kind == "routing" && n.value("event", "") == "agent_state_changed" &&
      n.value("to", "") == "not_ready") {
    // An agent whose phone unregistered waits in not-ready for the SIP thread
    // to log them out (see agent_unregistered).
    HostCommand free;
    free.kind = HostCommand::Kind::agent_not_ready;
    free.agent_id = n.value("agent_id", "");
    sink_(std::move(free));
  }
  if (kind == "conversation") {
    // The SIP thread follows the state: a consultation merged into a
    // conference keeps the agent's second dialog when its party leaves.
    HostCommand state;
    state.kind = HostCommand::Kind::conversation;
    state.call_id = call;
    state.target = n.value("text", "");
    sink_(std::move(state));
  }
  if (kind == "transferred") {
    // The agent who had the call is done with it: the SIP thread lets their
    // phone go (a REFER waiting on the outcome hears 200).
    HostCommand transferred;
    transferred.kind = HostCommand::Kind::transferred;
    transferred.call_id = call;
    transferred.agent_id = n.value("agent_id", "");
    transferred.target = n.value("text", "");
    sink_(std::move(transferred));
  }
  if (kind == "host_error") {
    log(LogLevel::warn, "engine: {}", n.dump());
    if (n.value("what", "") == "post") {
      // The SIP thread may be waiting on the engine's word (a supervisor's
      // INVITE is answered once the engine takes the supervision); the
      // refusal names the call the posted event was about.
      HostCommand refused;
      refused.kind = HostCommand::Kind::engine_refused;
      refused.call_id = call;
      refused.status = n.value("status", 0);
      refused.reason = n.value("message", "");
      refused.refused = n.value("event", "");
      sink_(std::move(refused));
    }
  }
}

}  // namespace hotline::sip
