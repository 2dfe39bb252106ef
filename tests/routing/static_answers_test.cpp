// A queue answers what its rings ask of an agent alone once per distinct
// set of values it reads, and reuses the answer for every agent alike
// (static_answers.hpp). Held here to the answers evaluated for each agent:
// a generated corpus of queues and agents is routed twice, reusing answers
// and not, and every output of the two routers must be the same.
#include <random>
#include <string>
#include <vector>

#include "../../src/routing/static_answers.hpp"
#include "router_fixture.hpp"

using namespace hotline;
using namespace hotline::routing;
using namespace hotline::routing::testing;

namespace {

const char* const kLanguages[] = {"en", "de", "fr", "zh"};

Ring ring(const char* target, int min_level = 1, DurationMs timeout = 10'000) {
  Ring r;
  if (*target) r.target = compile(target);
  r.min_level = min_level;
  r.timeout_ms = timeout;
  return r;
}

std::vector<QueueConfig> queues() {
  std::vector<QueueConfig> v;
  QueueConfig q = queue("q0");
  q.rings = {ring("agent.skills.billing >= 3 AND contact.language IN agent.languages"),
             ring("agent.skills.billing >= 1"), ring("", 1, kNever)};
  v.push_back(q);
  q = queue("q1", Strategy::kMostSkilled);
  q.skills = {{"tech", 2}, {"billing", 1}};
  q.rings = {ring("agent.tier >= 2", 4), ring("", 1, kNever)};
  v.push_back(q);
  q = queue("q2");
  q.rings = {ring("agent.languages HAS \"de\" AND contact.tier == agent.tier"),
             ring("agent.site.city == \"berlin\""), ring("", 1, kNever)};
  v.push_back(q);
  q = queue("q3", Strategy::kLinear);
  q.rings = {ring("(agent.tier == 3 OR agent.skills.sales > 2) AND contact.language == agent.languages"),
             ring("contact.language IN agent.languages", 1, kNever)};
  v.push_back(q);
  q = queue("q4");
  q.rings = {ring("agent.skills HAS \"sales\""), ring("agent.skills.tech IN [1, 2, 3]"),
             ring("agent.vip", 1, kNever)};
  v.push_back(q);
  return v;
}

// Agents from small domains, so that many are alike in what a queue reads,
// with the odd value an answer cannot be kept by (an object, a list in a
// list is not kept by attributes; a list of objects is).
std::vector<AgentConfig> agents(std::mt19937_64& rng, int n) {
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  std::vector<AgentConfig> v;
  for (int i = 0; i < n; ++i) {
    AgentConfig a = agent("a" + std::to_string(i), {});
    for (const char* q : {"q0", "q1", "q2", "q3", "q4"}) {
      if (pick(3) > 0) a.queues.push_back(q);
    }
    for (const char* skill : {"billing", "tech", "sales"}) {
      if (pick(3) > 0) a.skills.emplace_back(skill, pick(6));
    }
    if (pick(8) == 0 && !a.skills.empty()) a.skills.push_back(a.skills.front());  // a name twice
    switch (pick(5)) {
      case 0: break;  // no languages
      case 1: a.attributes.set("languages", kLanguages[pick(4)]); break;
      case 2: a.attributes.set("languages", pick(3)); break;
      default: {
        std::vector<std::string> list;
        for (int k = pick(3); k >= 0; --k) list.push_back(kLanguages[pick(4)]);
        a.attributes.set("languages", list);
      }
    }
    switch (pick(4)) {
      case 0: a.attributes.set("tier", pick(4)); break;
      case 1: a.attributes.set("tier", std::to_string(pick(4))); break;
      case 2: a.attributes.set("tier", pick(2) == 0); break;
      default: break;
    }
    if (pick(4) == 0) {
      expr::Attributes site;
      site.set("city", pick(2) ? "berlin" : "paris");
      a.attributes.set("site", std::move(site));
    }
    if (pick(3) == 0) a.attributes.set("vip", pick(2) == 0);
    v.push_back(std::move(a));
  }
  return v;
}

std::string describe(Router& r, const Output& o) {
  std::string s = std::to_string(static_cast<int>(o.kind)) + " c" + std::to_string(o.contact) +
                  " v" + std::to_string(o.value);
  if (o.agent != kNoIndex) s += " " + r.agent_id(o.agent);
  return s;
}

// Everything the router emits while the corpus is loaded, logged in and
// sent contacts of every language and tier to every queue, rings widening;
// then the queues' rings change, agents change, and contacts come again.
std::vector<std::string> route_corpus(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Router r;
  TimeMs now = 1'000'000;
  std::vector<std::string> seen;
  auto drain = [&] {
    for (const Output& o : r.outputs()) seen.push_back(describe(r, o));
    r.outputs().clear();
  };
  for (QueueConfig& q : queues()) REQUIRE(r.add_queue(std::move(q)).ok());
  std::vector<AgentConfig> corpus = agents(rng, 300);
  for (const AgentConfig& a : corpus) REQUIRE(r.add_agent(a).ok());
  for (const AgentConfig& a : corpus) REQUIRE(r.login(a.id, now).ok());
  auto contacts = [&](int rounds) {
    for (int round = 0; round < rounds; ++round) {
      for (const char* q : {"q0", "q1", "q2", "q3", "q4"}) {
        for (const char* language : kLanguages) {
          ContactSpec c = contact(q);
          c.attributes.set("language", language);
          c.attributes.set("tier", static_cast<int>(rng() % 4));
          REQUIRE(r.enqueue(std::move(c), ++now).ok());
        }
      }
      drain();
      now += 10'000;
      r.advance(now);
      drain();
    }
  };
  contacts(8);
  // New rings: the answers kept for the old ones must not be used.
  std::vector<QueueConfig> changed = queues();
  changed[0].rings[0] = ring("agent.skills.billing >= 2 AND contact.language IN agent.languages");
  changed[1].skills = {{"tech", 1}};
  REQUIRE(r.update_queue(changed[0]).ok());
  REQUIRE(r.update_queue(changed[1]).ok());
  drain();
  for (std::size_t i = 0; i < corpus.size(); i += 7) {
    AgentConfig a = agents(rng, 1)[0];
    a.id = corpus[i].id;
    a.name = a.id;
    REQUIRE(r.update_agent(std::move(a), now).ok());
  }
  drain();
  contacts(8);
  return seen;
}

}  // namespace

TEST_CASE("reused static ring answers route as answers evaluated for each agent") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    g_reuse_static_answers = false;
    const std::vector<std::string> evaluated = route_corpus(seed);
    g_reuse_static_answers = true;
    const std::vector<std::string> reused = route_corpus(seed);
    REQUIRE(evaluated.size() == reused.size());
    CHECK(evaluated.size() > 500);
    for (std::size_t i = 0; i < evaluated.size(); ++i) {
      INFO("output ", i);
      REQUIRE(evaluated[i] == reused[i]);
    }
  }
}
