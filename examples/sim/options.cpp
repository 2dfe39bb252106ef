#include "options.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <ostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "hotline/metrics/erlang.hpp"

namespace hotline::sim {

namespace {

// A number within [low, high] (or (low, high] when `low_open`); NaN and
// infinities fall outside every range. CLI11 prefixes the flag's name.
CLI::Validator within(double low, double high, bool low_open = false, bool high_open = false) {
  const std::string range = fmt::format("{}{}, {}{}", low_open ? "(" : "[", low, high,
                                        high_open ? ")" : "]");
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double x = 0;
        if (!CLI::detail::lexical_cast(text, x)) return "'" + text + "' is not a number";
        const bool above = low_open ? x > low : x >= low;
        const bool below = high_open ? x < high : x <= high;
        if (!(above && below)) return fmt::format("{} is outside {}", text, range);
        return {};
      },
      range);
}

// A whole number within [low, high], written in decimal digits (an optional
// leading minus for negative bounds): "abc", "1.5" and "-1" for a count are
// refused with what was wrong, before CLI11 converts the text.
CLI::Validator whole_number_within(long long low, unsigned long long high) {
  const std::string range = fmt::format("[{}, {}]", low, high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const bool negative = !text.empty() && text[0] == '-';
        const std::string digits = negative ? text.substr(1) : text;
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
            digits.size() > 20) {
          return "'" + text + "' is not a whole number";
        }
        unsigned long long magnitude = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
        if (error != std::errc() || end != digits.data() + digits.size()) {
          return text + " is outside " + range;
        }
        const auto low_magnitude = static_cast<unsigned long long>(low < 0 ? -(low + 1) : low);
        const bool inside = negative ? low < 0 && magnitude <= low_magnitude + 1
                                     : magnitude <= high && (low <= 0 || magnitude >= low_magnitude);
        if (!inside) return text + " is outside " + range;
        return {};
      },
      range);
}

void add_seed_and_output(CLI::App& app, CommandLine& cl) {
  app.add_option("--seed", cl.seed, "Random seed (runs are reproducible)")
      ->check(whole_number_within(0, UINT64_MAX));
  app.add_option("--interval-minutes,--interval", cl.interval_minutes,
                 "Length of the KPI intervals in the table and report, in minutes")
      ->check(within(kMinIntervalMinutes, kMaxIntervalMinutes));
  app.add_option("--report", cl.report_dir, "Write intervals.csv and report.html to this folder");
  app.add_option("--queue-log", cl.queue_log,
                 "Append the day to this file in Asterisk's queue_log format");
  app.add_option("--trace", cl.trace_path, "Replay the arrivals and handle times of a trace CSV")
      ->check(CLI::ExistingFile);
  app.add_option("--trace-date", cl.trace_date,
                 "The trace's day to replay (YYMMDD); default: the busiest")
      ->needs("--trace");
  app.add_option("--trace-queue", cl.trace_queue, "The queue the trace's callers join")
      ->needs("--trace");
  app.add_flag("--json", cl.json, "Print the run's KPIs as one JSON object");
}

void add_serve(CLI::App& app, CommandLine& cl) {
  const std::string group = "Serve (the day on an accelerated clock behind hotline-ops's API)";
  app.add_flag("--serve", cl.serve, "Serve the run's API, metrics and events while it runs")
      ->group(group);
  app.add_option("--access", cl.access_path, "The server's tokens (docs/ops-server.md)")
      ->check(CLI::ExistingFile)->needs("--serve")->group(group);
  app.add_option("--address", cl.address, "The address to listen on")
      ->needs("--serve")->group(group)->capture_default_str();
  app.add_option("--port", cl.port, "The TCP port (0: any free one)")
      ->check(whole_number_within(0, 65535))->needs("--serve")->group(group)
      ->capture_default_str();
  app.add_option("--speed", cl.speed, "Simulated seconds per second")
      ->check(within(kMinServeSpeed, kMaxServeSpeed))->needs("--serve")->group(group)
      ->capture_default_str();
  app.add_option("--web", cl.web_root, "The pages' folder (default: the server's)")
      ->check(CLI::ExistingDirectory)->needs("--serve")->group(group);
  app.add_option("--chartjs", cl.chartjs_dir, "The charting library's folder (libjs-chart.js)")
      ->needs("--serve")->group(group)->capture_default_str();
  app.add_option("--store", cl.store_path,
                 "The SQLite store of customers and tickets the API serves and callers are "
                 "looked up in (created if new)")
      ->needs("--serve")->group(group);
}

void add_quick_queue(CLI::App& app, CommandLine& cl) {
  QuickQueueOptions& q = cl.quick;
  const std::string group = "Single queue (M/M/N, or M/M/N+M with --patience-seconds)";
  app.add_option("--agents", q.agents, "Agents serving the queue (selects this mode)")
      ->check(whole_number_within(1, kMaxQuickAgents))->group(group);
  app.add_option("--arrivals-per-hour", q.arrivals_per_hour, "Poisson arrival rate")
      ->check(within(0, kMaxArrivalsPerHour))->group(group)->capture_default_str();
  app.add_option("--aht-seconds", q.aht_seconds, "Mean handle time (exponential)")
      ->check(within(0, kMaxDurationSeconds, true))->group(group)->capture_default_str();
  app.add_option("--patience-seconds", q.patience_seconds, "Mean patience (exponential)")
      ->check(within(0, kMaxDurationSeconds, true))->group(group);
  app.add_option("--hours", q.hours, "Length of the run")
      ->check(within(0, kMaxHours, true))->group(group)->capture_default_str();
  app.add_option("--sl-seconds", q.sl_seconds, "Service-level threshold")
      ->check(within(0, kMaxDurationSeconds))->group(group)->capture_default_str();
}

