// Input the Erlang calculators cannot answer in bounded time is refused with
// a message that names the field; what they accept finishes quickly.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include "hotline/metrics/erlang.hpp"

using namespace hotline;
using namespace hotline::metrics;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Workload example() { return Workload{200, 180, 20}; }

template <typename R>
std::string refusal(const R& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kInvalidArgument);
  return r.error().message;
}

bool mentions(const std::string& message, const std::string& word) {
  return message.find(word) != std::string::npos;
}

}  // namespace

TEST_CASE("Erlang calculators refuse NaN and infinite workloads, naming the field") {
  for (double bad : {kNaN, kInf, -kInf}) {
    CAPTURE(bad);
    CHECK(mentions(refusal(erlang_c(Workload{bad, 180, 20}, 14)), "arrivals_per_hour"));
    CHECK(mentions(refusal(erlang_c(Workload{200, bad, 20}, 14)), "aht_seconds"));
    CHECK(mentions(refusal(erlang_c(Workload{200, 180, bad}, 14)), "target_answer_seconds"));
    CHECK(mentions(refusal(erlang_a(example(), 14, bad)), "patience_seconds"));
    CHECK(mentions(refusal(erlang_c_agents(example(), StaffingGoal{bad, 1, 0})), "service_level"));
  }
}

TEST_CASE("Erlang calculators refuse zero and negative handle times, rates and patience") {
  CHECK(mentions(refusal(erlang_c(Workload{200, 0, 20}, 14)), "aht_seconds"));
  CHECK(mentions(refusal(erlang_c(Workload{200, -180, 20}, 14)), "aht_seconds"));
  CHECK(mentions(refusal(erlang_a(Workload{-1, 180, 20}, 14, 120)), "arrivals_per_hour"));
  CHECK(mentions(refusal(erlang_c(Workload{200, 180, -1}, 14)), "target_answer_seconds"));
  CHECK(mentions(refusal(erlang_a(example(), 14, 0)), "patience_seconds"));
  CHECK(mentions(refusal(erlang_a(example(), 14, -5)), "patience_seconds"));
  CHECK(mentions(refusal(erlang_a_agents(example(), -5, StaffingGoal{})), "patience_seconds"));
  CHECK(mentions(refusal(erlang_c(example(), -1)), "agents"));
  CHECK(mentions(refusal(erlang_c(example(), kMaxAgents + 1)), "agents"));
}

TEST_CASE("A target service level outside (0, 1) is refused instead of searched for ever") {
  for (double target : {1.5, 1.0, 0.0, -0.2}) {
    CAPTURE(target);
    const std::string c = refusal(erlang_c_agents(example(), StaffingGoal{target, 1, 0}));
    CHECK(mentions(c, "service_level"));
    CHECK(mentions(c, "between 0 and 1"));
    CHECK(mentions(refusal(erlang_a_agents(example(), 120, StaffingGoal{target, 1, 0})),
                   "service_level"));
  }
  CHECK(mentions(refusal(erlang_c_agents(example(), StaffingGoal{0.8, 0, 0})), "max_occupancy"));
  CHECK(mentions(refusal(erlang_c_agents(example(), StaffingGoal{0.8, 1.5, 0})), "max_occupancy"));
  CHECK(mentions(refusal(erlang_c_agents(example(), StaffingGoal{0.8, 1, 1})), "shrinkage"));
  CHECK(mentions(refusal(erlang_c_agents(example(), StaffingGoal{0.8, 1, -0.1})), "shrinkage"));
}

TEST_CASE("Traffic beyond the offered-load limit is refused, not looped over or overflowed") {
  // 10^12 calls an hour at 180 s: 5·10^10 erlangs, more agents than an int holds.
  const Workload huge{1e12, 180, 20};
  const std::string message = refusal(erlang_c_agents(huge, StaffingGoal{}));
  CHECK(mentions(message, "erlangs exceeds the limit"));
  refusal(erlang_a_agents(huge, 120, StaffingGoal{}));
  refusal(erlang_c(huge, 14));
  refusal(erlang_a(huge, 14, 120));
  refusal(erlang_c(Workload{1e300, 1e7, 20}, 14));
}

TEST_CASE("Staffing at the offered-load limit ends within seconds") {
  const auto started = std::chrono::steady_clock::now();
  const Workload at_limit{kMaxOfferedErlangs * 3600 / 180, 180, 20};
  auto c = erlang_c_agents(at_limit, StaffingGoal{0.999999, 1, 0});
  REQUIRE(c.ok());
  CHECK(c->agents > kMaxOfferedErlangs);
  CHECK(erlang_c(at_limit, c->agents)->service_level >= 0.999999);
  CHECK(erlang_c(at_limit, c->agents - 1)->service_level < 0.999999);
  auto a = erlang_a_agents(at_limit, 120, StaffingGoal{0.8, 1, 0});
  REQUIRE(a.ok());
  CHECK(erlang_a(at_limit, a->agents, 120)->service_level >= 0.8);
  CHECK(erlang_a(at_limit, a->agents - 1, 120)->service_level < 0.8);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(elapsed < std::chrono::seconds(30));  // sanitizer builds included
}

TEST_CASE("Erlang A refuses a calculation whose answered-within-T step exceeds its work limit") {
  // A flooded queue of very patient callers and a long target: millions of
  // queue positions times hundreds of thousands of uniformised steps.
  const Workload flooded{9'000 * 3600.0 / 1.0, 1.0, 1e6};
  const std::string message = refusal(erlang_a(flooded, 1, 1e7));
  CHECK(mentions(message, "over the limit"));
}

TEST_CASE("Erlang A keeps its service level for long targets (no underflow of the weights)") {
  // 2,000 erlangs with a 10-minute target: the uniformised mean is far past
  // the point where e^-mean underflows; nearly everyone is answered in time.
  const Workload big{40'000, 180, 600};
  auto r = erlang_a(big, 2'050, 300);
  REQUIRE(r.ok());
  CHECK(r->service_level > 0.99);
  CHECK(r->service_level <= 1.0 + 1e-9);
}

TEST_CASE("Erlang B with no agents blocks every call") {
  CHECK(erlang_b(0, 5) == 1);
  CHECK(erlang_b(-3, 5) == 1);
}
