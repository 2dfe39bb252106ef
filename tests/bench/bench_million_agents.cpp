// One engine at contact-center-of-contact-centers scale: N agents (two
// queues each, one skill, a language list) created from a JSON configuration,
// all logged in, then N contacts waiting. Reported as counters, one run per
// repetition (the phases cannot be repeated on one engine):
//   parse_s, load_s       JSON text to document (the agents read aside, as
//                         hl_engine_create reads them); document to a running engine
//   login_s               every agent logged in
//   bytes_per_agent       resident memory grown by the engine, its agents
//                         logged in, per agent (after malloc_trim)
//   bytes_per_contact     resident memory grown by N waiting contacts, per contact
//   route_ns              a call arriving with every agent free: routed and offered
//   ready_ns              an agent becoming ready with N contacts waiting: offered one
//   clock_ns              what the clock readings around each decision add to
//                         route_ns and ready_ns (one start and stop pair, timed alone)
// route_ns, ready_ns and clock_ns are means over the decisions; each also has
// its median (_median_ns), its 99th percentile (_p99_ns) and its slowest
// decision (_max_ns), since a mean hides whether every decision costs the
// same or a few stall (a table growing, fresh pages faulted in).
// Run: hotline_bench --benchmark_filter=BM_MillionAgents --benchmark_format=json
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/engine/engine.hpp"

namespace {

using namespace hotline;
using Clock = std::chrono::steady_clock;

constexpr int kSkills = 50;
constexpr int kDecisions = 10'000;
const char* const kLanguages[] = {"en", "de", "fr", "zh", "es"};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The durations of one kind of decision, in seconds, reported as counters
// named after it: mean, median, 99th percentile and maximum, in nanoseconds.
class Timings {
 public:
  explicit Timings(std::size_t expected) { seconds_.reserve(expected); }
  void add(double seconds) { seconds_.push_back(seconds); }
  void report(benchmark::State& state, const std::string& name) {
    if (seconds_.empty()) return;
    double total = 0;
    for (double s : seconds_) total += s;
    std::sort(seconds_.begin(), seconds_.end());
    const auto at = [&](double q) {
      return seconds_[std::min(seconds_.size() - 1,
                               static_cast<std::size_t>(q * static_cast<double>(seconds_.size())))];
    };
    state.counters[name + "_ns"] = total * 1e9 / static_cast<double>(seconds_.size());
    state.counters[name + "_median_ns"] = at(0.5) * 1e9;
    state.counters[name + "_p99_ns"] = at(0.99) * 1e9;
    state.counters[name + "_max_ns"] = seconds_.back() * 1e9;
  }

 private:
  std::vector<double> seconds_;
};

// Resident set size, after giving freed memory back to the system.
double resident_bytes() {
  malloc_trim(0);
  long pages = 0;
  long resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

// A thousand queues (one per 1,000 agents, at least 10) on fifty skills, each
// with three rings: experts who speak the caller's language, anyone with the
// skill, every member.
int queue_count(int agents) { return std::max(10, agents / 1000); }

std::string make_config(int agents, std::mt19937_64& rng) {
  const int queues = queue_count(agents);
  std::string text = R"({"queues":[)";
  for (int q = 0; q < queues; ++q) {
    const int s = q % kSkills;
    text += fmt::format(
        R"({}{{"id":"q{}","rings":[{{"target":"agent.skills.s{} >= 3 AND contact.language IN )"
        R"(agent.languages","timeout_seconds":20}},{{"target":"agent.skills.s{} >= 1",)"
        R"("timeout_seconds":40}},{{}}]}})",
        q ? "," : "", q, s, s);
  }
  text += R"(],"agents":[)";
  for (int i = 0; i < agents; ++i) {
    const int q1 = static_cast<int>(rng() % static_cast<unsigned>(queues));
    const int q2 = static_cast<int>(rng() % static_cast<unsigned>(queues));
    text += fmt::format(
        R"({}{{"id":"agent{}","skills":{{"s{}":{}}},"attributes":{{"languages":["{}","en"]}},)"
        R"("queues":["q{}","q{}"]}})",
        i ? "," : "", i, q1 % kSkills, rng() % 5 + 1, kLanguages[rng() % 5], q1,
        q2 == q1 ? (q1 + 1) % queues : q2);
  }
  text += "]}";
  return text;
}

engine::CallInfo call(int n, int queues, std::mt19937_64& rng) {
  engine::CallInfo c;
  c.call_id = "call" + std::to_string(n);
  c.caller = "+4930" + std::to_string(1000000 + n);
  c.queue_id = "q" + std::to_string(rng() % static_cast<unsigned>(queues));
  c.attributes.set("language", kLanguages[rng() % 5]);
  return c;
}

void drain(engine::Engine& e) {
  e.commands().clear();
  e.notifications().clear();
}

// The reservations the engine offered since the last drain.
std::vector<std::uint64_t> offers(engine::Engine& e) {
  std::vector<std::uint64_t> v;
  for (const engine::Command& c : e.commands()) {
    if (c.kind == engine::Command::Kind::kRingAgent) v.push_back(c.reservation);
  }
  return v;
}

