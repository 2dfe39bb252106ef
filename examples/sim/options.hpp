// hotline-sim's command line: what each flag means, its limits, and the
// parsing that refuses anything else with a message naming the flag.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>

namespace hotline::sim {

// Bounds on the quick single-queue run, so that no flag can ask for a run
// that does not end (docs/simulator.md, "Limits").
inline constexpr int kMaxQuickAgents = 10'000;
inline constexpr double kMaxArrivalsPerHour = 1e6;
inline constexpr double kMaxHours = 8'784;              // a leap year
inline constexpr double kMaxExpectedCallers = 1e8;      // arrivals per hour × hours
inline constexpr double kMaxDurationSeconds = 86'400;   // AHT, patience, service-level threshold
inline constexpr double kMinIntervalMinutes = 1;
inline constexpr double kMaxIntervalMinutes = 1'440;
inline constexpr double kMinServeSpeed = 0.1;  // --speed: simulated seconds per second
inline constexpr double kMaxServeSpeed = 10'000;

struct QuickQueueOptions {
  int agents = 1;
  double arrivals_per_hour = 100;
  double aht_seconds = 180;
  std::optional<double> patience_seconds;  // none: callers never give up
  double hours = 8;
  double sl_seconds = 20;
};

struct ErlangOptions {
  double arrivals_per_hour = 0;
  double aht_seconds = 0;
  double sl_seconds = 20;
  double target_sl = 0.8;
  std::optional<int> agents;  // none: the agents each model needs
  std::optional<double> patience_seconds;  // adds Erlang A
  double occupancy_cap = 1.0;
  double shrinkage = 0.0;
};

struct CommandLine {
  enum class Mode { kScenario, kQuickQueue, kErlang } mode = Mode::kScenario;
  std::string scenario_path;  // kScenario
  QuickQueueOptions quick;    // kQuickQueue
  ErlangOptions erlang;       // kErlang
  std::optional<std::uint64_t> seed;
  std::optional<double> interval_minutes;  // KPI intervals; none: the scenario's
  std::string report_dir;                  // empty: no report files
  std::string queue_log;                   // empty: no queue_log file
  std::string trace_path, trace_date, trace_queue = "main";
  bool json = false;
  // --serve: the day on an accelerated clock behind the operations server.
  bool serve = false;
  std::string access_path;  // --access: the server's tokens
  std::string address = "127.0.0.1";
  int port = 8080;
  double speed = 60;  // simulated seconds per second
  std::string web_root;  // --web: the pages' folder; empty: the server's default
  std::string chartjs_dir = "/usr/share/javascript/chart.js";  // --chartjs
  std::string store_path;  // --store: the SQLite store the API and the screen pop read
};

// Parses the arguments. On --help or --version it prints to `out` and returns
// exit code 0; on a bad flag or value it prints the reason (naming the flag)
// and a hint to `err` and returns exit code 2.
std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv,
                                                  std::ostream& out, std::ostream& err);

}  // namespace hotline::sim
