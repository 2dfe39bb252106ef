// The simulator against queueing theory. A long M/M/N run must agree with
// Erlang C (and, with exponential patience, Erlang A) within a tolerance
// derived from the run itself: the run is cut into batches, the batch means
// are close to independent, and the tolerance is four standard errors of
// their mean (so a correct simulator fails about once in 15,000 runs).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "hotline/metrics/erlang.hpp"
#include "simulator.hpp"

using namespace hotline;
using namespace hotline::sim;

namespace {

struct Estimate {
  double mean = 0;
  double tolerance = 0;
};

// Batch means over the hourly intervals of queue "main".
template <typename F>
Estimate batches(const Outcome& o, int batch_count, F ratio) {
  const auto& hours = o.kpi.queue_intervals("main");
  std::vector<metrics::QueueCounts> batch(static_cast<std::size_t>(batch_count));
  const std::size_t per = std::max<std::size_t>(1, hours.size() / static_cast<std::size_t>(batch_count));
  std::size_t i = 0;
  for (const auto& [t, c] : hours) {
    const std::size_t b = std::min(i++ / per, batch.size() - 1);
    batch[b] += c;
  }
  double sum = 0, sq = 0;
  for (const auto& b : batch) {
    const double x = ratio(b);
    sum += x;
    sq += x * x;
  }
  const double n = batch_count;
  const double mean = sum / n;
  const double sd = std::sqrt(std::max(0.0, (sq - n * mean * mean) / (n - 1)));
  return Estimate{mean, 4 * sd / std::sqrt(n)};
}

}  // namespace

