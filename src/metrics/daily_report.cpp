#include "hotline/metrics/daily_report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "hotline/metrics/erlang.hpp"

namespace hotline::metrics {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kDash = "–";

std::string clock_of(TimeMs t, TimeMs day_start) {
  const TimeMs m = (t - day_start) / 60'000;
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

double pct(double x) { return 100.0 * x; }

std::string number(double value, const char* format) {
  return std::isnan(value) ? std::string(kDash) : fmt::format(fmt::runtime(format), value);
}

// One interval of the day, all queues and all agents together.
struct Row {
  TimeMs start = 0;
  QueueCounts queues;
  AgentCounts agents;
  double staffed = 0;   // agents logged in, on average over the interval
  int required = 0;     // Erlang C's agents for what each queue was offered
  int waiting = 0;
  bool open() const { return queues.offered + queues.refused > 0 || agents.logged_in_ms > 0; }
};

// Erlang C's agents for `c` over `interval` against the queue's threshold.
int required_agents(const QueueCounts& c, DurationMs interval, DurationMs threshold,
                    double target) {
  const double per_hour = static_cast<double>(c.offered) * 3'600'000 /
                          static_cast<double>(interval);
  const double aht = average_handle_time_ms(c) / 1000;
  if (per_hour <= 0 || aht <= 0) return 0;
  StaffingGoal goal;
  goal.service_level = target;
  auto need = erlang_c_agents(Workload{per_hour, aht, static_cast<double>(threshold) / 1000},
                              goal);
  return need ? need->agents : 0;
}

std::vector<Row> rows_of(const KpiCollector& kpi, const DailyReportInput& in) {
  std::vector<Row> rows;
  const DurationMs step = kpi.options().interval_ms;
  const auto queues = kpi.queues();
  const auto agents = kpi.agents();
  std::map<std::string, QueueCounts> day_by_queue;  // each queue's AHT for the day
  for (const auto& q : queues) day_by_queue[q] = kpi.queue_total(q);
  for (TimeMs t = kpi.interval_start(in.day_start); t < in.day_start + in.length; t += step) {
    Row r;
    r.start = t;
    for (const auto& q : queues) {
      const auto& iv = kpi.queue_intervals(q);
      auto it = iv.find(t);
      if (it == iv.end()) continue;
      r.queues += it->second;
      // The interval's load at the day's handle time: an interval's own
      // AHT counts only the calls that ended in it.
      QueueCounts load = day_by_queue[q];
      load.offered = it->second.offered;
      r.required += required_agents(load, step, kpi.service_level_ms(q), in.target_service_level);
    }
    for (const auto& a : agents) r.agents += kpi.agent_interval(a, t);
    r.staffed = static_cast<double>(r.agents.logged_in_ms) / static_cast<double>(step);
    if (auto w = in.max_waiting.find(t); w != in.max_waiting.end()) r.waiting = w->second;
    rows.push_back(r);
  }
  // Closed hours at either end of the day are left out.
  auto first = std::find_if(rows.begin(), rows.end(), [](const Row& r) { return r.open(); });
  auto last = std::find_if(rows.rbegin(), rows.rend(), [](const Row& r) { return r.open(); });
  if (first == rows.end()) return {};
  return std::vector<Row>(first, last.base());
}

struct Series {
  std::string name;
  std::string colour;
  std::vector<double> values;  // NaN: nothing measured (the line breaks)
  bool dashed = false;
};

// A line chart over the day's intervals. It scales to the page's width
// (viewBox, width 100 %); the y axis runs from 0 to `top`.
std::string line_chart(const std::string& title, const std::string& y_title,
                       const std::vector<Row>& rows, const std::vector<Series>& series,
                       double top, TimeMs day_start) {
  const double w = 900, h = 260, left = 60, right = 15, up = 20, down = 50;
  const double pw = w - left - right, ph = h - up - down;
  if (!(top > 0)) top = 1;
  std::string out = fmt::format("<figure><figcaption>{}</figcaption>"
                                "<svg viewBox='0 0 {} {}' width='100%' role='img' "
                                "aria-label='{}' preserveAspectRatio='xMidYMid meet'>",
                                html_escape(title), w, h, html_escape(title));
  for (int k = 0; k <= 4; ++k) {
    const double y = up + ph - ph * k / 4;
    out += fmt::format("<line x1='{}' y1='{:.1f}' x2='{}' y2='{:.1f}' stroke='#ddd'/>"
                       "<text x='{}' y='{:.1f}' font-size='11' text-anchor='end'>{:g}</text>",
                       left, y, w - right, y, left - 5, y + 4, std::round(top * k / 4 * 10) / 10);
  }
  out += fmt::format("<text transform='translate(14 {:.1f}) rotate(-90)' font-size='12' "
                     "text-anchor='middle'>{}</text>",
                     up + ph / 2, html_escape(y_title));
  out += fmt::format("<text x='{:.1f}' y='{}' font-size='12' text-anchor='middle'>"
                     "Interval start (time of day)</text>",
                     left + pw / 2, h - 6);
  const std::size_t n = rows.size();
  auto x_of = [&](std::size_t i) { return left + (n <= 1 ? pw / 2 : pw * i / (n - 1)); };
  const std::size_t every = std::max<std::size_t>(1, n / 12);
  for (std::size_t i = 0; i < n; i += every) {
    out += fmt::format("<text x='{:.1f}' y='{}' font-size='11' text-anchor='middle'>{}</text>",
                       x_of(i), h - down + 16, clock_of(rows[i].start, day_start));
  }
  for (const Series& s : series) {
    std::string points;
    auto flush = [&] {
      if (!points.empty()) {
        out += fmt::format("<polyline fill='none' stroke='{}' stroke-width='2'{} points='{}'/>",
                           s.colour, s.dashed ? " stroke-dasharray='6 4'" : "", points);
      }
      points.clear();
    };
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i) {
      if (std::isnan(s.values[i])) {
        flush();
        continue;
      }
      const double y = up + ph - ph * std::clamp(s.values[i], 0.0, top) / top;
      points += fmt::format("{:.1f},{:.1f} ", x_of(i), y);
    }
    flush();
  }
  out += "</svg><p class='legend'>";
  for (const Series& s : series) {
    out += fmt::format("<span><i style='border-color:{}'{}></i>{}</span>", s.colour,
                       s.dashed ? " class='dashed'" : "", html_escape(s.name));
  }
  return out + "</p></figure>";
}

template <typename F>
std::vector<double> per_row(const std::vector<Row>& rows, F f) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (const Row& r : rows) v.push_back(f(r));
  return v;
}

