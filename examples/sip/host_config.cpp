#include "host_config.hpp"

#include <arpa/inet.h>

#include <fstream>
#include <set>
#include <sstream>

namespace hotline::sip {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw ConfigError(path + ": " + what);
}

// Refuses keys `object` does not accept, naming them in declaration order.
void check_keys(const json& object, const std::string& path,
                const std::vector<std::string>& accepted) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const auto& name : accepted) known = known || name == item.key();
    if (known) continue;
    std::string list;
    for (const auto& name : accepted) list += (list.empty() ? "" : ", ") + name;
    fail(path + "." + item.key(), "unknown field (expected one of: " + list + ")");
  }
}

const json& expect_object(const json& value, const std::string& path) {
  if (!value.is_object()) fail(path, "expected an object");
  return value;
}

std::string expect_string(const json& value, const std::string& path, bool allow_empty = false) {
  if (!value.is_string()) fail(path, "expected a string");
  std::string text = value.get<std::string>();
  if (!allow_empty && text.empty()) fail(path, "expected a non-empty string");
  return text;
}

std::int64_t expect_integer(const json& value, const std::string& path, std::int64_t low,
                            std::int64_t high) {
  if (!value.is_number_integer()) fail(path, "expected an integer");
  // Unsigned values above INT64_MAX are out of every range this file uses.
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(high)) {
    fail(path, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  const auto number = value.get<std::int64_t>();
  if (number < low || number > high) {
    fail(path, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return number;
}

bool expect_bool(const json& value, const std::string& path) {
  if (!value.is_boolean()) fail(path, "expected true or false");
  return value.get<bool>();
}

fs::path resolve(const fs::path& base_dir, const std::string& name) {
  const fs::path path(name);
  return (path.is_absolute() ? path : base_dir / path).lexically_normal();
}

// "host:port" with an IPv4 address (the host binds it as given).
void parse_listen(const json& value, const std::string& path, SipSettings& sip) {
  const std::string text = expect_string(value, path);
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) fail(path, "expected \"address:port\"");
  const std::string port_text = text.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    fail(path, "expected a port from 1 to 65535 after ':'");
  }
  const long port = std::stol(port_text);
  if (port < 1 || port > 65535) fail(path, "expected a port from 1 to 65535 after ':'");
  const std::string address = text.substr(0, colon);
  in_addr parsed{};
  if (inet_pton(AF_INET, address.c_str(), &parsed) != 1) {
    fail(path, "'" + address + "' is not an IPv4 address");
  }
  sip.listen_address = address;
  sip.listen_port = static_cast<std::uint16_t>(port);
}

FeatureCodes parse_feature_codes(const json& value, const std::string& path) {
  expect_object(value, path);
  check_keys(value, path,
             {"monitor", "whisper", "barge", "take_over", "conference", "drop", "mute", "add",
              "record", "pause"});
  FeatureCodes codes;
  std::pair<const char*, std::string*> fields[] = {
      {"monitor", &codes.monitor}, {"whisper", &codes.whisper}, {"barge", &codes.barge},
      {"take_over", &codes.take_over}, {"conference", &codes.conference},
      {"drop", &codes.drop}, {"mute", &codes.mute}, {"add", &codes.add},
      {"record", &codes.record}, {"pause", &codes.pause}};
  for (auto& [key, code] : fields) {
    if (!value.contains(key)) continue;
    *code = expect_string(value[key], path + "." + key);
    // Dialled as a Request-URI's user part: no room for separators or spaces.
    if (code->find_first_of(" \t@:;<>\"") != std::string::npos) {
      fail(path + "." + key, "may not hold spaces, '@', ':', ';', '<', '>' or quotes");
    }
    // Pressed on a phone's keypad during a call: keys alone.
    const bool dialled = code == &codes.monitor || code == &codes.whisper ||
                         code == &codes.barge || code == &codes.take_over;
    const bool pressed = !dialled;
    if (pressed && code->find_first_not_of("0123456789*#") != std::string::npos) {
      fail(path + "." + key, "only keys a phone can press: 0-9, '*' and '#'");
    }
  }
  constexpr std::size_t kCodes = std::size(fields);
  for (std::size_t i = 0; i < kCodes; ++i) {
    for (std::size_t j = i + 1; j < kCodes; ++j) {
      if (*fields[i].second == *fields[j].second) {
        fail(path + "." + fields[j].first, "the same code as " + std::string(fields[i].first));
      }
    }
  }
  return codes;
}

SipSettings parse_sip(const json& value) {
  const std::string path = "$.sip";
  expect_object(value, path);
  check_keys(value, path,
             {"listen", "tcp", "realm", "registration_max_seconds", "nonce_seconds", "trunk",
              "max_message_bytes", "user_agent", "feature_codes"});
  SipSettings sip;
  if (!value.contains("listen")) fail(path + ".listen", "required");
  parse_listen(value["listen"], path + ".listen", sip);
  if (value.contains("tcp")) sip.tcp = expect_bool(value["tcp"], path + ".tcp");
  if (value.contains("realm")) sip.realm = expect_string(value["realm"], path + ".realm");
  if (sip.realm.find_first_of("\"\\\r\n") != std::string::npos) {
    fail(path + ".realm", "may not hold quotes, backslashes or line breaks");
  }
  if (value.contains("registration_max_seconds")) {
    sip.registration_max_seconds = static_cast<int>(expect_integer(
        value["registration_max_seconds"], path + ".registration_max_seconds", 1, 86400));
  }
  if (value.contains("nonce_seconds")) {
    sip.nonce_seconds =
        static_cast<int>(expect_integer(value["nonce_seconds"], path + ".nonce_seconds", 1, 3600));
  }
  if (value.contains("trunk")) {
    sip.trunk = expect_string(value["trunk"], path + ".trunk");
    if (sip.trunk.rfind("sip:", 0) != 0) fail(path + ".trunk", "expected a sip: URI");
  }
  if (value.contains("max_message_bytes")) {
    sip.max_message_bytes = static_cast<std::size_t>(
        expect_integer(value["max_message_bytes"], path + ".max_message_bytes", 1024, 65535));
  }
  if (value.contains("user_agent")) {
    sip.user_agent = expect_string(value["user_agent"], path + ".user_agent");
  }
  if (value.contains("feature_codes")) {
    sip.feature_codes = parse_feature_codes(value["feature_codes"], path + ".feature_codes");
  }
  return sip;
}

MediaSettings parse_media(const json& value, const fs::path& base_dir) {
  const std::string path = "$.media";
  expect_object(value, path);
  check_keys(value, path,
             {"rtp_address", "rtp_ports", "audio_root", "cache", "recordings", "tts_voice",
              "music_on_hold", "record_queues", "keep_recordings_days"});
  MediaSettings media;
  media.audio_root = base_dir;
  media.cache = base_dir / "cache";
  media.recordings = base_dir / "recordings";
  if (value.contains("rtp_address")) {
    media.rtp_address = expect_string(value["rtp_address"], path + ".rtp_address");
    in_addr parsed{};
    if (inet_pton(AF_INET, media.rtp_address.c_str(), &parsed) != 1) {
      fail(path + ".rtp_address", "'" + media.rtp_address + "' is not an IPv4 address");
    }
  }
  if (value.contains("rtp_ports")) {
    const json& ports = value["rtp_ports"];
    if (!ports.is_array() || ports.size() != 2) {
      fail(path + ".rtp_ports", "expected [first, last]");
    }
    media.rtp_port_min = static_cast<std::uint16_t>(
        expect_integer(ports[0], path + ".rtp_ports[0]", 1024, 65534));
    media.rtp_port_max = static_cast<std::uint16_t>(
        expect_integer(ports[1], path + ".rtp_ports[1]", 1025, 65535));
    if (media.rtp_port_max <= media.rtp_port_min) {
      fail(path + ".rtp_ports", "the last port must be above the first");
    }
  }
  if (value.contains("audio_root")) {
    media.audio_root = resolve(base_dir, expect_string(value["audio_root"], path + ".audio_root"));
  }
  if (value.contains("cache")) {
    media.cache = resolve(base_dir, expect_string(value["cache"], path + ".cache"));
  }
  if (value.contains("recordings")) {
    media.recordings = resolve(base_dir, expect_string(value["recordings"], path + ".recordings"));
  }
  if (value.contains("tts_voice")) {
    media.tts_voice = expect_string(value["tts_voice"], path + ".tts_voice");
  }
  if (value.contains("music_on_hold")) {
    media.music_on_hold = expect_string(value["music_on_hold"], path + ".music_on_hold");
  }
  if (value.contains("record_queues")) {
    const json& queues = value["record_queues"];
    if (!queues.is_array()) fail(path + ".record_queues", "expected an array of queue ids");
    for (std::size_t i = 0; i < queues.size(); ++i) {
      media.record_queues.push_back(
          expect_string(queues[i], path + ".record_queues[" + std::to_string(i) + "]"));
    }
  }
  if (value.contains("keep_recordings_days")) {
    // Up to ten years: past that, keeping them for ever is what is meant.
    media.keep_recordings_days = static_cast<int>(
        expect_integer(value["keep_recordings_days"], path + ".keep_recordings_days", 1, 3650));
  }
  return media;
}

json read_json_file(const fs::path& file, const std::string& path) {
  std::ifstream in(file);
  if (!in) fail(path, "cannot open " + file.string());
  json document = json::parse(in, nullptr, false);
  if (document.is_discarded()) fail(path, file.string() + " is not valid JSON");
  return document;
}

std::set<std::string> ids_of(const json& engine, const char* section) {
  std::set<std::string> ids;
  if (!engine.contains(section) || !engine[section].is_array()) return ids;
  for (const json& item : engine[section]) {
    if (item.is_object() && item.contains("id") && item["id"].is_string()) {
      ids.insert(item["id"].get<std::string>());
    }
  }
  return ids;
}

}  // namespace

