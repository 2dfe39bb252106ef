// hotline-sim's command line, tried as a user would: the built program is
// run with each class of bad flag and must refuse it (exit code 2) with a
// message that names the flag, promptly, without running a simulation.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace {

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs hotline-sim with `args` (shell words) under a time limit.
Run sim(const std::string& args) {
  const std::string command =
      std::string("timeout 60 '") + HOTLINE_SIM_PATH + "' " + args + " 2>&1";
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) run.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

bool says(const Run& run, const std::string& text) {
  return run.output.find(text) != std::string::npos;
}

// Refused as a usage error, naming the flag and what was wrong with it.
void refused(const std::string& args, const std::string& flag, const std::string& reason) {
  CAPTURE(args);
  const Run run = sim(args);
  CAPTURE(run.output);
  CHECK(run.exit_code == 2);
  CHECK(says(run, flag));
  CHECK(says(run, reason));
  CHECK_FALSE(says(run, "stod"));
}

const std::string kQueue = "--agents 5 ";
const std::string kErlang = "erlang --arrivals-per-hour 200 --aht-seconds 180 ";

}  // namespace

TEST_CASE("--help lists the modes and flags and exits 0") {
  const Run run = sim("--help");
  CHECK(run.exit_code == 0);
  for (const char* flag : {"--agents", "--arrivals-per-hour", "--aht-seconds", "--patience-seconds",
                           "--hours", "--sl-seconds", "--seed", "--report", "--trace", "--json",
                           "--interval-minutes", "erlang"}) {
    CAPTURE(flag);
    CHECK(says(run, flag));
  }
  const Run erlang = sim("erlang --help");
  CHECK(erlang.exit_code == 0);
  CHECK(says(erlang, "--target-sl"));
  CHECK(says(erlang, "--occupancy-cap"));
}

TEST_CASE("--version prints the program and version and exits 0") {
  const Run run = sim("--version");
  CHECK(run.exit_code == 0);
  CHECK(says(run, std::string("hotline-sim ") + HOTLINE_VERSION));
}

TEST_CASE("Unknown flags and stray arguments are refused, not ignored") {
  refused(kQueue + "--bogus 3", "--bogus", "not expected");
  refused("--agnets 5", "--agnets", "not expected");
  refused(kErlang + "--report out", "--report", "not expected");
  refused("examples/center/center.json more.json", "more.json", "not expected");
}

TEST_CASE("A value that is not a number names the flag and the value") {
  refused("--agents abc", "--agents", "'abc' is not a whole number");
  refused("--agents 2.5", "--agents", "'2.5' is not a whole number");
  refused(kQueue + "--aht-seconds fast", "--aht-seconds", "'fast' is not a number");
  refused(kQueue + "--seed x1", "--seed", "'x1' is not a whole number");
  refused("erlang --arrivals-per-hour lots --aht-seconds 180", "--arrivals-per-hour",
          "'lots' is not a number");
}

TEST_CASE("Negative agents, handle times, rates, patience and seeds are refused") {
  refused("--agents -3", "--agents", "outside");
  refused("--agents 0", "--agents", "outside");
  refused(kQueue + "--aht-seconds -1", "--aht-seconds", "outside");
  refused(kQueue + "--aht-seconds 0", "--aht-seconds", "outside");
  refused(kQueue + "--arrivals-per-hour -10", "--arrivals-per-hour", "outside");
  refused(kQueue + "--patience-seconds -2", "--patience-seconds", "outside");
  refused(kQueue + "--sl-seconds -20", "--sl-seconds", "outside");
  refused(kQueue + "--seed -1", "--seed", "outside");
  refused(kErlang + "--agents -4", "--agents", "outside");
  refused(kErlang + "--patience-seconds 0", "--patience-seconds", "outside");
  refused("erlang --arrivals-per-hour -200 --aht-seconds 180", "--arrivals-per-hour", "outside");
  refused("erlang --arrivals-per-hour 200 --aht-seconds -180", "--aht-seconds", "outside");
}

TEST_CASE("NaN and infinity are refused wherever a number is expected") {
  refused(kQueue + "--aht-seconds nan", "--aht-seconds", "outside");
  refused(kQueue + "--hours inf", "--hours", "outside");
  refused("erlang --arrivals-per-hour nan --aht-seconds 180", "--arrivals-per-hour", "outside");
  refused(kErlang + "--target-sl nan", "--target-sl", "outside");
}

TEST_CASE("An interval of zero is refused") {
  refused(kQueue + "--interval 0", "--interval-minutes", "outside");
  refused(kQueue + "--interval-minutes 0.5", "--interval-minutes", "outside");
}

