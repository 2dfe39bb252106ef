#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>

#include "hotline/metrics/erlang.hpp"

namespace hotline::sim {

namespace {

std::string clock(TimeMs t, TimeMs day_start) {
  const TimeMs m = (t - day_start) / 60'000;
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

double pct(double x) { return 100.0 * x; }

// One line chart: values per interval, y from 0 to `top`.
std::string svg_chart(const std::string& title, const std::vector<IntervalRow>& rows,
                      const std::vector<double>& values, double top, const std::string& unit,
                      const Scenario& s, double target = -1) {
  const int w = 860, h = 220, left = 50, right = 15, up = 30, down = 35;
  const double pw = w - left - right, ph = h - up - down;
  std::string out = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' role='img'>"
      "<text x='{}' y='18' font-size='14' font-weight='bold'>{}</text>",
      w, h, left, title);
  if (top <= 0) top = 1;
  for (int k = 0; k <= 4; ++k) {
    const double y = up + ph - ph * k / 4;
    out += fmt::format("<line x1='{}' y1='{:.1f}' x2='{}' y2='{:.1f}' stroke='#ddd'/>"
                       "<text x='{}' y='{:.1f}' font-size='10' text-anchor='end'>{:.0f}{}</text>",
                       left, y, w - right, y, left - 4, y + 3, top * k / 4, unit);
  }
  const std::size_t n = rows.size();
  auto x_of = [&](std::size_t i) { return left + (n <= 1 ? 0 : pw * i / (n - 1)); };
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, n / 12)) {
    out += fmt::format("<text x='{:.1f}' y='{}' font-size='10' text-anchor='middle'>{}</text>",
                       x_of(i), h - down + 14, clock(rows[i].start, s.start));
  }
  if (target >= 0) {
    const double y = up + ph - ph * std::min(target, top) / top;
    out += fmt::format("<line x1='{}' y1='{:.1f}' x2='{}' y2='{:.1f}' stroke='#c33' "
                       "stroke-dasharray='4 3'/>", left, y, w - right, y);
  }
  // NaN marks an interval without data (closed hours): the line breaks there.
  std::string points;
  auto flush = [&] {
    if (!points.empty()) {
      out += "<polyline fill='none' stroke='#2563eb' stroke-width='2' points='" + points + "'/>";
    }
    points.clear();
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(values[i])) {
      flush();
      continue;
    }
    const double y = up + ph - ph * std::min(values[i], top) / top;
    points += fmt::format("{:.1f},{:.1f} ", x_of(i), y);
  }
  flush();
  out += "</svg>";
  return out;
}

// A ratio for the terminal table, or "–" when nothing was there to measure
// (a closed interval has no service level, not a service level of 0).
std::string cell(bool measured, double value, const char* format) {
  return measured ? fmt::format(fmt::runtime(format), value) : std::string("–");
}

std::string blank_unless(bool measured, double value, const char* format) {
  return measured ? fmt::format(fmt::runtime(format), value) : std::string();
}

}  // namespace

std::vector<IntervalRow> interval_rows(const Outcome& o, const Scenario& s) {
  std::vector<IntervalRow> rows;
  const DurationMs step = o.kpi.options().interval_ms;
  for (TimeMs t = s.start; t < s.start + s.length; t += step) {
    IntervalRow r;
    r.start = t;
    for (const auto& q : o.kpi.queues()) {
      auto& iv = o.kpi.queue_intervals(q);
      if (auto it = iv.find(t); it != iv.end()) r.queues += it->second;
    }
    for (const auto& a : o.kpi.agents()) {
      auto& iv = o.kpi.agent_intervals(a);
      if (auto it = iv.find(t); it != iv.end()) r.agents += it->second;
    }
    for (const auto& [at, waiting] : o.waiting_samples) {
      if (at == t) r.max_waiting = waiting;
    }
    rows.push_back(r);
  }
  return rows;
}