void add_erlang(CLI::App& erlang, ErlangOptions& e) {
  using metrics::kMaxAgents;
  using metrics::kMaxSeconds;
  erlang.add_option("--arrivals-per-hour", e.arrivals_per_hour, "Arrival rate")
      ->required()->check(within(0, HUGE_VAL, true, true));
  erlang.add_option("--aht-seconds", e.aht_seconds, "Average handle time")
      ->required()->check(within(0, kMaxSeconds, true));
  erlang.add_option("--sl-seconds", e.sl_seconds, "T in \"the target share answered within T\"")
      ->check(within(0, kMaxSeconds))->capture_default_str();
  erlang.add_option("--target-sl", e.target_sl, "Target service level, a probability")
      ->check(within(0, 1, true, true))->capture_default_str();
  erlang.add_option("--agents", e.agents, "Evaluate this many agents instead of the ones needed")
      ->check(whole_number_within(1, kMaxAgents));
  erlang.add_option("--patience-seconds", e.patience_seconds, "Mean patience: adds Erlang A")
      ->check(within(0, kMaxSeconds, true));
  erlang.add_option("--occupancy-cap", e.occupancy_cap, "At most this busy")
      ->check(within(0, 1, true))->capture_default_str();
  erlang.add_option("--shrinkage", e.shrinkage, "Share of paid time off the phones")
      ->check(within(0, 1, false, true))->capture_default_str();
}

// Checks that span several flags, after each flag passed its own.
std::string cross_check(const CommandLine& cl) {
  if (cl.mode == CommandLine::Mode::kQuickQueue) {
    const double callers = cl.quick.arrivals_per_hour * cl.quick.hours;
    if (callers > kMaxExpectedCallers) {
      return fmt::format("--arrivals-per-hour × --hours: {} expected callers exceeds the limit "
                         "of {}",
                         callers, kMaxExpectedCallers);
    }
  }
  if (cl.mode == CommandLine::Mode::kErlang) {
    const double erlangs = cl.erlang.arrivals_per_hour * cl.erlang.aht_seconds / 3600;
    if (erlangs > metrics::kMaxOfferedErlangs) {
      return fmt::format("--arrivals-per-hour × --aht-seconds / 3600: {} erlangs exceeds the "
                         "limit of {}",
                         erlangs, metrics::kMaxOfferedErlangs);
    }
  }
  return {};
}

}  // namespace

std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv,
                                                  std::ostream& out, std::ostream& err) {
  CommandLine cl;
  CLI::App app("Simulate a contact center on the real engine: a scenario file, a single "
               "queue (--agents ...), or the Erlang calculators (erlang ...).",
               "hotline-sim");
  app.set_version_flag("--version", std::string("hotline-sim ") + HOTLINE_VERSION);
  app.add_option("scenario", cl.scenario_path, "Scenario JSON (docs/simulator.md)");
  add_quick_queue(app, cl);
  add_seed_and_output(app, cl);
  add_serve(app, cl);
  CLI::App* erlang = app.add_subcommand("erlang", "Erlang C (and Erlang A) staffing");
  add_erlang(*erlang, cl.erlang);
  erlang->add_flag("--json", cl.json, "Print one line of JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << app.version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "hotline-sim: " << e.what() << "\nRun with --help for more information.\n";
    return 2;
  }

  if (erlang->parsed()) {
    cl.mode = CommandLine::Mode::kErlang;
  } else if (app.count("--agents") > 0) {
    cl.mode = CommandLine::Mode::kQuickQueue;
  } else if (!cl.scenario_path.empty()) {
    cl.mode = CommandLine::Mode::kScenario;
  } else {
    err << "hotline-sim: give a scenario file, --agents N for a single queue, or erlang\n"
        << "Run with --help for more information.\n";
    return 2;
  }
  // Either a scenario, a single queue, or the calculators; never a mixture.
  // (Checked here rather than by CLI11 so that an unknown flag is reported
  // first, not the value after it taken for a scenario.)
  if (cl.mode == CommandLine::Mode::kQuickQueue && !cl.scenario_path.empty()) {
    err << "hotline-sim: --agents runs a single queue and cannot be combined with the scenario "
        << cl.scenario_path << "\n";
    return 2;
  }
  if (cl.mode == CommandLine::Mode::kScenario) {
    for (const char* flag : {"--arrivals-per-hour", "--aht-seconds", "--patience-seconds",
                             "--hours", "--sl-seconds"}) {
      if (app.count(flag) > 0) {
        err << "hotline-sim: " << flag << " describes the single queue and needs --agents; "
            << "a scenario file sets it in \"simulation\"\n";
        return 2;
      }
    }
  }
  if (cl.serve) {
    if (cl.mode == CommandLine::Mode::kErlang || cl.json || !cl.report_dir.empty()) {
      err << "hotline-sim: --serve runs a scenario or a single queue live; it cannot be "
          << "combined with erlang, --json or --report\n";
      return 2;
    }
    if (cl.access_path.empty()) {
      err << "hotline-sim: --serve needs --access, the file of the server's tokens\n";
      return 2;
    }
  }
  if (const std::string problem = cross_check(cl); !problem.empty()) {
    err << "hotline-sim: " << problem << "\n";
    return 2;
  }
  return cl;
}

}  // namespace hotline::sim
