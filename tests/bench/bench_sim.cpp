// Contacts per second through the whole engine: IVR menu, queue, routing,
// agent answer, talk and wrap-up, driven by the simulator.
#include <benchmark/benchmark.h>

#include "simulator.hpp"

namespace {

using namespace hotline;

void BM_SimulateDay(benchmark::State& state) {
  const sim::Scenario sc = sim::menu_day(static_cast<double>(state.range(0)));
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
