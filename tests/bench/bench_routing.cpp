// Routing cost at scale. Only the routing decision is timed (manual timing
// around the one call); the work that restores the starting state between
// iterations is not.
#include <benchmark/benchmark.h>

#include <chrono>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "hotline/routing/router.hpp"

namespace {

using namespace hotline;
using namespace hotline::routing;
using Clock = std::chrono::steady_clock;

constexpr int kQueues = 200;
constexpr int kSkills = 50;
constexpr int kQueuesPerAgent = 10;

std::string skill_name(int s) { return "s" + std::to_string(s); }
std::string queue_name(int q) { return "q" + std::to_string(q); }

expr::Expression compile(const std::string& source) {
  return expr::Expression::compile(source).value();
}

// 200 queues, each on one of 50 skills, with three rings: experts who speak
// the caller's language, then anyone with the skill, then every member.
void add_queues(Router& router) {
  for (int q = 0; q < kQueues; ++q) {
    QueueConfig c;
    c.id = queue_name(q);
    c.offer_timeout_ms = 15'000;
    c.max_wait_ms = 600'000;
    const std::string skill = skill_name(q % kSkills);
    c.rings.push_back(Ring{
        compile("agent.skills." + skill + " >= 3 AND contact.language IN agent.languages"), 1,
        20'000});
    c.rings.push_back(Ring{compile("agent.skills." + skill + " >= 1"), 1, 40'000});
    c.rings.push_back(Ring{{}, 1, kNever});
    (void)router.add_queue(std::move(c));
  }
}

// Agents with five skills at levels 1-5, two languages, in about ten queues.
void add_agents(Router& router, int count, std::mt19937_64& rng) {
  static const char* kLanguages[] = {"en", "de", "fr", "zh", "es"};
  for (int i = 0; i < count; ++i) {
    AgentConfig a;
    a.id = "agent" + std::to_string(i);
    std::vector<int> queues;
    for (int k = 0; k < kQueuesPerAgent; ++k) {
      int q = static_cast<int>(rng() % kQueues);
      a.queues.push_back(queue_name(q));
      a.skills.emplace_back(skill_name(q % kSkills), static_cast<int>(rng() % 5) + 1);
    }
    a.attributes.set("languages", std::vector<std::string>{kLanguages[rng() % 5], "en"});
    (void)router.add_agent(std::move(a));
  }
}

ContactSpec make_contact(int queue, std::mt19937_64& rng) {
  static const char* kLanguages[] = {"en", "de", "fr", "zh", "es"};
  ContactSpec c;
  c.queue_id = queue_name(queue);
  c.attributes.set("language", kLanguages[rng() % 5]);
  return c;
}

// A new contact routed among `agents`; with `asks_skill`, every arriving
// contact also asks its queue's skill at level 4 or more, which a third of
// the candidates of its first ring lack (that ring lets levels 3 to 5 through).
void route_new_contacts(benchmark::State& state, bool asks_skill) {
  const int agents = static_cast<int>(state.range(0));
  std::mt19937_64 rng(1);
  Router router;
  add_queues(router);
  add_agents(router, agents, rng);
  TimeMs now = 0;
  for (int i = 0; i < agents; ++i) (void)router.login("agent" + std::to_string(i), now++);
  // Some agents are busy: one in five is on a call.
  for (int i = 0; i < agents / 5; ++i) {
    auto c = router.enqueue(make_contact(static_cast<int>(rng() % kQueues), rng), now);
    for (const Output& o : router.outputs()) {
      if (o.kind == Output::Kind::kOffer) (void)router.accept(o.reservation, now);
    }
    router.outputs().clear();
    (void)c;
  }
  std::vector<ContactSpec> arrivals;
  for (int i = 0; i < 4096; ++i) {
    const int queue = static_cast<int>(rng() % kQueues);
    arrivals.push_back(make_contact(queue, rng));
    if (asks_skill) arrivals.back().skills.emplace_back(skill_name(queue % kSkills), 4);
  }
  std::size_t next = 0;
  std::int64_t offered = 0;
  std::deque<ContactId> in_flight;
  for (auto _ : state) {
    ContactSpec spec = arrivals[next++ % arrivals.size()];
    ++now;
    const auto start = Clock::now();
    auto id = router.enqueue(std::move(spec), now);
    const auto stop = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
    for (const Output& o : router.outputs()) offered += o.kind == Output::Kind::kOffer ? 1 : 0;
    router.outputs().clear();
    // Calls stay with their agents for a while (64 in flight), so decisions
    // meet agents made busy by earlier ones, as they would in production.
    in_flight.push_back(*id);
    if (in_flight.size() > 64) {
      (void)router.abandon(in_flight.front(), now);
      in_flight.pop_front();
      router.outputs().clear();
    }
  }
  state.counters["offered_ratio"] =
      benchmark::Counter(static_cast<double>(offered) / static_cast<double>(state.iterations()));
}
void BM_RouteNewContact(benchmark::State& state) { route_new_contacts(state, false); }
// A million: the router's own decision at the scale of BM_MillionAgents,
// whose figure is the engine's whole handling of a call.
BENCHMARK(BM_RouteNewContact)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->UseManualTime()
    ->Unit(benchmark::kNanosecond);

// The walk judges candidates the digest cannot rule out (it does not test
// skills), so more of them are turned down after their record is read.
void BM_RouteNewContactAskingSkill(benchmark::State& state) { route_new_contacts(state, true); }
BENCHMARK(BM_RouteNewContactAskingSkill)->Arg(100)->Arg(100000)->UseManualTime()
    ->Unit(benchmark::kNanosecond);

void BM_AgentBecomesReady(benchmark::State& state) {
  const int waiting = static_cast<int>(state.range(0));
  std::mt19937_64 rng(2);
  Router router;
  add_queues(router);
  add_agents(router, 1000, rng);
  TimeMs now = 0;
  // Everyone is logged in but away, so the contacts below all wait.
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "agent" + std::to_string(i);
    (void)router.login(id, now);
    (void)router.set_not_ready(id, "break", now);
  }
  for (int i = 0; i < waiting; ++i) {
    (void)router.enqueue(make_contact(static_cast<int>(rng() % kQueues), rng), now);
  }
  // Contacts have widened to the last ring, as they would after waiting.
  now += 120'000;
  router.advance(now);
  router.outputs().clear();
  std::int64_t taken = 0;
  int agent = 0;
  for (auto _ : state) {
    const std::string id = "agent" + std::to_string(agent++ % 1000);
    // Time passes (10 ms per agent event) so waiting contacts widen through
    // their rings as they would; firing those timers is not timed.
    now += 10;
    router.advance(now);
    router.outputs().clear();
    const auto start = Clock::now();
    (void)router.set_available(id, now);
    const auto stop = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
    // Restore: the agent steps away, the contact it took is replaced.
    ContactId took = 0;
    for (const Output& o : router.outputs()) {
      if (o.kind == Output::Kind::kOffer) took = o.contact;
    }
    (void)router.set_not_ready(id, "break", now);
    if (took) {
      ++taken;
      (void)router.remove(took, now);
      (void)router.enqueue(make_contact(static_cast<int>(rng() % kQueues), rng), now);
    }
    router.outputs().clear();
  }
  state.counters["taken_ratio"] =
      benchmark::Counter(static_cast<double>(taken) / static_cast<double>(state.iterations()));
}
// A million waiting: as BM_MillionAgents's second half, the router alone.
BENCHMARK(BM_AgentBecomesReady)
    ->Arg(100)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->UseManualTime()
    ->Unit(benchmark::kNanosecond);

}  // namespace
