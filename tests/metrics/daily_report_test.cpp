// The daily report renders a day any host collected: its interval rows add
// up to the day's row and to the collector's totals, closed hours are left
// out, and names from configuration cannot inject markup.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hotline/metrics/daily_report.hpp"

using namespace hotline;
using namespace hotline::metrics;

namespace {

// The cells of each table row `<tr class='<cls>'>`, as text.
std::vector<std::vector<std::string>> rows_of_class(const std::string& html,
                                                    const std::string& cls) {
  std::vector<std::vector<std::string>> rows;
  const std::string open = "<tr class='" + cls + "'>";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find("</tr>", at);
    REQUIRE(end != std::string::npos);
    std::vector<std::string> cells;
    for (auto td = html.find("<td>", at); td != std::string::npos && td < end;
         td = html.find("<td>", td + 1)) {
      const auto close = html.find("</td>", td);
      cells.push_back(html.substr(td + 4, close - td - 4));
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

constexpr const char* kScript = "<script>alert('x')</script>";

// 08:00 to 10:00 open, a day from midnight: two queues, two agents.
KpiCollector sample_day() {
  KpiOptions o;
  o.interval_ms = minutes(30);
  KpiCollector k(o);
  k.set_service_level("vip", 10'000);
  const TimeMs open = minutes(8 * 60);
  k.agent_activity("ann", Activity::kAvailable, open);
  k.agent_activity(kScript, Activity::kAvailable, open);
  for (int i = 0; i < 12; ++i) {
    const TimeMs at = open + minutes(10) * i;
    const std::string queue = i % 3 == 0 ? "vip" : kScript;
    k.contact_offered(queue, at);
    if (i % 4 == 3) {
      k.contact_abandoned(queue, at + 30'000, 30'000);
    } else if (i == 10) {
      k.contact_overflowed(queue, at + 60'000, 60'000);
      k.contact_removed(queue, at + 61'000, 61'000);
    } else {
      const std::string agent = i % 2 ? "ann" : kScript;
      k.contact_answered(queue, agent, at + 8'000, 8'000);
      k.agent_activity(agent, Activity::kBusy, at + 8'000);
      k.contact_completed(queue, agent, at + 128'000, 120'000, 0);
      k.agent_activity(agent, Activity::kAvailable, at + 128'000);
    }
  }
  k.agent_activity("ann", Activity::kLoggedOut, open + minutes(120));
  k.agent_activity(kScript, Activity::kLoggedOut, open + minutes(120));
  k.flush(minutes(24 * 60));
  return k;
}

}  // namespace

TEST_CASE("the daily report's interval rows add up to its day row and the day's totals") {
  const KpiCollector k = sample_day();
  DailyReportInput in;
  in.title = "Sample day";
  const std::string html = render_daily_report(k, in);
  const auto intervals = rows_of_class(html, "interval");
  const auto total = rows_of_class(html, "total");
  REQUIRE(total.size() == 1);
  // Only the open hours, 08:00 to 10:00, in 30-minute intervals.
  REQUIRE(intervals.size() == 4);
  CHECK(intervals.front()[0] == "08:00");
  CHECK(intervals.back()[0] == "09:30");
  const QueueCounts day = k.all_queues_total();
  const std::int64_t expected[] = {day.offered, day.answered, day.abandoned, day.removed,
                                   day.overflowed, day.refused};
  for (std::size_t column = 1; column <= 6; ++column) {
    CAPTURE(column);
    std::int64_t sum = 0;
    for (const auto& row : intervals) sum += std::stoll(row[column]);
    CHECK(sum == std::stoll(total[0][column]));
    CHECK(sum == expected[column - 1]);
  }
  // offered = answered + abandoned + removed, on the day row.
  CHECK(std::stoll(total[0][1]) ==
        std::stoll(total[0][2]) + std::stoll(total[0][3]) + std::stoll(total[0][4]));
  // Each queue is shown against its own threshold.
  CHECK(html.find("vip (within 10 s)") != std::string::npos);
  // The agents' table: handled per agent adds up to the conversations.
  const auto agents = rows_of_class(html, "agent");
  REQUIRE(agents.size() == 2);
  CHECK(std::stoll(agents[0][1]) + std::stoll(agents[1][1]) == day.handled);
}

TEST_CASE("the daily report escapes names from configuration") {
  const KpiCollector k = sample_day();
  DailyReportInput in;
  in.title = "<b>title</b>";
  in.summary = {{"<i>site</i>", "a & b"}};
  const std::string html = render_daily_report(k, in);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("<i>site") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("a &amp; b") != std::string::npos);
}

TEST_CASE("the daily report shows a dash, not 0, where there is nothing to measure") {
  KpiOptions o;
  o.interval_ms = minutes(30);
  KpiCollector k(o);
  // An agent logged in from 08:00 to 09:00; calls only in the first half hour.
  k.agent_activity("ann", Activity::kAvailable, minutes(8 * 60));
  k.contact_offered("sales", minutes(8 * 60) + 1'000);
  k.contact_answered("sales", "ann", minutes(8 * 60) + 2'000, 1'000);
  k.agent_activity("ann", Activity::kLoggedOut, minutes(9 * 60));
  k.flush(minutes(24 * 60));
  const std::string html = render_daily_report(k, DailyReportInput{});
  const auto intervals = rows_of_class(html, "interval");
  REQUIRE(intervals.size() == 2);
  CHECK(intervals[0][7] == "100.0");  // SL
  CHECK(intervals[1][1] == "0");      // offered
  CHECK(intervals[1][7] == "–");      // no SL without contacts
  CHECK(intervals[1][9] == "–");      // no ASA without answers
}

TEST_CASE("the daily report's charts carry the target line with a legend and axis titles") {
  const KpiCollector k = sample_day();
  DailyReportInput in;
  in.target_service_level = 0.9;
  const std::string html = render_daily_report(k, in);
  CHECK(html.find("Target 90 %") != std::string::npos);
  CHECK(html.find("Required (Erlang C, 90 % target)") != std::string::npos);
  CHECK(html.find("Service level (%)") != std::string::npos);
  CHECK(html.find("Interval start (time of day)") != std::string::npos);
  // Scales to the window: no fixed pixel width.
  CHECK(html.find("width='100%'") != std::string::npos);
  CHECK(html.find("width='860'") == std::string::npos);
}
