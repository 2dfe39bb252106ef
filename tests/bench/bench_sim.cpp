// Contacts per second through the whole engine: IVR menu, queue, routing,
// agent answer, talk and wrap-up, driven by the simulator.
#include <benchmark/benchmark.h>

#include "simulator.hpp"

namespace {

using namespace hotline;
using nlohmann::json;

sim::Scenario day(double contacts) {
  // One day; enough agents for the load (offered erlangs × 1.1).
  const double per_hour = contacts / 24;
  const double aht = 180;
  const int agents = static_cast<int>(per_hour * aht / 3600 * 1.1) + 5;
  sim::Scenario sc = sim::single_queue(agents, per_hour, aht, 300.0, 24, 1, 20);
  sc.streams[0].queue.clear();
  sc.streams[0].flow = "menu";
  sc.streams[0].paths = {{1.0, {"1"}}};
  sc.engine["flows"] = json::array({json::parse(R"({"id": "menu", "start": "m", "nodes": {
      "m": {"type": "menu", "prompts": ["tts:For service press 1."], "options": {"1": "q"},
            "fail": "q"},
      "q": {"type": "queue", "queue": "main", "hold": ["moh.wav"]}}})")});
  sc.prompt_ms = 2000;
  return sc;
}

void BM_SimulateDay(benchmark::State& state) {
  const sim::Scenario sc = day(static_cast<double>(state.range(0)));
  std::int64_t contacts = 0;
  for (auto _ : state) {
    sim::Outcome o = sim::run(sc);
    contacts += o.contacts;
    benchmark::DoNotOptimize(o.engine_events);
  }
  state.counters["contacts_per_second"] =
      benchmark::Counter(static_cast<double>(contacts), benchmark::Counter::kIsRate);
  state.counters["contacts"] = static_cast<double>(contacts) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SimulateDay)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
