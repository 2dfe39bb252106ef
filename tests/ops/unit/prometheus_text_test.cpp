#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "histogram.hpp"
#include "prometheus_text.hpp"

using namespace hotline::ops;

TEST_CASE("label values escape backslash, double quote and line feed") {
  CHECK(escape_label_value(R"(a\b"c)" "\n" "d") == R"(a\\b\"c\nd)");
  CHECK(escape_label_value("客服") == "客服");
}

TEST_CASE("sample values: integers bare, fractions kept, infinities and NaN by name") {
  CHECK(format_sample_value(3) == "3");
  CHECK(format_sample_value(0.25) == "0.25");
  CHECK(format_sample_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_sample_value(std::nan("")) == "NaN");
}

TEST_CASE("a family is HELP, TYPE, then its samples with their labels") {
  PrometheusText out;
  out.family("hotline_queue_waiting", "gauge", "Contacts waiting.\nNow.");
  out.sample("hotline_queue_waiting", {{"queue", "vip \"gold\""}}, 2);
  out.sample("hotline_queue_waiting", {}, 0);
  CHECK(out.text() ==
        "# HELP hotline_queue_waiting Contacts waiting.\\nNow.\n"
        "# TYPE hotline_queue_waiting gauge\n"
        "hotline_queue_waiting{queue=\"vip \\\"gold\\\"\"} 2\n"
        "hotline_queue_waiting 0\n");
}

TEST_CASE("a histogram counts cumulatively per bound, with +Inf, sum and count") {
  Histogram h({5, 15});
  h.observe(1);
  h.observe(5);  // a bound is inclusive
  h.observe(12);
  h.observe(40);
  CHECK(h.cumulative_count(0) == 2);
  CHECK(h.cumulative_count(1) == 3);
  CHECK(h.count() == 4);
  PrometheusText out;
  out.histogram("w", {{"queue", "q"}}, h);
  CHECK(out.text() ==
        "w_bucket{queue=\"q\",le=\"5\"} 2\n"
        "w_bucket{queue=\"q\",le=\"15\"} 3\n"
        "w_bucket{queue=\"q\",le=\"+Inf\"} 4\n"
        "w_sum{queue=\"q\"} 58\n"
        "w_count{queue=\"q\"} 4\n");
}
