// hotline-sim --serve: the scenario's day on an accelerated clock behind the
// operations server (docs/ops-server.md), so the API, the metrics and the
// event stream move without a phone.
#pragma once

#include <string>

#include "simulator.hpp"

namespace hotline::sim {

struct ServeOptions {
  std::string access_path;  // the server's tokens (ops.json)
  std::string address = "127.0.0.1";
  int port = 8080;
  double speed = 60;  // simulated seconds per wall-clock second
  std::string web_root;  // the pages' folder; empty: the server's default
  std::string chartjs_dir;  // the charting library's folder
  // The SQLite store of customers and tickets (created if new): the API's
  // customer and ticket routes, the callers' lookup by caller id and the
  // open tickets of the screen pop. Empty: none, as hotline-ops without it.
  std::string store_path;
};

// Runs until SIGINT or SIGTERM; the day ending leaves the final state served.
// Returns the process's exit code.
int serve(const Scenario& scenario, const ServeOptions& options);

}  // namespace hotline::sim