HostConfig parse_host_config(const json& document, const fs::path& base_dir) {
  expect_object(document, "$");
  check_keys(document, "$",
             {"sip", "media", "phones", "engine", "flow_files", "routes", "store", "lookups",
              "stats_file", "events_log", "queue_log"});
  HostConfig config;
  config.base_dir = base_dir;
  if (!document.contains("sip")) fail("$.sip", "required");
  config.sip = parse_sip(document["sip"]);
  config.media = parse_media(document.value("media", json::object()), base_dir);

  if (!document.contains("engine")) fail("$.engine", "required");
  config.engine = expect_object(document["engine"], "$.engine");
  if (config.engine.contains("flows") && !config.engine["flows"].is_array()) {
    fail("$.engine.flows", "expected an array");
  }
  if (document.contains("flow_files")) {
    const json& files = document["flow_files"];
    if (!files.is_array()) fail("$.flow_files", "expected an array of file names");
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string path = "$.flow_files[" + std::to_string(i) + "]";
      config.engine["flows"].push_back(
          read_json_file(resolve(base_dir, expect_string(files[i], path)), path));
    }
  }

  const auto agents = ids_of(config.engine, "agents");
  const auto queues = ids_of(config.engine, "queues");
  const auto flows = ids_of(config.engine, "flows");

  if (document.contains("phones")) {
    const json& phones = document["phones"];
    if (!phones.is_array()) fail("$.phones", "expected an array");
    std::set<std::string> users;
    for (std::size_t i = 0; i < phones.size(); ++i) {
      const std::string path = "$.phones[" + std::to_string(i) + "]";
      expect_object(phones[i], path);
      check_keys(phones[i], path, {"agent", "user", "password"});
      PhoneAccount phone;
      for (const char* key : {"agent", "user", "password"}) {
        if (!phones[i].contains(key)) fail(path + "." + key, "required");
      }
      phone.agent = expect_string(phones[i]["agent"], path + ".agent");
      phone.user = expect_string(phones[i]["user"], path + ".user");
      phone.password = expect_string(phones[i]["password"], path + ".password");
      if (!agents.count(phone.agent)) {
        fail(path + ".agent", "'" + phone.agent + "' is not an agent of $.engine.agents");
      }
      if (!users.insert(phone.user).second) {
        fail(path + ".user", "'" + phone.user + "' is already a phone's user");
      }
      config.phones.push_back(phone);
    }
  }

  if (document.contains("routes")) {
    const json& routes = document["routes"];
    if (!routes.is_array()) fail("$.routes", "expected an array");
    std::set<std::string> dialled;
    for (std::size_t i = 0; i < routes.size(); ++i) {
      const std::string path = "$.routes[" + std::to_string(i) + "]";
      expect_object(routes[i], path);
      check_keys(routes[i], path, {"dialled", "flow", "queue"});
      Route route;
      if (!routes[i].contains("dialled")) fail(path + ".dialled", "required");
      route.dialled = expect_string(routes[i]["dialled"], path + ".dialled");
      if (!dialled.insert(route.dialled).second) {
        fail(path + ".dialled", "'" + route.dialled + "' has a route already");
      }
      const bool has_flow = routes[i].contains("flow");
      const bool has_queue = routes[i].contains("queue");
      if (has_flow == has_queue) fail(path, "expected exactly one of: flow, queue");
      if (has_flow) {
        route.flow = expect_string(routes[i]["flow"], path + ".flow");
        if (!flows.count(route.flow)) {
          fail(path + ".flow", "'" + route.flow + "' is not a flow of the engine");
        }
      } else {
        route.queue = expect_string(routes[i]["queue"], path + ".queue");
        if (!queues.count(route.queue)) {
          fail(path + ".queue", "'" + route.queue + "' is not a queue of $.engine.queues");
        }
      }
      config.routes.push_back(route);
    }
  }

  for (std::size_t i = 0; i < config.media.record_queues.size(); ++i) {
    if (!queues.count(config.media.record_queues[i])) {
      fail("$.media.record_queues[" + std::to_string(i) + "]",
           "'" + config.media.record_queues[i] + "' is not a queue of $.engine.queues");
    }
  }

  if (document.contains("store")) {
    json store = expect_object(document["store"], "$.store");
    // The store checks its own keys; the host only anchors its file here.
    if (store.contains("path")) {
      store["path"] = resolve(base_dir, expect_string(store["path"], "$.store.path")).string();
    }
    config.store = store;
  }
  if (document.contains("lookups")) {
    config.lookups = expect_object(document["lookups"], "$.lookups");
    for (const auto& item : config.lookups.items()) {
      expect_object(item.value(), "$.lookups." + item.key());
    }
  }
  if (document.contains("stats_file")) {
    config.stats_file = resolve(base_dir, expect_string(document["stats_file"], "$.stats_file"));
  }
  if (document.contains("queue_log")) {
    config.queue_log = resolve(base_dir, expect_string(document["queue_log"], "$.queue_log"));
  }
  if (document.contains("events_log")) {
    config.events_log = resolve(base_dir, expect_string(document["events_log"], "$.events_log"));
  }
  return config;
}

HostConfig load_host_config(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot open");
  json document = json::parse(in, nullptr, false);
  if (document.is_discarded()) throw ConfigError(file.string() + ": not valid JSON");
  fs::path base = file.parent_path();
  if (base.empty()) base = ".";
  return parse_host_config(document, fs::absolute(base).lexically_normal());
}

}  // namespace hotline::sip
