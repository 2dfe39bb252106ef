// IVR interpreter speed and the memory a live session costs.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include "hotline/ivr/session.hpp"

// Live heap bytes, for bytes_per_session, from the allocator's own
// accounting: no replaced operator new slowing the other benchmarks.
static long long heap_in_use() { return static_cast<long long>(mallinfo2().uordblks); }

namespace {

using namespace hotline;
using namespace hotline::ivr;

struct Env : Environment {
  QueueStatus queue_status(std::string_view, std::string_view) const override {
    return QueueStatus{4, 1, 3, 30'000, 0};
  }
  const Calendar* calendar(std::string_view) const override { return nullptr; }
  std::shared_ptr<const Flow> flow(std::string_view) const override { return nullptr; }
};

std::shared_ptr<const Flow> menu_flow() {
  return FlowLoader::load_text(R"({"id": "bench", "start": "menu", "nodes": {
    "menu": {"type": "menu", "prompts": ["menu.wav", "tts:Press 1 for your account"],
             "options": {"1": "account", "2": "bye"}, "fail": "bye"},
    "account": {"type": "collect", "prompts": ["account.wav"], "min_digits": 2, "max_digits": 8,
                "terminator": "#", "variable": "account", "next": "check", "fail": "bye"},
    "check": {"type": "branch",
              "conditions": [{"if": "vars.account == '00'", "next": "bye"},
                             {"if": "call.caller CONTAINS '+49'", "next": "menu"}],
              "default": "menu"},
    "bye": {"type": "hangup"}}})")
      .flow;
}

// One loop: menu prompt ends, "1", account prompt ends, "1", "2", "#"
// (collect → branch → menu): six events, each one interpreter step.
void BM_IvrStep(benchmark::State& state) {
  Env env;
  auto flow = menu_flow();
  Session session(flow, env, CallFacts{"call-1", "+4930123", "800", "voice", 0});
  std::vector<Directive> out;
  TimeMs now = 0;
  session.start(now, out);
  for (auto _ : state) {
    out.clear();
    session.prompt_done(now, out);
    session.digit('1', now, out);
    session.prompt_done(now, out);
    session.digit('1', now, out);
    session.digit('2', now, out);
    session.digit('#', now, out);
    benchmark::DoNotOptimize(out.data());
  }
  if (session.current_node() != "menu") state.SkipWithError("the loop did not return to the menu");
  state.SetItemsProcessed(state.iterations() * 6);
}
BENCHMARK(BM_IvrStep);

void BM_IvrSessions(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  Env env;
  auto flow = menu_flow();
  double bytes = 0;
  for (auto _ : state) {
    std::vector<std::unique_ptr<Session>> sessions;
    sessions.reserve(count);
    std::vector<Directive> out;
    const long long before = heap_in_use();
    for (std::size_t i = 0; i < count; ++i) {
      auto s = std::make_unique<Session>(
          flow, env, CallFacts{"call-" + std::to_string(i), "+4930123456", "800", "voice", 0});
      s->start(0, out);
      out.clear();
      sessions.push_back(std::move(s));
    }
    // The sessions vector itself is the host's, not the sessions'.
    const long long vector_bytes = static_cast<long long>(malloc_usable_size(sessions.data()));
    bytes = static_cast<double>(heap_in_use() - before - vector_bytes) /
            static_cast<double>(count);
  }
  state.counters["bytes_per_session"] = bytes;
}
BENCHMARK(BM_IvrSessions)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