double top_of(const std::vector<double>& a, const std::vector<double>& b = {}) {
  double top = 0;
  for (double x : a) if (!std::isnan(x)) top = std::max(top, x);
  for (double x : b) if (!std::isnan(x)) top = std::max(top, x);
  // A little headroom, rounded so the four gridlines fall on whole numbers.
  return top > 0 ? 4 * std::ceil(top * 1.1 / 4) : 4;
}

double service_level_or_none(const QueueCounts& c, ServiceLevelFormula f) {
  return c.offered > c.short_abandoned ? pct(service_level(c, f)) : kNone;
}

std::string queue_row_cells(const QueueCounts& c, ServiceLevelFormula f) {
  return fmt::format(
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td>",
      c.offered, c.answered, c.abandoned, c.removed, c.overflowed, c.refused,
      number(service_level_or_none(c, f), "{:.1f}"),
      number(c.offered > 0 ? pct(abandonment_rate(c)) : kNone, "{:.1f}"),
      number(c.answered > 0 ? average_speed_of_answer_ms(c) / 1000 : kNone, "{:.1f}"),
      number(c.handled > 0 ? average_handle_time_ms(c) / 1000 : kNone, "{:.0f}"));
}

constexpr const char* kQueueHeader =
    "<th>offered</th><th>answered</th><th>abandoned</th><th>removed</th><th>overflowed</th>"
    "<th>refused</th><th>SL %</th><th>abandon %</th><th>ASA s</th><th>AHT s</th>";

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:2em;color:#222;max-width:1200px}"
    "table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 8px;text-align:right;"
    "border-bottom:1px solid #eee}th:first-child,td:first-child{text-align:left}"
    "tr.total td{font-weight:bold;border-top:2px solid #444}figure{margin:1.5em 0}"
    "figcaption{font-weight:bold}.legend span{margin-right:1.5em}"
    ".legend i{display:inline-block;width:24px;margin-right:6px;vertical-align:middle;"
    "border-top:3px solid}.legend i.dashed{border-top-style:dashed}dt{font-weight:bold}";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_daily_report(const KpiCollector& kpi, const DailyReportInput& in) {
  const ServiceLevelFormula f = kpi.options().formula;
  const std::vector<Row> rows = rows_of(kpi, in);
  const double target = pct(in.target_service_level);
  std::string out = fmt::format(
      "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
      "<meta name='viewport' content='width=device-width, initial-scale=1'>"
      "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\"><title>{0}</title><style>{1}</style></head><body>"
      "<h1>{0}</h1>",
      html_escape(in.title), kStyle);

  out += "<h2>Summary</h2><table class='summary'>";
  for (const auto& [label, value] : in.summary) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", html_escape(label), html_escape(value));
  }
  const DurationMs step = kpi.options().interval_ms;
  out += fmt::format("<tr><th>Intervals</th><td>{} minutes</td></tr>"
                     "<tr><th>Service-level target</th><td>{:g} % within each queue's threshold"
                     "</td></tr></table>",
                     step / 60'000, target);
  if (rows.empty()) return out + "<p>Nothing was offered and nobody logged in.</p></body></html>\n";

  // Service level per queue and for all queues, against the target.
  static const char* kColours[] = {"#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2",
                                   "#be185d"};
  std::vector<Series> sl{{"All queues", "#111", per_row(rows, [&](const Row& r) {
                            return service_level_or_none(r.queues, f);
                          })}};
  const auto queues = kpi.queues();
  for (std::size_t i = 0; i < queues.size(); ++i) {
    const auto& iv = kpi.queue_intervals(queues[i]);
    sl.push_back({fmt::format("{} (within {:g} s)", queues[i],
                              static_cast<double>(kpi.service_level_ms(queues[i])) / 1000),
                  kColours[i % std::size(kColours)], per_row(rows, [&](const Row& r) {
                    auto it = iv.find(r.start);
                    return it == iv.end() ? kNone : service_level_or_none(it->second, f);
                  })});
  }
  sl.push_back({fmt::format("Target {:g} %", target), "#c33",
                std::vector<double>(rows.size(), target), true});
  out += "<h2>Charts</h2>";
  out += line_chart("Service level per queue", "Service level (%)", rows, sl, 100, in.day_start);

  auto offered = per_row(rows, [](const Row& r) { return double(r.queues.offered); });
  auto answered = per_row(rows, [](const Row& r) { return double(r.queues.answered); });
  out += line_chart("Offered and answered contacts", "Contacts per interval", rows,
                    {{"Offered", "#2563eb", offered}, {"Answered", "#16a34a", answered}},
                    top_of(offered, answered), in.day_start);
  auto abandon = per_row(rows, [](const Row& r) {
    return r.queues.offered > 0 ? pct(abandonment_rate(r.queues)) : kNone;
  });
  out += line_chart("Abandon rate", "Abandoned ÷ offered (%)", rows,
                    {{"Abandon rate", "#dc2626", abandon}},
                    std::min(100.0, top_of(abandon)), in.day_start);
  auto staffed = per_row(rows, [](const Row& r) { return r.staffed; });
  auto required = per_row(rows, [](const Row& r) { return double(r.required); });
  out += line_chart("Staffed and required agents", "Agents", rows,
                    {{"Staffed (logged in, average)", "#2563eb", staffed},
                     {fmt::format("Required (Erlang C, {:g} % target)", target), "#ea580c",
                      required, true}},
                    top_of(staffed, required), in.day_start);
  auto occupancy_pct = per_row(rows, [](const Row& r) {
    return r.agents.logged_in_ms > 0 ? pct(occupancy(r.agents)) : kNone;
  });
  out += line_chart("Agent occupancy", "Occupancy (%)", rows,
                    {{"Occupancy", "#9333ea", occupancy_pct}}, 100, in.day_start);
  if (!in.max_waiting.empty()) {
    auto waiting = per_row(rows, [](const Row& r) { return double(r.waiting); });
    out += line_chart("Contacts waiting", "Most waiting at once", rows,
                      {{"Waiting", "#0891b2", waiting}}, top_of(waiting), in.day_start);
  }

  out += fmt::format("<h2>Intervals</h2><table class='intervals'><tr><th>interval</th>{}"
                     "<th>staffed</th><th>required</th><th>occupancy %</th></tr>",
                     kQueueHeader);
  QueueCounts day;
  AgentCounts day_agents;
  for (const Row& r : rows) {
    if (!r.open()) continue;  // closed hours inside the day
    day += r.queues;
    day_agents += r.agents;
    out += fmt::format("<tr class='interval'><td>{}</td>{}<td>{:.1f}</td><td>{}</td><td>{}</td>"
                       "</tr>",
                       clock_of(r.start, in.day_start), queue_row_cells(r.queues, f), r.staffed,
                       r.required,
                       number(r.agents.logged_in_ms > 0 ? pct(occupancy(r.agents)) : kNone,
                              "{:.1f}"));
  }
  out += fmt::format("<tr class='total'><td>day</td>{}<td></td><td></td><td>{}</td></tr></table>",
                     queue_row_cells(day, f),
                     number(day_agents.logged_in_ms > 0 ? pct(occupancy(day_agents)) : kNone,
                            "{:.1f}"));

  out += fmt::format("<h2>Queues</h2><table class='queues'><tr><th>queue</th>{}"
                     "<th>threshold s</th></tr>",
                     kQueueHeader);
  for (const auto& q : queues) {
    out += fmt::format("<tr class='queue'><td>{}</td>{}<td>{:g}</td></tr>", html_escape(q),
                       queue_row_cells(kpi.queue_total(q), f),
                       static_cast<double>(kpi.service_level_ms(q)) / 1000);
  }
  out += "</table>";

  out += "<h2>Agents</h2><table class='agents'><tr><th>agent</th><th>handled</th>"
         "<th>AHT s</th><th>talk s</th><th>hold s</th><th>wrap-up s</th><th>occupancy %</th>"
         "<th>logged in h</th></tr>";
  for (const auto& a : kpi.agents()) {
    const AgentCounts c = kpi.agent_total(a);
    const bool handled = c.handled > 0;
    out += fmt::format(
        "<tr class='agent'><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{:.1f}</td></tr>",
        html_escape(a), c.handled,
        number(handled ? average_handle_time_ms(c) / 1000 : kNone, "{:.0f}"),
        number(handled ? average_talk_ms(c) / 1000 : kNone, "{:.0f}"),
        number(handled ? average_hold_ms(c) / 1000 : kNone, "{:.0f}"),
        number(handled ? average_wrap_ms(c) / 1000 : kNone, "{:.0f}"),
        number(c.logged_in_ms > 0 ? pct(occupancy(c)) : kNone, "{:.1f}"),
        static_cast<double>(c.logged_in_ms) / 3'600'000);
  }
  out += "</table>";

  out += fmt::format(
      "<h2>Definitions</h2><dl>"
      "<dt>Interval</dt><dd>A contact is counted in the interval it arrived in, with its "
      "outcome; handle time in the interval the conversation ended. Closed hours are not "
      "shown; \"{0}\" marks a figure with nothing to measure.</dd>"
      "<dt>Offered</dt><dd>Contacts that entered a queue: answered + abandoned + removed.</dd>"
      "<dt>Removed</dt><dd>Taken out of the queue by the flow or the host (voicemail or a "
      "callback after an overflow, ...).</dd>"
      "<dt>Overflowed</dt><dd>Contacts that waited the queue's maximum wait; the flow then "
      "removes them or they are answered or abandoned later.</dd>"
      "<dt>Refused</dt><dd>Turned away before entering (a full queue): not offered.</dd>"
      "<dt>Service level (SL)</dt><dd>Answered within the queue's own threshold ÷ (offered − "
      "abandons within {1:g} s).</dd>"
      "<dt>Abandon rate</dt><dd>Abandoned ÷ offered.</dd>"
      "<dt>ASA</dt><dd>Average speed of answer: the answered contacts' wait ÷ answered.</dd>"
      "<dt>AHT</dt><dd>Average handle time: (talk + hold + wrap-up) ÷ handled.</dd>"
      "<dt>Occupancy</dt><dd>Time ringing, talking or in wrap-up ÷ (that + time available).</dd>"
      "<dt>Staffed</dt><dd>Agents logged in, on average over the interval.</dd>"
      "<dt>Required</dt><dd>Erlang C's agents for each queue's offered contacts in the "
      "interval at the queue's AHT for the day, {2:g} % within its threshold, summed.</dd>"
      "</dl></body></html>\n",
      kDash, static_cast<double>(kpi.options().short_abandon_ms) / 1000, target);
  return out;
}

}  // namespace hotline::metrics