// The timed decisions, each in a function of its own so that a profiler can
// collect inside them alone (callgrind's --toggle-collect), leaving out the
// same calls the set-up makes.
[[gnu::noinline]] void timed_call_arrived(engine::Engine& e, engine::CallInfo&& c, TimeMs now) {
  (void)e.call_arrived(std::move(c), now);
}
[[gnu::noinline]] void timed_agent_ready(engine::Engine& e, const std::string& id, TimeMs now) {
  (void)e.agent_ready(id, now);
}

void BM_MillionAgents(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int queues = queue_count(n);
  for (auto _ : state) {
    std::mt19937_64 rng(7);
    std::string text = make_config(n, rng);
    const double before = resident_bytes();
    auto start = Clock::now();
    routing::PreparsedAgents agents;
    auto config = routing::read_config_text(text, agents);
    if (!config) {
      state.SkipWithError(config.error().message.c_str());
      return;
    }
    state.counters["parse_s"] = seconds_since(start);
    TimeMs now = 1'000'000;
    engine::Engine e;
    start = Clock::now();
    if (auto st = e.load_config(*config, agents, now); !st) {
      state.SkipWithError(st.error().message.c_str());
      return;
    }
    state.counters["load_s"] = seconds_since(start);
    *config = nlohmann::json();
    start = Clock::now();
    for (int i = 0; i < n; ++i) {
      (void)e.agent_login("agent" + std::to_string(i), now);
      drain(e);
    }
    state.counters["login_s"] = seconds_since(start);
    const double agents_in = resident_bytes();
    state.counters["bytes_per_agent"] = (agents_in - before) / n;

    // Every agent is free: each call is routed to one at once. Each call's
    // description is made just before it arrives, as a host makes it from
    // the signalling that announces the call: made all in advance, the
    // timing counted reading the benchmark's own input back from memory.
    Timings route_times(kDecisions);
    int offered = 0;
    for (int i = 0; i < kDecisions; ++i) {
      engine::CallInfo c = call(i, queues, rng);
      ++now;
      start = Clock::now();
      timed_call_arrived(e, std::move(c), now);
      route_times.add(seconds_since(start));
      offered += static_cast<int>(offers(e).size());
      drain(e);
    }
    route_times.report(state, "route");
    state.counters["route_offered"] = offered;
    for (int i = 0; i < kDecisions; ++i) (void)e.call_hung_up("call" + std::to_string(i), now);
    drain(e);

    // Everyone steps away; N callers queue up.
    for (int i = 0; i < n; ++i) (void)e.agent_not_ready("agent" + std::to_string(i), "break", now);
    drain(e);
    const double contacts_before = resident_bytes();
    for (int i = 0; i < n; ++i) {
      (void)e.call_arrived(call(kDecisions + i, queues, rng), now);
      drain(e);
    }
    state.counters["bytes_per_contact"] = (resident_bytes() - contacts_before) / n;

    // Agents come back one by one, each taking a waiting contact.
    Timings ready_times(kDecisions);
    int taken = 0;
    for (int i = 0; i < kDecisions; ++i) {
      ++now;
      const std::string id = "agent" + std::to_string(i);
      start = Clock::now();
      timed_agent_ready(e, id, now);
      ready_times.add(seconds_since(start));
      taken += static_cast<int>(offers(e).size());
      drain(e);
    }
    ready_times.report(state, "ready");
    state.counters["ready_offered"] = taken;

    // The clock's own share of each decision timed above, measured the same
    // way around nothing: left in the figures, reported beside them.
    Timings clock_times(kDecisions);
    for (int i = 0; i < kDecisions; ++i) {
      start = Clock::now();
      benchmark::ClobberMemory();
      clock_times.add(seconds_since(start));
    }
    clock_times.report(state, "clock");
  }
}
// Creating an engine from the text of BM_MillionAgents' configuration, as
// hl_engine_create does: arg 1 = 0 parses the whole text into a document and
// loads that (dropping the document is part of the cost); 1 reads it in one
// pass, the agents read aside (routing/config_text.hpp). Read cpu_time on a
// busy machine: the wall clock there counts time spent waiting for a core.
void BM_CreateEngineFromText(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool streamed = state.range(1) == 1;
  std::mt19937_64 rng(7);
  const std::string text = make_config(n, rng);
  for (auto _ : state) {
    auto e = std::make_unique<engine::Engine>();
    Status st;
    if (streamed) {
      routing::PreparsedAgents agents;
      auto config = routing::read_config_text(text, agents);
      st = config ? e->load_config(*config, agents, 0) : Status(config.error());
    } else {
      st = e->load_config(nlohmann::json::parse(text), 0);
    }
    if (!st) {
      state.SkipWithError(st.error().message.c_str());
      return;
    }
    state.PauseTiming();
    e.reset();
    state.ResumeTiming();
  }
  state.counters["agents"] = n;
}
BENCHMARK(BM_CreateEngineFromText)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Unit(benchmark::kSecond);

BENCHMARK(BM_MillionAgents)->Arg(100'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
