// hotline-sip: a contact center on SIP. Phones register and take calls,
// callers dial in and go through the engine's IVR and queues.
//
//   hotline-sip examples/sip/center.json [--log-level debug|info|warn|error]
#include <hotline.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "engine_thread.hpp"
#include "host_config.hpp"
#include "host_log.hpp"
#include "sip_host.hpp"

using namespace hotline::sip;
using nlohmann::json;

namespace {

// The engine's own messages start with a JSON path from its document's
// root; the host's file holds that document under $.engine.
std::string under_engine(const std::string& message) {
  if (message.rfind("$", 0) == 0) return "$.engine" + message.substr(1);
  return "$.engine: " + message;
}

struct EngineHandle {
  hl_engine* engine = nullptr;
  ~EngineHandle() { hl_engine_destroy(engine); }
};
struct StoreHandle {
  hl_store* store = nullptr;
  ~StoreHandle() { hl_store_close(store); }
};

int run(const std::string& config_path) {
  HostConfig config;
  try {
    config = load_host_config(config_path);
  } catch (const ConfigError& e) {
    log(LogLevel::error, "{}: {}", config_path, e.what());
    return 2;
  }

  // The files the host writes may sit in folders that do not exist yet.
  for (const auto& file : {config.stats_file, config.events_log}) {
    std::error_code ignored;
    if (!file.empty()) std::filesystem::create_directories(file.parent_path(), ignored);
  }
  for (const auto& folder : {config.media.cache, config.media.recordings}) {
    std::error_code ignored;
    std::filesystem::create_directories(folder, ignored);
  }
  if (config.store && config.store->contains("path")) {
    std::error_code ignored;
    std::filesystem::create_directories(
        std::filesystem::path((*config.store)["path"].get<std::string>()).parent_path(), ignored);
  }

  EngineHandle engine;
  hl_error* err = nullptr;
  const std::string engine_json = config.engine.dump();
  if (hl_engine_create(&engine.engine, engine_json.c_str(), hl_engine_now(), &err) != HL_OK) {
    log(LogLevel::error, "{}: {}", config_path,
        under_engine(err ? hl_error_message(err) : "refused"));
    hl_error_free(err);
    return 2;
  }
  if (!config.queue_log.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(config.queue_log.parent_path(), ignored);
    if (hl_engine_set_queue_log(engine.engine, config.queue_log.c_str(), &err) != HL_OK) {
      log(LogLevel::error, "{}: $.queue_log: {}", config_path, err ? hl_error_message(err) : "?");
      hl_error_free(err);
      return 2;
    }
  }
  StoreHandle store;
  if (config.store) {
    const std::string store_json = config.store->dump();
    // Not hl_engine_use_store: the host writes the IVR's tickets itself (so a
    // voicemail's file lands in its ticket) and resolves callers itself.
    if (hl_store_open(&store.store, store_json.c_str(), &err) != HL_OK) {
      log(LogLevel::error, "{}: $.store: {}", config_path, err ? hl_error_message(err) : "?");
      hl_error_free(err);
      return 2;
    }
  }

  // SIGINT and SIGTERM are taken by this thread alone, with sigwait: every
  // thread started below inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<hotline::sip::media::MediaServer> media;
  SipHost sip(config, engine.engine, store.store, nullptr);
  {
    hotline::sip::media::MediaConfig media_config;
    media_config.rtp_address = config.media.rtp_address;
    media_config.port_min = config.media.rtp_port_min;
    media_config.port_max = config.media.rtp_port_max;
    media_config.audio_root = config.media.audio_root;
    media_config.cache_dir = config.media.cache;
    media_config.recordings_dir = config.media.recordings;
    media_config.tts_voice = config.media.tts_voice;
    std::string error;
    media = hotline::sip::media::MediaServer::start(media_config, sip.media_events(), &error);
    if (!media) {
      log(LogLevel::error, "{}: $.media: {}", config_path, error);
      return 2;
    }
    sip.use_media(media.get());
  }
  EngineThread engine_thread(engine.engine, config,
                             [&sip](HostCommand command) { sip.post_command(std::move(command)); });
  engine_thread.add_stats_section("sip", [&sip] { return sip.counters(); });
  if (media) {
    auto* server = media.get();
    engine_thread.add_stats_section("media", [server] {
      const auto s = server->stats();
      return json{{"packets_received", s.packets_received},
                  {"packets_relayed", s.packets_relayed},
                  {"packets_mixed", s.packets_mixed},
                  {"packets_sent", s.packets_sent},
                  {"packets_dropped_stranger", s.packets_dropped_stranger},
                  {"packets_dropped_malformed", s.packets_dropped_malformed},
                  {"legs_open", s.legs_open},
                  {"tts_renders", s.tts_renders}};
    });
  }

  std::string error;
  if (!sip.start(&error)) {
    log(LogLevel::error, "{}: {}", config_path, error);
    return 2;
  }
  if (!engine_thread.start(&error)) {
    log(LogLevel::error, "{}: {}", config_path, error);
    sip.stop();
    return 2;
  }
  log(LogLevel::info, "hotline-sip {} ready: {} phones, {} routes", hl_version(),
      config.phones.size(), config.routes.size());

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  log(LogLevel::info, "signal {}: hanging up and stopping", signal_number);
  sip.hang_up_all();
  sip.stop();          // the calls' ends reach the engine before it stops
  engine_thread.stop();  // writes the last statistics
  media.reset();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A contact center on SIP: registrar, IVR, queues and agents' phones"};
  std::string config_path;
  std::string level = "info";
  app.add_option("config", config_path, "the host's JSON configuration")->required();
  app.add_option("--log-level", level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  CLI11_PARSE(app, argc, argv);
  LogLevel parsed = LogLevel::info;
  parse_log_level(level, parsed);
  set_log_level(parsed);
  return run(config_path);
}
