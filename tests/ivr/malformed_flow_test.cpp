// Bad input never crashes the loader: thousands of random mutations of the
// bank flow (fields removed, values replaced by other kinds) are either
// refused with diagnostics that carry a JSON path, or loaded and runnable.
#include <fstream>
#include <random>

#include "ivr_fixture.hpp"

using namespace hotline;
using namespace hotline::ivr;
using namespace hotline::ivr::testing;

namespace {

json random_value(std::mt19937_64& rng) {
  switch (rng() % 7) {
    case 0: return nullptr;
    case 1: return static_cast<int>(rng() % 200) - 100;
    case 2: return "nowhere";
    case 3: return json::array({1, "x", nullptr});
    case 4: return json::object({{"type", "tango"}});
    case 5: return true;
    default: return "agent.x >";
  }
}

// Replaces or removes one value somewhere in `j`.
void mutate(json& j, std::mt19937_64& rng) {
  json* at = &j;
  for (int depth = 0; depth < 6; ++depth) {
    if (at->is_object() && !at->empty() && rng() % 3 != 0) {
      auto it = at->begin();
      std::advance(it, static_cast<long>(rng() % at->size()));
      if (rng() % 5 == 0) {
        at->erase(it);
        return;
      }
      at = &*it;
    } else if (at->is_array() && !at->empty() && rng() % 3 != 0) {
      at = &(*at)[rng() % at->size()];
    } else {
      break;
    }
  }
  *at = random_value(rng);
}

}  // namespace

TEST_CASE("random mutations of a valid flow never crash the loader or a session") {
  const char* dir = std::getenv("HOTLINE_SOURCE_DIR");
  REQUIRE(dir);
  std::ifstream in(std::string(dir) + "/examples/flows/bank.json");
  REQUIRE(in);
  const json original = json::parse(in);
  std::mt19937_64 rng(2026);
  FakeEnv env;
  env.queues["retail"] = QueueStatus{1, 1, 1, 0, 1};
  int refused = 0, loaded = 0;
  for (int round = 0; round < 2000; ++round) {
    json flow = original;
    for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) mutate(flow, rng);
    LoadResult r = FlowLoader::load(flow);
    if (!r.ok()) {
      ++refused;
      REQUIRE(!r.diagnostics.empty());
      for (const auto& d : r.diagnostics) CHECK(d.path.rfind("$", 0) == 0);
      continue;
    }
    ++loaded;
    // A flow that loads must also run: drive a few events through it.
    Call call(env, r.flow);
    call.start();
    call.prompt_done();
    call.digits("1");
    call.prompt_done();
    call.wait(10'000);
    call.session.hangup(call.now, call.out);
    CHECK(call.session.finished());
  }
  CHECK(refused > 0);
  CHECK(loaded > 0);
}
