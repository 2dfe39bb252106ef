// The engine's side of the host: the engine on a libuv loop of its own
// thread, the telephony vtable whose callbacks only copy each command and
// hand it to the SIP thread, the listener that writes every notification to
// the events log, the host's lookups, and the statistics file written every
// second and at exit.
#pragma once

#include <hotline.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "host_command.hpp"
#include "host_config.hpp"

namespace hotline::sip {

class EngineThread {
 public:
  using CommandSink = std::function<void(HostCommand)>;
  // Extra sections of the statistics file ("sip", "media"); called on the
  // engine thread, so they read only thread-safe counters.
  using StatsSection = std::function<nlohmann::json()>;

  EngineThread(hl_engine* engine, const HostConfig& config, CommandSink sink);
  ~EngineThread();

  void add_stats_section(std::string name, StatsSection section);
  // Installs the vtable and the listener, then starts the loop thread.
  bool start(std::string* error);
  // Stops the loop, writes the last statistics, joins the thread.
  void stop();

 private:
  static hl_telephony telephony_table(EngineThread* self);
  static void listen(void* user, const char* notification_json);
  void run();
  void write_stats();
  void note(const nlohmann::json& notification);

  hl_engine* engine_;
  const HostConfig& config_;
  CommandSink sink_;
  std::vector<std::pair<std::string, StatsSection>> sections_;
  std::FILE* events_log_ = nullptr;
  std::thread thread_;
  std::atomic<bool> running_{false};
  // Engine thread only: what the ring_agent vtable call does not carry.
  std::map<std::uint64_t, std::string> queue_of_reservation_;
  std::map<std::string, std::vector<std::string>> ivr_path_;
  std::map<std::string, std::string> queue_of_call_;

  friend struct EngineThreadAccess;
};

}  // namespace hotline::sip
