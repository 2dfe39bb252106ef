// hotline-sim: simulate a contact center on the real engine.
//
//   hotline-sim SCENARIO.json [--report DIR] [--seed N] [--trace CSV [--trace-date YYMMDD]]
//   hotline-sim --agents N --arrivals-per-hour R --aht-seconds S [--patience-seconds P]
//               --hours H --seed X --sl-seconds T [--json]
//   hotline-sim erlang --arrivals-per-hour R --aht-seconds S --sl-seconds T --target-sl 0.8
//               [--agents N] [--patience-seconds P] [--occupancy-cap C] [--shrinkage X] [--json]
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "hotline/metrics/erlang.hpp"
#include "report.hpp"
#include "simulator.hpp"

using namespace hotline;
using nlohmann::json;

namespace {

struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
  bool has(const std::string& k) const { return options.count(k) > 0; }
  double number(const std::string& k, double fallback) const {
    auto it = options.find(k);
    return it == options.end() ? fallback : std::stod(it->second);
  }
};

Args parse(int argc, char** argv, int from) {
  Args a;
  for (int i = from; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      const std::string key = s.substr(2);
      if (key == "json") {
        a.options[key] = "1";
      } else if (i + 1 < argc) {
        a.options[key] = argv[++i];
      } else {
        throw std::invalid_argument("--" + key + " needs a value");
      }
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

int erlang_command(const Args& a) {
  metrics::Workload w{a.number("arrivals-per-hour", 0), a.number("aht-seconds", 0),
                      a.number("sl-seconds", 20)};
  if (!(w.arrivals_per_hour > 0) || !(w.aht_seconds > 0)) {
    std::cerr << "hotline-sim erlang: --arrivals-per-hour and --aht-seconds must be positive\n";
    return 2;
  }
  metrics::StaffingGoal goal{a.number("target-sl", 0.8), a.number("occupancy-cap", 1.0),
                             a.number("shrinkage", 0.0)};
  const bool patience = a.has("patience-seconds");
  json out;
  out["offered_erlangs"] = w.offered_erlangs();
  auto staffing = metrics::erlang_c_agents(w, goal);
  const int agents = a.has("agents") ? static_cast<int>(a.number("agents", 0)) : staffing.agents;
  auto c = metrics::erlang_c(w, agents);
  out["erlang_c"] = {{"agents_needed", staffing.agents},
                     {"agents_scheduled", staffing.scheduled},
                     {"agents", agents},
                     {"probability_wait", c.probability_wait},
                     {"service_level", c.service_level},
                     {"asa_seconds", c.asa_seconds},
                     {"occupancy", c.occupancy},
                     {"stable", c.stable}};
  if (patience) {
    const double p = a.number("patience-seconds", 0);
    auto need = metrics::erlang_a_agents(w, p, goal);
    const int n = a.has("agents") ? agents : need.agents;
    auto r = metrics::erlang_a(w, n, p);
    out["erlang_a"] = {{"agents_needed", need.agents},
                       {"agents_scheduled", need.scheduled},
                       {"agents", n},
                       {"probability_wait", r.probability_wait},
                       {"probability_abandon", r.probability_abandon},
                       {"service_level", r.service_level},
                       {"average_wait_seconds", r.average_wait_seconds},
                       {"occupancy", r.occupancy}};
  }
  if (a.has("json")) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << out.dump(2) << "\n";
  }
  return 0;
}

json kpi_json(const sim::Outcome& o) {
  const auto t = o.kpi.all_queues_total();
  metrics::AgentCounts agents;
  for (const auto& id : o.kpi.agents()) agents += o.kpi.agent_total(id);
  const auto f = o.kpi.options().formula;
  return {{"offered", t.offered},
          {"answered", t.answered},
          {"abandoned", t.abandoned},
          {"service_level", metrics::service_level(t, f)},
          {"service_level_answered", metrics::service_level(t, metrics::ServiceLevelFormula::kAnswered)},
          {"asa_seconds", metrics::average_speed_of_answer_ms(t) / 1000},
          {"abandon_rate", metrics::abandonment_rate(t)},
          {"aht_seconds", metrics::average_handle_time_ms(t) / 1000},
          {"occupancy", metrics::occupancy(agents)},
          {"longest_wait_seconds", t.longest_wait_ms / 1000.0},
          {"first_contact_resolution", metrics::first_contact_resolution(t)},
          {"csat_top_box", metrics::csat_top_box(t)},
          {"csat_responses", t.csat_responses},
          {"tickets", o.tickets},
          {"contacts", o.contacts},
          {"engine_events", o.engine_events}};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc > 1 && std::string(argv[1]) == "erlang") return erlang_command(parse(argc, argv, 2));
    Args a = parse(argc, argv, 1);
    sim::Scenario scenario;
    std::string title;
    if (a.has("agents")) {
      std::optional<double> patience;
      if (a.has("patience-seconds")) patience = a.number("patience-seconds", 0);
      scenario = sim::single_queue(static_cast<int>(a.number("agents", 1)),
                                   a.number("arrivals-per-hour", 100), a.number("aht-seconds", 180),
                                   patience, a.number("hours", 8),
                                   static_cast<std::uint64_t>(a.number("seed", 1)),
                                   a.number("sl-seconds", 20));
      title = fmt::format("One queue, {} agents", a.options["agents"]);
    } else if (!a.positional.empty()) {
      std::ifstream in(a.positional[0]);
      if (!in) throw std::invalid_argument("cannot open " + a.positional[0]);
      json j = json::parse(in, nullptr, false);
      if (j.is_discarded()) throw std::invalid_argument(a.positional[0] + " is not valid JSON");
      // Flows may live in files of their own, named relative to the scenario.
      if (auto files = j.find("flow_files"); files != j.end() && files->is_array()) {
        const auto base = std::filesystem::path(a.positional[0]).parent_path();
        for (const auto& name : *files) {
          std::ifstream flow_in(base / name.get<std::string>());
          if (!flow_in) throw std::invalid_argument("cannot open flow " + name.get<std::string>());
          j["flows"].push_back(json::parse(flow_in));
        }
        j.erase("flow_files");
      }
      auto sc = sim::scenario_from_json(j);
      if (!sc) throw std::invalid_argument(a.positional[0] + ": " + sc.error().message);
      scenario = std::move(sc).value();
      title = j.value("/simulation/title"_json_pointer, std::string("Simulated day"));
      if (a.has("seed")) scenario.seed = static_cast<std::uint64_t>(a.number("seed", 1));
    } else {
      std::cerr << "usage: hotline-sim SCENARIO.json [--report DIR] | --agents N ... | erlang ...\n";
      return 2;
    }
    if (a.has("trace")) {
      std::string date = a.has("trace-date") ? a.options["trace-date"] : "";
      const std::string queue = a.has("trace-queue") ? a.options["trace-queue"] : "main";
      auto trace = sim::read_bank_trace(a.options["trace"], date, queue, scenario.start, &date);
      if (!trace) throw std::invalid_argument(trace.error().message);
      scenario.trace = std::move(trace).value();
      scenario.streams.clear();
      title += fmt::format(" — replay of {} ({} calls)", date, scenario.trace.size());
    }
    sim::Outcome outcome = sim::run(scenario);
    if (a.has("json")) {
      std::cout << kpi_json(outcome).dump() << "\n";
      return 0;
    }
    sim::print_table(std::cout, outcome, scenario, title);
    if (a.has("report")) {
      const std::string dir = a.options["report"];
      std::filesystem::create_directories(dir);
      sim::write_csv(dir + "/intervals.csv", outcome, scenario);
      sim::write_html(dir + "/report.html", outcome, scenario, title);
      std::cout << "\nReport: " << std::filesystem::absolute(dir + "/report.html").string() << "\n"
                << "CSV:    " << std::filesystem::absolute(dir + "/intervals.csv").string() << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "hotline-sim: " << e.what() << "\n";
    return 1;
  }
}
