#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "host_config.hpp"

using namespace hotline::sip;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json minimal() {
  return json::parse(R"({
    "sip": {"listen": "127.0.0.1:5060"},
    "engine": {"queues": [{"id": "retail"}], "agents": [{"id": "r01", "queues": ["retail"]}],
               "flows": [{"id": "front", "start": "bye", "nodes": {"bye": {"type": "hangup"}}}]},
    "phones": [{"agent": "r01", "user": "ann", "password": "secret"}],
    "routes": [{"dialled": "1000", "flow": "front"}, {"dialled": "*", "queue": "retail"}]
  })");
}

std::string refusal(const json& document, const fs::path& base = "/srv/center") {
  try {
    parse_host_config(document, base);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a minimal configuration is read with its defaults") {
  const HostConfig config = parse_host_config(minimal(), "/srv/center");
  CHECK(config.sip.listen_address == "127.0.0.1");
  CHECK(config.sip.listen_port == 5060);
  CHECK(config.sip.realm == "hotline");
  CHECK(config.sip.registration_max_seconds == 3600);
  CHECK(config.media.rtp_port_min == 20000);
  CHECK(config.media.recordings == fs::path("/srv/center/recordings"));
  REQUIRE(config.phones.size() == 1);
  CHECK(config.phones[0].user == "ann");
  REQUIRE(config.routes.size() == 2);
  CHECK(config.routes[1].queue == "retail");
  CHECK_FALSE(config.store.has_value());
  CHECK(config.stats_file.empty());
  CHECK(config.media.keep_recordings_days == 0);  // kept for ever
}

TEST_CASE("unknown keys are refused with their path and the accepted keys") {
  json document = minimal();
  document["colour"] = "red";
  CHECK(refusal(document) ==
        "$.colour: unknown field (expected one of: sip, media, phones, engine, flow_files, "
        "routes, store, lookups, stats_file, events_log, queue_log)");
  document = minimal();
  document["sip"]["lisen"] = "127.0.0.1:5060";
  CHECK(refusal(document) ==
        "$.sip.lisen: unknown field (expected one of: listen, tcp, realm, "
        "registration_max_seconds, nonce_seconds, trunk, max_message_bytes, user_agent, "
        "feature_codes)");
  document = minimal();
  document["phones"][0]["pasword"] = "x";
  CHECK(refusal(document) ==
        "$.phones[0].pasword: unknown field (expected one of: agent, user, password)");
  document = minimal();
  document["media"] = {{"rtp_port", 1}};
  CHECK(refusal(document).rfind("$.media.rtp_port: unknown field (expected one of: rtp_address, "
                                "rtp_ports, ", 0) == 0);
  document = minimal();
  document["routes"][0]["queues"] = "retail";
  CHECK(refusal(document) ==
        "$.routes[0].queues: unknown field (expected one of: dialled, flow, queue)");
}

TEST_CASE("wrong types and values name their path") {
  json document = minimal();
  document["sip"]["listen"] = 5060;
  CHECK(refusal(document) == "$.sip.listen: expected a string");
  document["sip"]["listen"] = "127.0.0.1";
  CHECK(refusal(document) == "$.sip.listen: expected \"address:port\"");
  document["sip"]["listen"] = "127.0.0.1:70000";
  CHECK(refusal(document) == "$.sip.listen: expected a port from 1 to 65535 after ':'");
  document["sip"]["listen"] = "localhost:5060";
  CHECK(refusal(document) == "$.sip.listen: 'localhost' is not an IPv4 address");
  document = minimal();
  document["sip"]["registration_max_seconds"] = "3600";
  CHECK(refusal(document) == "$.sip.registration_max_seconds: expected an integer");
  document["sip"]["registration_max_seconds"] = 0;
  CHECK(refusal(document) ==
        "$.sip.registration_max_seconds: expected an integer from 1 to 86400");
  document = minimal();
  document["sip"]["trunk"] = "127.0.0.1:5070";
  CHECK(refusal(document) == "$.sip.trunk: expected a sip: URI");
  document = minimal();
  document["media"] = {{"rtp_ports", {30000, 20000}}};
  CHECK(refusal(document) == "$.media.rtp_ports: the last port must be above the first");
  document["media"] = {{"rtp_ports", {20000}}};
  CHECK(refusal(document) == "$.media.rtp_ports: expected [first, last]");
  document["media"] = {{"keep_recordings_days", 0}};
  CHECK(refusal(document) ==
        "$.media.keep_recordings_days: expected an integer from 1 to 3650");
  document["media"] = {{"keep_recordings_days", 90}};
  CHECK(parse_host_config(document, "/srv/center").media.keep_recordings_days == 90);
  document = minimal();
  document["phones"][0]["password"] = nullptr;
  CHECK(refusal(document) == "$.phones[0].password: expected a string");
  document = minimal();
  document["lookups"] = {{"account_balance", 5}};
  CHECK(refusal(document) == "$.lookups.account_balance: expected an object");
  CHECK(refusal(json::array()) == "$: expected an object");
  document = minimal();
  document.erase("sip");
  CHECK(refusal(document) == "$.sip: required");
}

TEST_CASE("phones, routes and recorded queues must name what the engine has") {
  json document = minimal();
  document["phones"][0]["agent"] = "r99";
  CHECK(refusal(document) == "$.phones[0].agent: 'r99' is not an agent of $.engine.agents");
  document = minimal();
  document["phones"].push_back({{"agent", "r01"}, {"user", "ann"}, {"password", "x"}});
  CHECK(refusal(document) == "$.phones[1].user: 'ann' is already a phone's user");
  document = minimal();
  document["routes"][0]["flow"] = "back";
  CHECK(refusal(document) == "$.routes[0].flow: 'back' is not a flow of the engine");
  document = minimal();
  document["routes"][1]["queue"] = "vip";
  CHECK(refusal(document) == "$.routes[1].queue: 'vip' is not a queue of $.engine.queues");
  document = minimal();
  document["routes"][0]["queue"] = "retail";
  CHECK(refusal(document) == "$.routes[0]: expected exactly one of: flow, queue");
  document = minimal();
  document["routes"].push_back({{"dialled", "1000"}, {"queue", "retail"}});
  CHECK(refusal(document) == "$.routes[2].dialled: '1000' has a route already");
  document = minimal();
  document["media"] = {{"record_queues", {"retail", "vip"}}};
  CHECK(refusal(document) == "$.media.record_queues[1]: 'vip' is not a queue of $.engine.queues");
}

TEST_CASE("paths are relative to the configuration's folder") {
  json document = minimal();
  document["media"] = {{"audio_root", "sounds"}, {"recordings", "/var/rec"}, {"cache", "../c"}};
  document["store"] = {{"backend", "sqlite"}, {"path", "data/hotline.db"}};
  document["stats_file"] = "out/stats.json";
  document["events_log"] = "events.jsonl";
  document["queue_log"] = "log/queue_log";
  const HostConfig config = parse_host_config(document, "/srv/center");
  CHECK(config.media.audio_root == fs::path("/srv/center/sounds"));
  CHECK(config.media.recordings == fs::path("/var/rec"));
  CHECK(config.media.cache == fs::path("/srv/c"));
  CHECK((*config.store)["path"] == "/srv/center/data/hotline.db");
  CHECK((*config.store)["backend"] == "sqlite");
  CHECK(config.stats_file == fs::path("/srv/center/out/stats.json"));
  CHECK(config.events_log == fs::path("/srv/center/events.jsonl"));
  CHECK(config.queue_log == fs::path("/srv/center/log/queue_log"));
}

TEST_CASE("a queue_log that is not a path is refused with its path") {
  json document = minimal();
  document["queue_log"] = 7;
  CHECK(refusal(document).rfind("$.queue_log: ", 0) == 0);
}

TEST_CASE("flow files are read into the engine's flows, relative to the file") {
  const fs::path folder = fs::temp_directory_path() / "hotline_sip_config_test";
  fs::create_directories(folder / "flows");
  std::ofstream(folder / "flows" / "menu.json")
      << R"({"id": "menu", "start": "bye", "nodes": {"bye": {"type": "hangup"}}})";
  std::ofstream(folder / "flows" / "broken.json") << "{ not json";
  json document = minimal();
  document["flow_files"] = {"flows/menu.json"};
  document["routes"].push_back({{"dialled", "2000"}, {"flow", "menu"}});
  std::ofstream(folder / "center.json") << document.dump();
  const HostConfig config = load_host_config(folder / "center.json");
  REQUIRE(config.engine["flows"].size() == 2);
  CHECK(config.engine["flows"][1]["id"] == "menu");
  CHECK(config.routes[2].flow == "menu");

  document["flow_files"] = {"flows/missing.json"};
  CHECK(refusal(document, folder).rfind("$.flow_files[0]: cannot open ", 0) == 0);
  document["flow_files"] = {"flows/broken.json"};
  CHECK(refusal(document, folder).find("is not valid JSON") != std::string::npos);
  document["flow_files"] = "flows/menu.json";
  CHECK(refusal(document, folder) == "$.flow_files: expected an array of file names");
  fs::remove_all(folder);
}

TEST_CASE("the shipped bank center is a valid configuration") {
  const char* source = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(source != nullptr);
  const HostConfig config =
      load_host_config(fs::path(source) / "examples" / "sip" / "center.json");
  CHECK(config.phones.size() >= 2);
  std::vector<std::string> flows;
  for (const auto& flow : config.engine["flows"]) flows.push_back(flow["id"].get<std::string>());
  CHECK(flows == std::vector<std::string>{"front_desk", "bank"});
  CHECK(config.lookups.contains("account_balance"));
}
