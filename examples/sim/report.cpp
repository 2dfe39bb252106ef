#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>

#include "hotline/metrics/daily_report.hpp"
#include "hotline/metrics/erlang.hpp"

namespace hotline::sim {

namespace {

std::string clock(TimeMs t, TimeMs day_start) {
  const TimeMs m = (t - day_start) / 60'000;
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

double pct(double x) { return 100.0 * x; }

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
  metrics::DailyReportInput in;
  in.title = title;
  in.day_start = s.start;
  in.length = s.length;
  in.target_service_level = s.target_service_level;
  for (const auto& [at, waiting] : o.waiting_samples) in.max_waiting[at] = waiting;
  std::string queues;
  for (const auto& q : o.kpi.queues()) {
    queues += fmt::format("{}{} (SL within {:g} s)", queues.empty() ? "" : ", ", q,
                          static_cast<double>(o.kpi.service_level_ms(q)) / 1000);
  }
  in.summary = {
      {"Simulated", fmt::format("{:g} hours from {}", static_cast<double>(s.length) / 3'600'000,
                                clock(s.start, s.start))},
      {"Queues", queues},
      {"Agents", std::to_string(o.kpi.agents().size())},
      {"Callers", fmt::format("{} arrived ({} stream{}{})", o.contacts, s.streams.size(),
                              s.streams.size() == 1 ? "" : "s",
                              s.trace.empty() ? "" : ", a replayed trace")},
      {"Tickets", fmt::format("{} opened", o.tickets)},
      {"Seed", std::to_string(s.seed)},
  };
  std::ofstream out(path);
  out << metrics::render_daily_report(o.kpi, in);
}

}  // namespace hotline::sim