TEST_CASE("erlang --target-sl must be a probability strictly between 0 and 1") {
  refused(kErlang + "--target-sl 1.5", "--target-sl", "outside (0, 1)");
  refused(kErlang + "--target-sl 1", "--target-sl", "outside (0, 1)");
  refused(kErlang + "--target-sl 0", "--target-sl", "outside (0, 1)");
  refused(kErlang + "--occupancy-cap 0", "--occupancy-cap", "outside");
  refused(kErlang + "--shrinkage 1", "--shrinkage", "outside");
}

TEST_CASE("Runs that would not end are refused at their documented limits") {
  refused(kQueue + "--hours 1e9", "--hours", "outside (0, 8784]");
  refused(kQueue + "--arrivals-per-hour 1e12", "--arrivals-per-hour", "outside [0, 1000000]");
  refused(kQueue + "--arrivals-per-hour 1000000 --hours 1000", "--arrivals-per-hour × --hours",
          "exceeds the limit");
  refused("erlang --arrivals-per-hour 1e12 --aht-seconds 180", "--arrivals-per-hour × --aht-seconds",
          "exceeds the limit");
}

TEST_CASE("A scenario file is held to the same limits as the flags") {
  // A one-queue scenario with one simulation field at a time out of range.
  const auto refused_file = [](const char* field, double value, const std::string& reason) {
    nlohmann::json scenario = {
        {"queues", {{{"id", "main"}}}},
        {"agents", {{{"id", "a1"}, {"queues", {"main"}}}}},
        {"simulation", {{"streams", {{{"queue", "main"}, {"arrivals_per_hour", 10}}}}}}};
    scenario["simulation"][field] = value;
    const auto path = std::filesystem::temp_directory_path() /
                      (std::string("hotline_sim_limits_") + field + ".json");
    std::ofstream(path) << scenario.dump();
    const Run run = sim("'" + path.string() + "'");
    CAPTURE(run.output);
    CHECK(run.exit_code == 1);
    CHECK(says(run, reason));
    std::filesystem::remove(path);
  };
  refused_file("hours", 1e6, "simulation.hours: 1000000 is outside (0, 8784]");
  refused_file("interval_minutes", 0, "KPI interval of 0 ms is outside");
}

TEST_CASE("Mixing modes is refused: single-queue flags need --agents") {
  refused("examples/center/center.json --agents 3", "--agents", "cannot be combined");
  refused("--hours 5", "scenario file", "--agents");
  refused("erlang --aht-seconds 180", "--arrivals-per-hour", "required");
}

TEST_CASE("--serve needs its tokens, sane pacing and a live mode") {
  refused(kQueue + "--serve", "--serve", "needs --access");
  refused(kQueue + "--serve --access CMakeLists.txt --speed 0", "--speed", "outside");
  refused(kQueue + "--serve --access CMakeLists.txt --port 70000", "--port", "70000");
  refused(kQueue + "--speed 5", "--speed", "--serve");
  refused(kQueue + "--serve --access CMakeLists.txt --json", "--serve", "cannot be combined");
}

TEST_CASE("--store is the served day's store: without --serve it is refused") {
  refused(kQueue + "--store day.sqlite", "--store", "--serve");
}

TEST_CASE("Valid flags still run: the documented quick queue and calculators") {
  const Run run = sim("--agents 14 --arrivals-per-hour 200 --aht-seconds 180 --hours 1 --seed 1 "
                      "--sl-seconds 20 --patience-seconds 120 --interval 15 --json");
  CAPTURE(run.output);
  CHECK(run.exit_code == 0);
  CHECK(says(run, "\"offered\":"));
  const Run erlang = sim(kErlang + "--sl-seconds 20 --target-sl 0.8 --patience-seconds 120 --json");
  CAPTURE(erlang.output);
  CHECK(erlang.exit_code == 0);
  CHECK(says(erlang, "\"agents_needed\":14"));
  CHECK(says(erlang, "\"erlang_a\""));
}

TEST_CASE("--queue-log appends the simulated day in Asterisk's queue_log format") {
  const auto path =
      (std::filesystem::temp_directory_path() / "hotline_sim_command_line_queue_log").string();
  std::filesystem::remove(path);
  const Run run = sim(kQueue + "--hours 1 --arrivals-per-hour 60 --queue-log " + path);
  CHECK(run.exit_code == 0);
  std::ifstream in(path);
  REQUIRE(in);
  int entered = 0, logins = 0;
  for (std::string line; std::getline(in, line);) {
    entered += line.find("|main|NONE|ENTERQUEUE|") != std::string::npos;
    logins += line.find("|AGENTLOGIN") != std::string::npos;
  }
  CHECK(entered > 20);
  CHECK(logins == 5);
  std::filesystem::remove(path);
}
