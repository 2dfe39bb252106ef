// What a simulated day looks like: a KPI table per interval on the terminal,
// the same as CSV, and a self-contained HTML page with SVG charts.
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

std::vector<IntervalRow> interval_rows(const Outcome& o, const Scenario& s);
void print_table(std::ostream& out, const Outcome& o, const Scenario& s, const std::string& title);
void write_csv(const std::string& path, const Outcome& o, const Scenario& s);
void write_html(const std::string& path, const Outcome& o, const Scenario& s,
                const std::string& title);

}  // namespace hotline::sim
