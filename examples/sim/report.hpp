// What a simulated day looks like: a KPI table per interval on the terminal,
// the same as CSV, and the daily HTML report (metrics/daily_report.hpp).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "simulator.hpp"

namespace hotline::sim {

struct IntervalRow {
  TimeMs start = 0;
  metrics::QueueCounts queues;
  metrics::AgentCounts agents;
  int max_waiting = 0;
};

// What a queue's measured day asks of staffing: Erlang C's agents for its
// offered calls per hour (transfers in included) and its AHT (hold and
// consultations included), 80 % answered within the queue's threshold.
struct QueueStaffing {
  std::string queue;
  double arrivals_per_hour = 0;
  double aht_seconds = 0;
  int erlang_c_agents = 0;  // 0: nothing offered, or a load the calculator refuses
};

std::vector<QueueStaffing> staffing(const Outcome& o, const Scenario& s);

std::vector<IntervalRow> interval_rows(const Outcome& o, const Scenario& s);
void print_table(std::ostream& out, const Outcome& o, const Scenario& s, const std::string& title);
void write_csv(const std::string& path, const Outcome& o, const Scenario& s);
void write_html(const std::string& path, const Outcome& o, const Scenario& s,
                const std::string& title);

}  // namespace hotline::sim
