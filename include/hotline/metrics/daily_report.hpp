// The daily report any host can write: one self-contained HTML page of a
// day's KPIs per interval, per queue and per agent, with charts drawn as
// inline SVG (the page is a static file: no script, nothing fetched). Every
// text that comes from configuration or data is escaped.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "hotline/metrics/kpi.hpp"
#include "hotline/util/time.hpp"

namespace hotline::metrics {

struct DailyReportInput {
  std::string title = "Daily report";
  TimeMs day_start = 0;       // the first interval shown starts here
  DurationMs length = minutes(24 * 60);
  // The service level the center aims for (80 % within each queue's own
  // threshold by default): the charts' target line and Erlang C's staffing.
  double target_service_level = 0.8;
  // What the day was (scenario, site, shifts...): label, value; shown as given.
  std::vector<std::pair<std::string, std::string>> summary;
  // Optional: the most contacts waiting at once, per interval start.
  std::map<TimeMs, int> max_waiting;
};

// The page. `kpi` holds the day (flushed up to its end).
std::string render_daily_report(const KpiCollector& kpi, const DailyReportInput& input);

// Text made safe for HTML content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace hotline::metrics
