// The SIP host's one configuration file: where it listens, the phones that
// may register and the agents they log in, the engine's own configuration,
// how dialled numbers reach flows and queues, the store, and where the host
// writes its statistics and its event log.
//
// Every key is checked before the host starts: an unknown key, a wrong type
// or a bad value is refused with its JSON path, and a file is taken whole or
// not at all. Paths in the file are relative to the file's folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "feature_codes.hpp"

namespace hotline::sip {

// A refused configuration; the message starts with the JSON path.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SipSettings {
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 5060;
  bool tcp = false;  // also listen on TCP at the same address
  std::string realm = "hotline";
  int registration_max_seconds = 3600;
  int nonce_seconds = 300;
  std::string trunk;  // SIP URI outside numbers are sent to ("" when none)
  std::size_t max_message_bytes = 8192;
  std::string user_agent = "hotline-sip";
  FeatureCodes feature_codes;  // supervision: dialled by a supervisor's phone, then an agent id
};

struct MediaSettings {
  std::string rtp_address = "127.0.0.1";
  std::uint16_t rtp_port_min = 20000;
  std::uint16_t rtp_port_max = 29999;
  std::filesystem::path audio_root;
  std::filesystem::path cache;
  std::filesystem::path recordings;
  std::string tts_voice = "en";
  std::string music_on_hold;             // an audio prompt, relative to audio_root
  std::vector<std::string> record_queues;  // calls bridged from these queues are recorded
  int keep_recordings_days = 0;  // recordings older than this are deleted; 0: kept for ever
};

struct PhoneAccount {
  std::string agent;
  std::string user;
  std::string password;
};

// A dialled number (the Request-URI's user) and where it leads: a flow or a
// queue. "*" matches every number no other route names.
struct Route {
  std::string dialled;
  std::string flow;
  std::string queue;
};

struct HostConfig {
  std::filesystem::path base_dir;
  SipSettings sip;
  MediaSettings media;
  std::vector<PhoneAccount> phones;
  nlohmann::json engine;             // as hl_engine_create takes it, flow files read in
  std::vector<Route> routes;
  std::optional<nlohmann::json> store;  // as hl_store_open takes it, its path made absolute
  nlohmann::json lookups = nlohmann::json::object();  // function name -> its result
  std::filesystem::path stats_file;
  std::filesystem::path events_log;
  // Asterisk's queue_log format, appended, for queue reporting tools
  // (hl_engine_set_queue_log); empty when none.
  std::filesystem::path queue_log;
};

// Reads and checks `file`; throws ConfigError.
HostConfig load_host_config(const std::filesystem::path& file);
// Checks a parsed document whose relative paths start at `base_dir`.
HostConfig parse_host_config(const nlohmann::json& document,
                             const std::filesystem::path& base_dir);

}  // namespace hotline::sip