std::vector<QueueStaffing> staffing(const Outcome& o, const Scenario& s) {
  std::vector<QueueStaffing> rows;
  const double hours = static_cast<double>(s.length) / 3'600'000;
  for (const auto& q : o.kpi.queues()) {
    const metrics::QueueCounts c = o.kpi.queue_total(q);
    QueueStaffing row;
    row.queue = q;
    row.arrivals_per_hour = hours > 0 ? static_cast<double>(c.offered) / hours : 0;
    row.aht_seconds = metrics::average_handle_time_ms(c) / 1000;
    if (row.arrivals_per_hour > 0 && row.aht_seconds > 0) {
      const metrics::Workload w{row.arrivals_per_hour, row.aht_seconds,
                                static_cast<double>(o.kpi.service_level_ms(q)) / 1000};
      if (auto need = metrics::erlang_c_agents(w, metrics::StaffingGoal{})) {
        row.erlang_c_agents = need->agents;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void print_table(std::ostream& out, const Outcome& o, const Scenario& s, const std::string& title) {
  const auto f = o.kpi.options().formula;
  out << title << "\n\n";
  out << fmt::format("{:>5} {:>7} {:>8} {:>9} {:>10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7}\n",
                     "time", "offered", "answered", "abandoned", "overflowed", "removed",
                     "refused", "SL %", "ASA s", "AHT s", "occupancy", "waiting");
  for (const IntervalRow& r : interval_rows(o, s)) {
    if (r.queues.offered == 0 && r.queues.refused == 0 && r.agents.logged_in_ms == 0) continue;
    const metrics::QueueCounts& q = r.queues;
    out << fmt::format("{:>5} {:>7} {:>8} {:>9} {:>10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7}\n",
                       clock(r.start, s.start), q.offered, q.answered, q.abandoned, q.overflowed,
                       q.removed, q.refused,
                       cell(q.offered > q.short_abandoned, pct(metrics::service_level(q, f)),
                            "{:.1f}"),
                       cell(q.answered > 0, metrics::average_speed_of_answer_ms(q) / 1000,
                            "{:.1f}"),
                       cell(q.handled > 0, metrics::average_handle_time_ms(q) / 1000, "{:.0f}"),
                       cell(r.agents.logged_in_ms > 0, pct(metrics::occupancy(r.agents)),
                            "{:.1f}%"),
                       r.max_waiting);
  }
  const auto t = o.kpi.all_queues_total();
  metrics::AgentCounts agents;
  for (const auto& id : o.kpi.agents()) agents += o.kpi.agent_total(id);
  out << fmt::format("{:>5} {:>7} {:>8} {:>9} {:>10} {:>7} {:>7} {:>7.1f} {:>7.1f} {:>7.0f} "
                     "{:>8.1f}%\n", "day", t.offered, t.answered, t.abandoned, t.overflowed,
                     t.removed, t.refused, pct(metrics::service_level(t, f)),
                     metrics::average_speed_of_answer_ms(t) / 1000,
                     metrics::average_handle_time_ms(t) / 1000, pct(metrics::occupancy(agents)));
  if (o.tickets > 0) {
    out << fmt::format("\nTickets: {} opened, {} resolved; first-contact resolution {:.1f}%; "
                       "CSAT {:.1f}% top box (4-5) of {} responses, mean {:.2f}.",
                       o.tickets, t.resolutions, pct(metrics::first_contact_resolution(t)),
                       pct(metrics::csat_top_box(t)), t.csat_responses,
                       t.csat_responses ? t.csat_sum / static_cast<double>(t.csat_responses) : 0.0);
  }
  std::string thresholds;
  for (const auto& q : o.kpi.queues()) {
    thresholds += fmt::format("{}{} {:g} s", thresholds.empty() ? "" : ", ", q,
                              static_cast<double>(o.kpi.service_level_ms(q)) / 1000);
  }
  out << fmt::format("\nEach contact is counted in the interval it arrived in: offered = answered "
                     "+ abandoned + removed (overflowed contacts are removed by their flow, or "
                     "answered or abandoned later); refused never entered the queue.");
  out << fmt::format("\nService level: answered within the queue's threshold ({}) over offered "
                     "less abandons under {} s. Longest wait {:.0f} s.\n",
                     thresholds, o.kpi.options().short_abandon_ms / 1000,
                     t.longest_wait_ms / 1000.0);
  for (const auto& q : o.kpi.queues()) {
    const auto c = o.kpi.queue_total(q);
    out << fmt::format("  {:<10} offered {:>5}  answered {:>5}  abandoned {:>4}  overflowed {:>4}  "
                       "removed {:>4}  refused {:>4}  SL {:>5.1f}% in {:g} s  ASA {:>5.1f} s\n",
                       q, c.offered, c.answered, c.abandoned, c.overflowed, c.removed, c.refused,
                       pct(metrics::service_level(c, f)),
                       static_cast<double>(o.kpi.service_level_ms(q)) / 1000,
                       metrics::average_speed_of_answer_ms(c) / 1000);
    if (c.holds + c.transfers + c.consultations + c.conferences > 0) {
      out << fmt::format("  {:<10} AHT {:.0f} s = talk {:.0f} + hold {:.0f} + wrap-up {:.0f}; "
                         "{} holds, {} consultations, {} transfers, {} conferences\n",
                         "", metrics::average_handle_time_ms(c) / 1000,
                         metrics::average_talk_ms(c) / 1000, metrics::average_hold_ms(c) / 1000,
                         metrics::average_wrap_ms(c) / 1000, c.holds, c.consultations,
                         c.transfers, c.conferences);
    }
  }
  for (const QueueStaffing& st : staffing(o, s)) {
    if (st.erlang_c_agents == 0) continue;
    out << fmt::format("  {:<10} staffing: {} agent{} (Erlang C, 80 % within the threshold) for "
                       "{:.1f} calls an hour at AHT {:.0f} s\n",
                       st.queue, st.erlang_c_agents, st.erlang_c_agents == 1 ? "" : "s",
                       st.arrivals_per_hour, st.aht_seconds);
  }
}

void write_csv(const std::string& path, const Outcome& o, const Scenario& s) {
  std::ofstream out(path);
  const auto f = o.kpi.options().formula;
  // Unmeasured ratios (nothing offered, nobody logged in) are left empty.
  out << "interval_start,offered,answered,abandoned,answered_within_sl,service_level,asa_seconds,"
         "aht_seconds,occupancy,max_waiting,overflowed,removed,refused\n";
  for (const IntervalRow& r : interval_rows(o, s)) {
    const metrics::QueueCounts& q = r.queues;
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", clock(r.start, s.start),
                       q.offered, q.answered, q.abandoned, q.answered_within_sl,
                       blank_unless(q.offered > q.short_abandoned,
                                    metrics::service_level(q, f), "{:.4f}"),
                       blank_unless(q.answered > 0, metrics::average_speed_of_answer_ms(q) / 1000,
                                    "{:.2f}"),
                       blank_unless(q.handled > 0, metrics::average_handle_time_ms(q) / 1000,
                                    "{:.1f}"),
                       blank_unless(r.agents.logged_in_ms > 0, metrics::occupancy(r.agents),
                                    "{:.4f}"),
                       r.max_waiting, q.overflowed, q.removed, q.refused);
  }
}

void write_html(const std::string& path, const Outcome& o, const Scenario& s,
                const std::string& title) {
  const auto rows = interval_rows(o, s);
  const auto f = o.kpi.options().formula;
  std::vector<double> sl, waiting, occ;
  double most_waiting = 1;
  const double none = std::nan("");
  for (const auto& r : rows) {
    sl.push_back(r.queues.offered > 0 ? pct(metrics::service_level(r.queues, f)) : none);
    waiting.push_back(r.max_waiting);
    occ.push_back(r.agents.logged_in_ms > 0 ? pct(metrics::occupancy(r.agents)) : none);
    most_waiting = std::max(most_waiting, static_cast<double>(r.max_waiting));
  }
  std::ofstream out(path);
  out << "<!doctype html><html><head><meta charset='utf-8'><title>" << title
      << "</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
         "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;"
         "border-bottom:1px solid #eee}</style></head><body>";
  out << "<h1>" << title << "</h1>";
  out << svg_chart("Service level (%)", rows, sl, 100, "%", s, 80);
  out << svg_chart("Contacts waiting (most in the interval)", rows, waiting,
                   std::ceil(most_waiting * 1.1), "", s);
  out << svg_chart("Agent occupancy (%)", rows, occ, 100, "%", s);
  out << "<h2>Intervals</h2><table><tr><th>time</th><th>offered</th><th>answered</th>"
         "<th>abandoned</th><th>SL %</th><th>ASA s</th><th>AHT s</th><th>occupancy %</th>"
         "<th>waiting</th></tr>";
  for (const auto& r : rows) {
    out << fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}</td>"
                       "<td>{:.1f}</td><td>{:.0f}</td><td>{:.1f}</td><td>{}</td></tr>",
                       clock(r.start, s.start), r.queues.offered, r.queues.answered,
                       r.queues.abandoned, pct(metrics::service_level(r.queues, f)),
                       metrics::average_speed_of_answer_ms(r.queues) / 1000,
                       metrics::average_handle_time_ms(r.queues) / 1000,
                       pct(metrics::occupancy(r.agents)), r.max_waiting);
  }
  out << "</table></body></html>\n";
}

}  // namespace hotline::sim
