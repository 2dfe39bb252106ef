// hotline-sim: simulate a contact center on the real engine.
//
//   hotline-sim SCENARIO.json [--report DIR] [--seed N] [--trace CSV [--trace-date YYMMDD]]
//   hotline-sim --agents N --arrivals-per-hour R --aht-seconds S [--patience-seconds P]
//               --hours H --seed X --sl-seconds T [--json]
//   hotline-sim SCENARIO.json --serve --access OPS.json [--port N] [--speed X] [--web DIR]
//               [--store FILE]
//   hotline-sim erlang --arrivals-per-hour R --aht-seconds S --sl-seconds T --target-sl 0.8
//               [--agents N] [--patience-seconds P] [--occupancy-cap C] [--shrinkage X] [--json]
//
// The flags and their limits are in options.cpp; `hotline-sim --help` lists them.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "hotline/metrics/erlang.hpp"
#include "options.hpp"
#include "report.hpp"
#ifdef HOTLINE_SIM_SERVE
#include "serve.hpp"
#endif
#include "simulator.hpp"

using namespace hotline;
using nlohmann::json;

namespace {

// Unwraps a calculator's answer; the flags were checked, so a refusal here
// is a combination of values the calculator cannot answer in bounded time.
template <typename T>
T answer(Result<T> r) {
  if (!r) throw std::invalid_argument("erlang: " + r.error().message);
  return std::move(r).value();
}

// The quick flags' limits hold for scenario files too, so that no file can
// ask for a run that does not end (docs/simulator.md, "Limits").
void check_run_limits(const sim::Scenario& sc, const std::string& where) {
  const double hours = static_cast<double>(sc.length) / 3'600'000;
  if (!(hours > 0 && hours <= sim::kMaxHours)) {
    throw std::invalid_argument(
        fmt::format("{}: simulation.hours: {} is outside (0, {}]", where, hours, sim::kMaxHours));
  }
  if (sc.kpi.interval_ms < 60'000 || sc.kpi.interval_ms > 1'440 * 60'000) {
    throw std::invalid_argument(fmt::format(
        "{}: the KPI interval of {} ms is outside [1, 1440] minutes", where, sc.kpi.interval_ms));
  }
  double callers = 0;
  for (std::size_t i = 0; i < sc.streams.size(); ++i) {
    if (sc.streams[i].rate_interval_ms < 60'000) {
      throw std::invalid_argument(fmt::format(
          "{}: $.simulation.streams[{}].rate_interval_minutes: must be at least 1", where, i));
    }
    double peak = 0;
    for (double rate : sc.streams[i].arrivals_per_hour) {
      if (!(rate >= 0 && rate <= sim::kMaxArrivalsPerHour)) {
        throw std::invalid_argument(
            fmt::format("{}: $.simulation.streams[{}].arrivals_per_hour: {} is outside [0, {}]",
                        where, i, rate, sim::kMaxArrivalsPerHour));
      }
      peak = std::max(peak, rate);
    }
    callers += peak * hours;
  }
  if (callers > sim::kMaxExpectedCallers) {
    throw std::invalid_argument(fmt::format("{}: up to {} expected callers exceeds the limit of {}",
                                            where, callers, sim::kMaxExpectedCallers));
  }
}

int erlang_command(const sim::CommandLine& cl) {
  const sim::ErlangOptions& e = cl.erlang;
  const metrics::Workload w{e.arrivals_per_hour, e.aht_seconds, e.sl_seconds};
  const metrics::StaffingGoal goal{e.target_sl, e.occupancy_cap, e.shrinkage};
  json out;
  out["offered_erlangs"] = w.offered_erlangs();
  const auto staffing = answer(metrics::erlang_c_agents(w, goal));
  const int agents = e.agents.value_or(staffing.agents);
  const auto c = answer(metrics::erlang_c(w, agents));
  out["erlang_c"] = {{"agents_needed", staffing.agents},
                     {"agents_scheduled", staffing.scheduled},
                     {"agents", agents},
                     {"probability_wait", c.probability_wait},
                     {"service_level", c.service_level},
                     {"asa_seconds", c.asa_seconds},
                     {"occupancy", c.occupancy},
                     {"stable", c.stable}};
  if (e.patience_seconds) {
    const double p = *e.patience_seconds;
    const auto need = answer(metrics::erlang_a_agents(w, p, goal));
    const int n = e.agents.value_or(need.agents);
    const auto r = answer(metrics::erlang_a(w, n, p));
    out["erlang_a"] = {{"agents_needed", need.agents},
                       {"agents_scheduled", need.scheduled},
                       {"agents", n},
                       {"probability_wait", r.probability_wait},
                       {"probability_abandon", r.probability_abandon},
                       {"service_level", r.service_level},
                       {"average_wait_seconds", r.average_wait_seconds},
                       {"occupancy", r.occupancy}};
  }
  if (cl.json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << out.dump(2) << "\n";
  }
  return 0;
}

// Per queue: Erlang C's agents for the day as measured (report.hpp).
json staffing_json(const sim::Outcome& o, const sim::Scenario& s) {
  json out = json::object();
  for (const sim::QueueStaffing& st : sim::staffing(o, s)) {
    out[st.queue] = {{"arrivals_per_hour", st.arrivals_per_hour},
                     {"aht_seconds", st.aht_seconds},
                     {"erlang_c_agents", st.erlang_c_agents}};
  }
  return out;
}

json kpi_json(const sim::Outcome& o, const sim::Scenario& s) {
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
          {"engine_events", o.engine_events},
          {"hold_seconds", metrics::average_hold_ms(t) / 1000},
          {"holds", t.holds},
          {"transfers", t.transfers},
          {"consultations", t.consultations},
          {"conferences", t.conferences},
          {"staffing", staffing_json(o, s)}};
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = sim::parse_command_line(argc, argv, std::cout, std::cerr);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const sim::CommandLine& cl = std::get<sim::CommandLine>(parsed);
  try {
    if (cl.mode == sim::CommandLine::Mode::kErlang) return erlang_command(cl);
    sim::Scenario scenario;
    std::string title;
    if (cl.mode == sim::CommandLine::Mode::kQuickQueue) {
      const sim::QuickQueueOptions& q = cl.quick;
      scenario = sim::single_queue(q.agents, q.arrivals_per_hour, q.aht_seconds,
                                   q.patience_seconds, q.hours, cl.seed.value_or(1), q.sl_seconds);
      title = fmt::format("One queue, {} agents", q.agents);
    } else {
      const std::string& path = cl.scenario_path;
      std::ifstream in(path);
      if (!in) throw std::invalid_argument("cannot open " + path);
      json j = json::parse(in, nullptr, false);
      if (j.is_discarded()) throw std::invalid_argument(path + " is not valid JSON");
      // Flows may live in files of their own, named relative to the scenario.
      if (auto files = j.find("flow_files"); files != j.end() && files->is_array()) {
        const auto base = std::filesystem::path(path).parent_path();
        for (const auto& name : *files) {
          std::ifstream flow_in(base / name.get<std::string>());
          if (!flow_in) throw std::invalid_argument("cannot open flow " + name.get<std::string>());
          j["flows"].push_back(json::parse(flow_in));
        }
        j.erase("flow_files");
      }
      auto sc = sim::scenario_from_json(j);
      if (!sc) throw std::invalid_argument(path + ": " + sc.error().message);
      scenario = std::move(sc).value();
      title = j.value("/simulation/title"_json_pointer, std::string("Simulated day"));
      if (cl.seed) scenario.seed = *cl.seed;
    }
    if (cl.interval_minutes) {
      scenario.kpi.interval_ms = static_cast<DurationMs>(*cl.interval_minutes * 60'000);
    }
    check_run_limits(scenario, cl.mode == sim::CommandLine::Mode::kScenario ? cl.scenario_path
                                                                             : "hotline-sim");
    if (!cl.trace_path.empty()) {
      std::string date = cl.trace_date;
      auto trace = sim::read_bank_trace(cl.trace_path, date, cl.trace_queue, scenario.start, &date);
      if (!trace) throw std::invalid_argument(trace.error().message);
      scenario.trace = std::move(trace).value();
      scenario.streams.clear();
      title += fmt::format(" — replay of {} ({} calls)", date, scenario.trace.size());
    }
    scenario.queue_log = cl.queue_log;
    if (cl.serve) {
#ifdef HOTLINE_SIM_SERVE
      return sim::serve(scenario, sim::ServeOptions{cl.access_path, cl.address, cl.port,
                                                    cl.speed, cl.web_root, cl.chartjs_dir,
                                                    cl.store_path});
#else
      throw std::invalid_argument(
          "--serve: this hotline-sim was built without the operations server "
          "(HOTLINE_BUILD_OPS=OFF)");
#endif
    }
    sim::Outcome outcome = sim::run(scenario);
    if (cl.json) {
      std::cout << kpi_json(outcome, scenario).dump() << "\n";
      return 0;
    }
    sim::print_table(std::cout, outcome, scenario, title);
    if (!cl.report_dir.empty()) {
      const std::string& dir = cl.report_dir;
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