TEST_CASE("M/M/N: service level and ASA match Erlang C") {
  // 200 calls an hour, AHT 180 s, 14 agents (the worked example).
  Scenario sc = single_queue(14, 200, 180, std::nullopt, 300, 7, 20);
  Outcome o = run(sc);
  const auto c = metrics::erlang_c(metrics::Workload{200, 180, 20}, 14).value();
  auto sl = batches(o, 20, [](const metrics::QueueCounts& q) {
    return metrics::service_level(q, metrics::ServiceLevelFormula::kAnswered);
  });
  auto asa = batches(o, 20, [](const metrics::QueueCounts& q) {
    return metrics::average_speed_of_answer_ms(q) / 1000;
  });
  CAPTURE(sl.mean);
  CAPTURE(sl.tolerance);
  CAPTURE(asa.mean);
  CAPTURE(asa.tolerance);
  CHECK(std::fabs(sl.mean - c.service_level) < sl.tolerance);
  CHECK(std::fabs(asa.mean - c.asa_seconds) < asa.tolerance);
  CHECK(sl.tolerance < 0.03);  // the run is long enough to say something
  CHECK(o.contacts > 55'000);
}

TEST_CASE("M/M/N+M: abandonment matches Erlang A") {
  Scenario sc = single_queue(12, 200, 180, 120.0, 300, 11, 20);
  Outcome o = run(sc);
  const auto a = metrics::erlang_a(metrics::Workload{200, 180, 20}, 12, 120).value();
  auto abandon = batches(o, 20, [](const metrics::QueueCounts& q) { return metrics::abandonment_rate(q); });
  auto sl = batches(o, 20, [](const metrics::QueueCounts& q) {
    return metrics::service_level(q, metrics::ServiceLevelFormula::kAnsweredAndAbandoned);
  });
  CAPTURE(abandon.mean);
  CAPTURE(abandon.tolerance);
  CAPTURE(sl.mean);
  CHECK(std::fabs(abandon.mean - a.probability_abandon) < abandon.tolerance);
  CHECK(std::fabs(sl.mean - a.service_level) < sl.tolerance);
}

TEST_CASE("a seed makes a run reproducible") {
  Scenario sc = single_queue(5, 60, 240, 90.0, 8, 3, 20);
  Outcome a = run(sc);
  Outcome b = run(sc);
  const auto ta = a.kpi.all_queues_total(), tb = b.kpi.all_queues_total();
  CHECK(ta.offered == tb.offered);
  CHECK(ta.answered_within_sl == tb.answered_within_sl);
  CHECK(ta.answer_wait_ms == tb.answer_wait_ms);
  sc.seed = 4;
  Outcome c = run(sc);
  CHECK(c.kpi.all_queues_total().answer_wait_ms != ta.answer_wait_ms);
}

TEST_CASE("the bank trace replays with its own arrival and handle times") {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  Scenario sc = single_queue(4, 0, 180, std::nullopt, 24, 1, 20);
  std::string date;
  auto trace = read_bank_trace(std::string(dir) + "/examples/data/anonymous-bank-1999-12-aa0216.csv",
                               "991201", "main", 0, &date);
  REQUIRE(trace.ok());
  CHECK(date == "991201");
  sc.trace = trace.value();
  sc.streams.clear();
  Outcome o = run(sc);
  const auto t = o.kpi.all_queues_total();
  CHECK(t.offered == static_cast<std::int64_t>(sc.trace.size()));
  CHECK(t.answered == t.offered);  // nobody gives up in a trace without patience
  DurationMs handle = 0;
  for (const auto& call : sc.trace) handle += call.handle;
  CHECK(t.talk_ms == handle);  // each call took exactly its recorded service time
  auto missing = read_bank_trace("/nonexistent.csv", "", "main", 0);
  CHECK(missing.error().code == Errc::kIo);
}

TEST_CASE("first-contact resolution and CSAT are read from the tickets calls open") {
  Scenario sc = single_queue(12, 300, 120, std::nullopt, 48, 5, 20);
  sc.tickets.share = 0.5;
  sc.tickets.first_contact_resolution = 0.6;
  sc.tickets.resolution_delay.mean_seconds = 600;  // all resolve well before the run ends
  sc.tickets.csat_response_share = 0.4;
  const Outcome o = run(sc);
  const auto t = o.kpi.all_queues_total();
  // Binomial tolerances, four standard deviations.
  const double n = static_cast<double>(t.answered);
  CHECK(std::abs(static_cast<double>(o.tickets) / n - 0.5) < 4 * std::sqrt(0.25 / n));
  REQUIRE(t.resolutions > 1000);
  const double r = static_cast<double>(t.resolutions);
  CHECK(static_cast<double>(t.resolutions) >= 0.99 * static_cast<double>(o.tickets));
  CHECK(std::abs(metrics::first_contact_resolution(t) - 0.6) < 4 * std::sqrt(0.24 / r));
  // Top box: 85 % after first-contact resolution, 55 % otherwise.
  const double expected = 0.6 * 0.85 + 0.4 * 0.55;
  const double m = static_cast<double>(t.csat_responses);
  CHECK(std::abs(m / r - 0.4) < 4 * std::sqrt(0.24 / r));
  CHECK(std::abs(metrics::csat_top_box(t) - expected) <
        4 * std::sqrt(expected * (1 - expected) / m));
}

TEST_CASE("callback requests reach agents, who then serve the next contacts") {
  // Every caller asks for a callback: the requests wait in the queue as
  // contacts of their own ("callback:c<N>"), and an agent who takes one must
  // be freed at its end like any other, or the day stalls after the first few.
  Scenario sc = single_queue(2, 30, 120, std::nullopt, 8, 5, 20);
  sc.streams[0].queue.clear();
  sc.streams[0].flow = "cb";
  sc.streams[0].paths = {{1.0, {"1"}}};
  sc.engine["flows"] = nlohmann::json::array({nlohmann::json::parse(R"({"id": "cb", "start": "m",
      "nodes": {
        "m": {"type": "menu", "prompts": ["tts:Press 1 for a call back."], "options": {"1": "cb"},
              "fail": "q"},
        "cb": {"type": "callback", "queue": "main", "number": "${call.caller}", "next": "bye"},
        "bye": {"type": "hangup"},
        "q": {"type": "queue", "queue": "main"}}})")});
  Outcome o = run(sc);
  const auto total = o.kpi.all_queues_total();
  CAPTURE(o.contacts);
  CAPTURE(total.offered);
  CAPTURE(total.answered);
  CHECK(o.contacts > 150);
  CHECK(total.offered == o.contacts);
  CHECK(total.answered == total.offered);  // no patience: every request is served
}

namespace {

// What a watched run's listener hears of conversations.
struct ConversationCount final : runtime::NotificationSink {
  std::int64_t connected = 0;
  std::int64_t ended = 0;
  void notification(const engine::Notification& n) override {
    if (n.kind != engine::Notification::Kind::kConversation) return;
    if (n.text == "connected") ++connected;
    if (n.text == "ended") ++ended;
  }
  void host_error(const runtime::HostError&) override {}
};

}  // namespace

TEST_CASE("a watched run tells its listener every conversation; a batch run counts the same") {
  // Without call control a batch run builds no conversation notifications
  // (EngineOptions::conversation_notes); a watched run's pages read them.
  const Scenario sc = single_queue(3, 60, 120, std::nullopt, 2, 7, 20);
  ConversationCount heard;
  SteppedRun watched(sc, &heard);
  REQUIRE(watched.begin().ok());
  while (watched.step(kNever)) {
  }
  const Outcome batch = run(sc);
  const std::int64_t answered = batch.kpi.queue_total("main").answered;
  CHECK(answered > 50);
  CHECK(heard.connected == answered);
  CHECK(heard.ended == answered);
  CHECK(watched.kpi().queue_total("main").answered == answered);
}
